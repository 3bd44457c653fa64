import { cfgBool, cfgNumber, cfgString, sqlFields } from '../core/config-spec';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { ConfigField, ConnectorConfig } from '../core/types';

const EXTRA_FIELDS: ConfigField[] = [
  {
    name: 'encrypt',
    type: 'boolean',
    required: false,
    default: true,
    secret: false,
    addressing: true,
    description: 'Encrypt the connection (TLS negotiated inside TDS).',
  },
  {
    name: 'trust_server_certificate',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    addressing: true,
    description: 'Accept the server certificate without verifying it (self-signed development servers only).',
  },
  {
    name: 'instance_name',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    description:
      'Named instance (e.g. SQLEXPRESS); its port is asked from the SQL Server Browser on UDP 1434 and port is then ignored.',
  },
];

export const SQLSERVER_CONFIG_SPEC: readonly ConfigField[] = sqlFields(1433, EXTRA_FIELDS).map((f) => {
  if (f.name === 'database')
    return {
      ...f,
      description:
        'Database to collect; when empty, every online database the login may access (system databases excluded).',
    };
  if (f.name === 'ssl') return { ...f, description: 'Same as encrypt: true.' };
  return f;
});

export interface SqlServerSettings {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  instanceName?: string;
  timeoutMs: number;
  maxConns: number;
  maxIdleConns: number;
}

export function readSqlServerSettings(config: ConnectorConfig): SqlServerSettings {
  const host = cfgString(config, 'host');
  if (!host)
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      'host is required',
      'Set the server host name or address.',
    );
  return {
    host,
    port: cfgNumber(config, 'port', 1433),
    user: cfgString(config, 'username'),
    password: cfgString(config, 'password'),
    database: cfgString(config, 'database'),
    encrypt: cfgBool(config, 'encrypt', true) || cfgBool(config, 'ssl'),
    trustServerCertificate: cfgBool(config, 'trust_server_certificate'),
    instanceName: cfgString(config, 'instance_name'),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
    maxConns: cfgNumber(config, 'max_conns', 10),
    maxIdleConns: cfgNumber(config, 'max_idle_conns', 5),
  };
}
