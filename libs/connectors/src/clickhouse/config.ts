import { cfgBool, cfgNumber, cfgString, sqlFields } from '../core/config-spec';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { ConfigField, ConnectorConfig } from '../core/types';

const EXTRA_FIELDS: ConfigField[] = [
  {
    name: 'protocol',
    type: 'string',
    required: false,
    default: 'http',
    secret: false,
    addressing: true,
    enum: ['http', 'https'],
    description: 'HTTP interface protocol; https (or ssl: true) verifies the server certificate.',
  },
  {
    name: 'ssl_ca',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    description: 'PEM certificate of the CA that signed the server certificate (https).',
  },
];

export const CLICKHOUSE_CONFIG_SPEC: readonly ConfigField[] = sqlFields(8123, EXTRA_FIELDS).map((f) =>
  f.name === 'database'
    ? {
        ...f,
        description:
          'Database to collect; when empty every database the account sees (except system ones) is collected.',
      }
    : f.name === 'username'
      ? { ...f, default: 'default' }
      : f,
);

export interface ClickHouseSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  database?: string;
  https: boolean;
  sslCa?: string;
  timeoutMs: number;
  maxConns: number;
}

export function readClickHouseSettings(config: ConnectorConfig): ClickHouseSettings {
  const host = cfgString(config, 'host');
  if (!host)
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      'host is required',
      'Set the server host name or address.',
    );
  return {
    host,
    port: cfgNumber(config, 'port', 8123),
    username: cfgString(config, 'username') ?? 'default',
    password: cfgString(config, 'password') ?? '',
    database: cfgString(config, 'database'),
    https: cfgString(config, 'protocol') === 'https' || cfgBool(config, 'ssl'),
    sslCa: cfgString(config, 'ssl_ca'),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
    maxConns: cfgNumber(config, 'max_conns', 10),
  };
}
