import { ConnectorDefinition } from '../core/types';
import { REDIS_CONFIG_SPEC, redisSettings } from './config';
import { RedisConnector } from './redis.connector';

export const redisConnector: ConnectorDefinition = {
  type: 'redis',
  displayName: 'Redis',
  configSpec: REDIS_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    // Redis keeps no change marker per key pattern: every run samples again and the catalog compares shapes.
    incremental: 'fingerprint',
    profile: ['keys matching the pattern (sampled)', 'type counts', 'TTL spread', 'memory per key', 'length per key'],
  },
  create: (config, context) => new RedisConnector(redisSettings(config), context),
};
