import { ConnectorError, ConnectorErrorCode } from '../core/errors';

function field(err: unknown, key: string): string | number | undefined {
  if (typeof err !== 'object' || err === null || !(key in err)) return undefined;
  const v = (err as Record<string, unknown>)[key];
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

const AUTH = new Set([1045, 1251, 1698, 1130]); // access denied, auth plugin, no password (unix socket), host not allowed
const PERMISSION = new Set([1044, 1142, 1143, 1227, 1370]); // database, table, column, global and routine privileges
const TIMEOUT = new Set([1969, 3024, 1317]); // MariaDB max_statement_time, MySQL max_execution_time, query interrupted
const TLS_CODES = new Set([
  'HANDSHAKE_NO_SSL_SUPPORT',
  'HANDSHAKE_SSL_ERROR',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
]);

/**
 * Maps a mysql2 error onto a typed ConnectorError. Server errors carry the MySQL error number in
 * `errno` (1045 access denied, 1044/1142 missing privilege, …); socket and TLS failures carry a
 * string `code`.
 */
export function classifyMysqlError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const errno = Number(field(err, 'errno') ?? NaN);
  const code = String(field(err, 'code') ?? '');
  const message = err instanceof Error ? err.message : String(err);
  const make = (c: ConnectorErrorCode, hint?: string) => new ConnectorError(c, message, hint, err);

  if (AUTH.has(errno) || code === 'ER_ACCESS_DENIED_ERROR') {
    const hint =
      errno === 1130
        ? 'The server does not accept this account from this host: grant it for the host this service connects from.'
        : 'The server refused the login: wrong user name or password, or the account may not log in from this host.';
    return make(ConnectorErrorCode.AuthFailed, hint);
  }
  if (PERMISSION.has(errno))
    return make(
      ConnectorErrorCode.PermissionDenied,
      'The account lacks a privilege: grant it SELECT (or SHOW VIEW / PROCESS as the message says) on what should be collected.',
    );
  if (errno === 1049)
    return make(ConnectorErrorCode.InvalidConfig, 'The database does not exist: check the database name.');
  if (
    TIMEOUT.has(errno) ||
    code === 'ETIMEDOUT' ||
    code === 'PROTOCOL_SEQUENCE_TIMEOUT' ||
    /timeout|timed out/i.test(message)
  ) {
    return make(
      ConnectorErrorCode.Timeout,
      "The server did not answer in time: raise the source's timeout, narrow the scope, or check the server's load.",
    );
  }
  if (
    TLS_CODES.has(code) ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    errno === 2026 ||
    /SSL|TLS|certificate/i.test(message)
  ) {
    return make(
      ConnectorErrorCode.Tls,
      'TLS failed: the server may not offer TLS, or its certificate is not trusted (set ssl_ca, or ssl_verify: false for a self-signed certificate).',
    );
  }
  if (errno === 1040 || errno === 1203)
    return make(
      ConnectorErrorCode.Unreachable,
      'The server has no free connections for this account: lower max_conns or raise max_connections.',
    );
  if (errno === 1129)
    return make(
      ConnectorErrorCode.Unreachable,
      'The server blocked this host after many failed connections: run FLUSH HOSTS on the server.',
    );
  if (NETWORK_CODES.has(code))
    return make(
      ConnectorErrorCode.Unreachable,
      'The connection failed or dropped: check the host, the port and that the server is running.',
    );
  return make(ConnectorErrorCode.Protocol);
}
