import type { PoolConfig } from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { cfgBool, cfgNumber, cfgString, sqlFields } from '../core/config-spec';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { ConfigField, ConnectorConfig } from '../core/types';

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

const EXTRA_FIELDS: ConfigField[] = [
  {
    name: 'sslmode',
    type: 'string',
    required: false,
    default: 'disable',
    secret: false,
    addressing: true,
    enum: SSL_MODES,
    description:
      'TLS mode as libpq names it: disable, require (encrypt, do not verify), verify-ca (verify the chain), verify-full (chain and host name). `ssl: true` with `disable` means require.',
  },
  {
    name: 'ssl_ca',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    description: 'PEM certificate(s) of the CA that signed the server certificate (verify-ca / verify-full).',
  },
  {
    name: 'schema',
    type: 'string',
    required: false,
    default: 'public',
    secret: false,
    description: 'Schema first on the search_path of every session.',
  },
];

export const POSTGRES_CONFIG_SPEC: readonly ConfigField[] = sqlFields(5432, EXTRA_FIELDS).map((f) =>
  f.name === 'database'
    ? { ...f, default: 'postgres', description: 'Database to connect to; its schemas are collected.' }
    : f,
);

/** A validated config in the shape the driver needs. */
export interface PgSettings {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database: string;
  sslmode: SslMode;
  sslCa?: string;
  schema: string;
  timeoutMs: number;
  maxConns: number;
  maxIdleConns: number;
}

export function readPgSettings(config: ConnectorConfig): PgSettings {
  const host = cfgString(config, 'host');
  if (!host)
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      'host is required',
      'Set the server host name or address.',
    );
  const rawMode = cfgString(config, 'sslmode') ?? 'disable';
  if (!(SSL_MODES as readonly string[]).includes(rawMode)) {
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      `sslmode "${rawMode}" is not one of ${SSL_MODES.join(', ')}`,
    );
  }
  const mode = rawMode as SslMode;
  return {
    host,
    port: cfgNumber(config, 'port', 5432),
    user: cfgString(config, 'username'),
    password: cfgString(config, 'password'),
    database: cfgString(config, 'database') ?? 'postgres',
    sslmode: mode === 'disable' && cfgBool(config, 'ssl') ? 'require' : mode,
    sslCa: cfgString(config, 'ssl_ca'),
    schema: cfgString(config, 'schema') ?? 'public',
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
    maxConns: cfgNumber(config, 'max_conns', 10),
    maxIdleConns: cfgNumber(config, 'max_idle_conns', 5),
  };
}

export function tlsOptions(s: PgSettings): ConnectionOptions | false {
  switch (s.sslmode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      // The chain is checked; the host name is not (libpq's verify-ca).
      return { rejectUnauthorized: true, ca: s.sslCa, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: s.sslCa, servername: s.host };
  }
}

/** `"schema",public` with libpq's backslash escapes for spaces and backslashes in the options string. */
function searchPathOption(schema: string): string {
  return `"${schema.replace(/"/g, '""')}",public`.replace(/[\\ ]/g, (ch) => `\\${ch}`);
}

/** Connection settings shared by the pool and the one-off clients of a connection test. */
export function clientConfig(s: PgSettings, host = s.host): PoolConfig {
  return {
    host,
    port: s.port,
    user: s.user,
    password: s.password,
    database: s.database,
    ssl: tlsOptions(s),
    connectionTimeoutMillis: s.timeoutMs,
    statement_timeout: s.timeoutMs,
    application_name: 'metadata-catalog',
    // Catalog reads are many small index lookups: parallel workers and JIT only add start-up time.
    options: `-c search_path=${searchPathOption(s.schema)} -c max_parallel_workers_per_gather=0 -c jit=off`,
  };
}

export function poolConfig(s: PgSettings, host: string): PoolConfig {
  return {
    ...clientConfig(s, host),
    max: s.maxConns,
    // pg keeps idle clients until idleTimeoutMillis; with no idle clients wanted, drop them at once.
    idleTimeoutMillis: s.maxIdleConns === 0 ? 1 : 10_000,
    allowExitOnIdle: true,
  };
}
