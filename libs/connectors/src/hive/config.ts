import { cfgBool, cfgNumber, cfgString, sqlFields } from '../core/config-spec';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { ConfigField, ConnectorConfig } from '../core/types';

export const HIVE_AUTH_MODES = ['NONE', 'NOSASL', 'PLAIN', 'LDAP', 'CUSTOM', 'KERBEROS'] as const;
export type HiveAuthMode = (typeof HIVE_AUTH_MODES)[number];
export const HIVE_TRANSPORTS = ['binary', 'http'] as const;
export type HiveTransport = (typeof HIVE_TRANSPORTS)[number];

const EXTRA_FIELDS: ConfigField[] = [
  {
    name: 'auth',
    type: 'string',
    required: false,
    default: 'NONE',
    secret: false,
    addressing: true,
    enum: HIVE_AUTH_MODES,
    description:
      "The server's hive.server2.authentication: NONE (SASL PLAIN, any password), NOSASL (raw Thrift), PLAIN/LDAP/CUSTOM (SASL PLAIN with username and password). KERBEROS is not supported.",
  },
  {
    name: 'transport',
    type: 'string',
    required: false,
    default: 'binary',
    secret: false,
    enum: HIVE_TRANSPORTS,
    description: "The server's hive.server2.transport.mode.",
  },
  {
    name: 'http_path',
    type: 'string',
    required: false,
    default: 'cliservice',
    secret: false,
    description: 'HTTP endpoint path (transport http; hive.server2.thrift.http.path).',
  },
];

export const HIVE_CONFIG_SPEC: readonly ConfigField[] = sqlFields(10000, EXTRA_FIELDS).map((f) =>
  f.name === 'database'
    ? { ...f, description: 'Database to collect; when empty, every database the account sees.' }
    : f,
);

export interface HiveSettings {
  host: string;
  port: number;
  username?: string;
  password?: string;
  database?: string;
  auth: HiveAuthMode;
  transport: HiveTransport;
  httpPath: string;
  ssl: boolean;
  timeoutMs: number;
}

export function readHiveSettings(config: ConnectorConfig): HiveSettings {
  const host = cfgString(config, 'host');
  if (!host)
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      'host is required',
      'Set the HiveServer2 host name or address.',
    );
  const auth = (cfgString(config, 'auth') ?? 'NONE').toUpperCase();
  if (!(HIVE_AUTH_MODES as readonly string[]).includes(auth))
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      `auth "${auth}" is not one of ${HIVE_AUTH_MODES.join(', ')}`,
    );
  const transport = cfgString(config, 'transport') ?? 'binary';
  if (!(HIVE_TRANSPORTS as readonly string[]).includes(transport))
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      `transport "${transport}" is not one of ${HIVE_TRANSPORTS.join(', ')}`,
    );
  return {
    host,
    port: cfgNumber(config, 'port', 10000),
    username: cfgString(config, 'username'),
    password: cfgString(config, 'password'),
    database: cfgString(config, 'database'),
    auth: auth as HiveAuthMode,
    transport: transport as HiveTransport,
    httpPath: cfgString(config, 'http_path') ?? 'cliservice',
    ssl: cfgBool(config, 'ssl'),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
  };
}
