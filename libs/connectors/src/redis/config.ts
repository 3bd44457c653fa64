import { cfgBool, cfgNumber, cfgString, POOL_FIELDS } from '../core/config-spec';
import { ConfigField, ConnectorConfig } from '../core/types';

export const REDIS_DEFAULT_SAMPLE_SIZE = 1000;

export const REDIS_CONFIG_SPEC: readonly ConfigField[] = [
  {
    name: 'host',
    type: 'string',
    required: true,
    secret: false,
    addressing: true,
    description: 'Server host name or address (any node of a cluster).',
  },
  {
    name: 'port',
    type: 'integer',
    required: false,
    default: 6379,
    secret: false,
    addressing: true,
    min: 1,
    max: 65535,
    description: 'Server port.',
  },
  {
    name: 'username',
    type: 'string',
    required: false,
    secret: false,
    description: 'ACL user (Redis 6+); leave empty for the default user.',
  },
  { name: 'password', type: 'string', required: false, secret: true, description: 'Password of the user.' },
  {
    name: 'db',
    type: 'integer',
    required: false,
    secret: false,
    min: 0,
    max: 1023,
    description: 'Collect only this logical database; when empty, every database that holds keys.',
  },
  {
    name: 'tls',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    addressing: true,
    description: 'Connect with TLS.',
  },
  {
    name: 'sample_size',
    type: 'integer',
    required: false,
    default: REDIS_DEFAULT_SAMPLE_SIZE,
    secret: false,
    min: 10,
    max: 100000,
    description:
      'Keys sampled per database (per node in a cluster) with SCAN to infer key patterns; SCAN COUNT never exceeds it.',
  },
  {
    name: 'key_separator',
    type: 'string',
    required: false,
    default: ':',
    secret: false,
    description: 'Separator between the segments of key names (`user:42:profile`).',
  },
  ...POOL_FIELDS,
];

export interface RedisSettings {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls: boolean;
  sampleSize: number;
  separator: string;
  timeoutMs: number;
}

export function redisSettings(config: ConnectorConfig): RedisSettings {
  return {
    host: cfgString(config, 'host') ?? '',
    port: cfgNumber(config, 'port', 6379),
    username: cfgString(config, 'username'),
    password: cfgString(config, 'password'),
    db: typeof config.db === 'number' ? config.db : undefined,
    tls: cfgBool(config, 'tls'),
    sampleSize: cfgNumber(config, 'sample_size', REDIS_DEFAULT_SAMPLE_SIZE),
    separator: typeof config.key_separator === 'string' ? config.key_separator : ':',
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
  };
}
