import { ConnectorDefinition } from '../core/types';
import { RABBITMQ_CONFIG_SPEC, rabbitSettings } from './config';
import { RabbitMqConnector } from './rabbitmq.connector';

export const rabbitmqConnector: ConnectorDefinition = {
  type: 'rabbitmq',
  displayName: 'RabbitMQ',
  configSpec: RABBITMQ_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only'],
    // The management API has no per-object change marker; a run re-reads every vhost (a few requests each).
    incremental: 'fingerprint',
    profile: [],
  },
  create: (config, context) => new RabbitMqConnector(rabbitSettings(config), context),
};
