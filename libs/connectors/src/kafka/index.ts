import { ConnectorDefinition } from '../core/types';
import { KAFKA_CONFIG_SPEC, kafkaSettings } from './config';
import { KafkaConnector } from './kafka.connector';

export const kafkaConnector: ConnectorDefinition = {
  type: 'kafka',
  displayName: 'Apache Kafka',
  configSpec: KAFKA_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    // Kafka has no per-topic change marker; the signal is a hash computed from a bulk metadata + DescribeConfigs read.
    incremental: 'fingerprint',
    changeSignal:
      'SHA-1 of the partition layout (leaders, replicas, ISR) and the topic configs; matching topics skip the offset and lag reads',
    profile: ['messages per partition (from offsets)', 'consumer group lag'],
  },
  create: (config, context) => new KafkaConnector(kafkaSettings(config), context),
};
