import { ConnectorDefinition } from '../core/types';
import { KAFKA_CONFIG_SPEC, kafkaSettings } from './config';
import { KafkaConnector } from './kafka.connector';

export const kafkaConnector: ConnectorDefinition = {
  type: 'kafka',
  displayName: 'Apache Kafka',
  configSpec: KAFKA_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    // Every run reads every topic's offsets, lag and schemas; the signal only tells a changed shape from an unchanged one.
    incremental: 'fingerprint',
    changeSignal:
      'SHA-1 of the partition layout (leaders, replicas, ISR), the topic configs and the versions of its Schema Registry subjects; offsets, message counts and lag are re-read on every run',
    profile: ['messages per partition (from offsets)', 'consumer group lag'],
  },
  create: (config, context) => new KafkaConnector(kafkaSettings(config), context),
};
