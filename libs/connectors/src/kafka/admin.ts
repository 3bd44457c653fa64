import { Admin, Kafka, KafkaConfig } from 'kafkajs';

/** The admin calls the catalog makes; everything else of kafkajs stays unused. */
export type KafkaAdmin = Pick<
  Admin,
  | 'connect'
  | 'disconnect'
  | 'describeCluster'
  | 'listTopics'
  | 'fetchTopicMetadata'
  | 'fetchTopicOffsets'
  | 'describeConfigs'
  | 'listGroups'
  | 'describeGroups'
  | 'fetchOffsets'
>;
export type AdminFactory = (config: KafkaConfig) => KafkaAdmin;

export const defaultAdminFactory: AdminFactory = (config) => new Kafka(config).admin();

/** One admin request within the source's timeout, its failure classified (see kafka.connector.ts). */
export type AdminCall = <T>(work: () => Promise<T>, signal: AbortSignal, what: string) => Promise<T>;
