import type { PoolOptions, SslOptions } from 'mysql2';
import { cfgBool, cfgNumber, cfgString, sqlFields } from '../core/config-spec';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { ConfigField, ConnectorConfig } from '../core/types';

/** Config fields of MySQL-protocol sources (MySQL, MariaDB, Doris): the SQL fields plus charset and TLS trust. */
/** MySQL's and MariaDB's port; MySQL-protocol types (Doris) pass their own. */
export const MYSQL_DEFAULT_PORT = 3306;

export function mysqlConfigSpec(defaultPort: number): ConfigField[] {
  const extra: ConfigField[] = [
    {
      name: 'charset',
      type: 'string',
      required: false,
      default: 'utf8mb4',
      secret: false,
      description: 'Connection character set or collation (utf8mb4, utf8mb4_unicode_ci, latin1, …).',
    },
    {
      name: 'ssl_ca',
      type: 'string',
      required: false,
      secret: false,
      addressing: true,
      description: 'PEM certificate(s) of the CA that signed the server certificate.',
    },
    {
      name: 'ssl_verify',
      type: 'boolean',
      required: false,
      default: true,
      secret: false,
      addressing: true,
      description: "With ssl: verify the server's certificate and host name.",
    },
  ];
  return sqlFields(defaultPort, extra).map((f) =>
    f.name === 'database'
      ? {
          ...f,
          description: 'Database to connect to; when set and a task names no schemas, only this database is collected.',
        }
      : f,
  );
}

export interface MysqlSettings {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  charset: string;
  ssl: boolean;
  sslCa?: string;
  sslVerify: boolean;
  timeoutMs: number;
  maxConns: number;
  maxIdleConns: number;
}

export function readMysqlSettings(config: ConnectorConfig, defaultPort: number): MysqlSettings {
  const host = cfgString(config, 'host');
  if (!host)
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      'host is required',
      'Set the server host name or address.',
    );
  return {
    host,
    port: cfgNumber(config, 'port', defaultPort),
    user: cfgString(config, 'username'),
    password: cfgString(config, 'password'),
    database: cfgString(config, 'database'),
    charset: cfgString(config, 'charset') ?? 'utf8mb4',
    ssl: cfgBool(config, 'ssl'),
    sslCa: cfgString(config, 'ssl_ca'),
    sslVerify: cfgBool(config, 'ssl_verify', true),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
    maxConns: cfgNumber(config, 'max_conns', 10),
    maxIdleConns: cfgNumber(config, 'max_idle_conns', 5),
  };
}

function sslOptions(s: MysqlSettings): SslOptions | undefined {
  if (!s.ssl) return undefined;
  return { ca: s.sslCa, rejectUnauthorized: s.sslVerify };
}

/** Options for one connection; `host` is the address the outbound policy approved. */
export function connectionOptions(s: MysqlSettings, host: string): PoolOptions {
  return {
    host,
    port: s.port,
    user: s.user,
    password: s.password,
    database: s.database,
    charset: s.charset,
    ssl: sslOptions(s),
    connectTimeout: s.timeoutMs,
    // Exact numbers and dates as the server wrote them; the catalog stores text, not JS Dates.
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    multipleStatements: false,
  };
}

export function poolOptions(s: MysqlSettings, host: string): PoolOptions {
  return {
    ...connectionOptions(s, host),
    connectionLimit: s.maxConns,
    maxIdle: Math.min(s.maxIdleConns, s.maxConns),
    idleTimeout: 10_000,
    waitForConnections: true,
    queueLimit: 0,
    enableKeepAlive: true,
  };
}
