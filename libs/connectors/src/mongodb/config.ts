import { POOL_FIELDS, cfgBool, cfgNumber, cfgString } from '../core/config-spec';
import { ConfigField, ConnectorConfig } from '../core/types';

export const MONGODB_DEFAULT_PORT = 27017;
/** Documents read per collection by `$sample` to infer its field schema. */
export const DEFAULT_SAMPLE_SIZE = 1000;
/** Databases MongoDB keeps for itself; skipped unless `include_system_databases` is set. */
export const SYSTEM_DATABASES: readonly string[] = ['admin', 'local', 'config'];

export const MONGODB_CONFIG_SPEC: readonly ConfigField[] = [
  {
    name: 'uri',
    type: 'string',
    required: false,
    secret: true,
    addressing: true,
    oneOf: ['uri', 'host'],
    description:
      'Connection string (mongodb://… or mongodb+srv://…). Stored as a secret because it may carry a password. When set, host and port are ignored.',
  },
  {
    name: 'host',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    oneOf: ['uri', 'host'],
    description: 'Server host name; replica-set members may be listed comma-separated as host[:port].',
  },
  {
    name: 'port',
    type: 'integer',
    required: false,
    default: MONGODB_DEFAULT_PORT,
    secret: false,
    addressing: true,
    min: 1,
    max: 65535,
    description: 'Server port (for hosts listed without one).',
  },
  { name: 'username', type: 'string', required: false, secret: false, description: 'Account to authenticate as.' },
  { name: 'password', type: 'string', required: false, secret: true, description: 'Password of the account.' },
  {
    name: 'auth_source',
    type: 'string',
    required: false,
    secret: false,
    description: 'Database holding the account (MongoDB defaults to admin, or the URI database).',
  },
  {
    name: 'database',
    type: 'string',
    required: false,
    secret: false,
    description: 'Collect only this database; when absent every database the account can list is collected.',
  },
  {
    name: 'tls',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    addressing: true,
    description: 'Use TLS (mongodb+srv URIs imply it).',
  },
  {
    name: 'replica_set',
    type: 'string',
    required: false,
    secret: false,
    description: 'Replica-set name the members must report.',
  },
  {
    name: 'sample_size',
    type: 'integer',
    required: false,
    default: DEFAULT_SAMPLE_SIZE,
    secret: false,
    min: 1,
    max: 100000,
    description: 'Documents read per collection with $sample to infer its field schema (paths, type mix, presence).',
  },
  {
    name: 'include_system_databases',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    description: 'Also collect admin, local and config.',
  },
  ...POOL_FIELDS.map((f) =>
    f.name === 'max_idle_conns'
      ? {
          ...f,
          description:
            'Accepted so every source shares one config shape; the MongoDB driver has no idle-connection cap (it closes connections idle for 60 s).',
        }
      : f,
  ),
];

/** The config as the connector uses it, defaults applied. */
export interface MongoSettings {
  uri?: string;
  host?: string;
  port: number;
  username?: string;
  password?: string;
  authSource?: string;
  database?: string;
  tls: boolean;
  replicaSet?: string;
  sampleSize: number;
  includeSystemDatabases: boolean;
  timeoutMs: number;
  maxConns: number;
}

export function mongoSettings(config: ConnectorConfig): MongoSettings {
  return {
    uri: cfgString(config, 'uri'),
    host: cfgString(config, 'host'),
    port: cfgNumber(config, 'port', MONGODB_DEFAULT_PORT),
    username: cfgString(config, 'username'),
    password: cfgString(config, 'password'),
    authSource: cfgString(config, 'auth_source'),
    database: cfgString(config, 'database'),
    tls: cfgBool(config, 'tls'),
    replicaSet: cfgString(config, 'replica_set'),
    sampleSize: cfgNumber(config, 'sample_size', DEFAULT_SAMPLE_SIZE),
    includeSystemDatabases: cfgBool(config, 'include_system_databases'),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
    maxConns: cfgNumber(config, 'max_conns', 10),
  };
}
