import { ConnectorError, ConnectorErrorCode } from '../core/errors';

/**
 * hive-driver and HiveServer2 errors mapped onto connector codes. SASL PLAIN failures come back as
 * the driver's AuthenticationError (`Authentication error: Error validating the login`), HTTP
 * transport logins as a 401; statement failures as a StatusError carrying the server's TStatus
 * (`errorCode`, `sqlState`, `errorMessage`), e.g. `HiveAccessControlException Permission denied`
 * from SQL-standard or Ranger authorization.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null && key in err ? (err as Record<string, unknown>)[key] : undefined;
}

export function classifyHiveError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const message =
    err instanceof Error || typeof field(err, 'message') === 'string' ? String(field(err, 'message')) : String(err);
  const kind = typeof err === 'object' && err !== null ? err.constructor.name : '';
  const code = String(field(err, 'code') ?? '');
  const status = Number(field(err, 'statusCode') ?? field(field(err, 'response'), 'statusCode') ?? NaN);
  const make = (c: ConnectorErrorCode, hint?: string) => new ConnectorError(c, message, hint, err);

  if (
    kind === 'AuthenticationError' ||
    /^Authentication error/i.test(message) ||
    /Error validating the login|Peer indicated failure|SASL/i.test(message) ||
    status === 401
  ) {
    return make(
      ConnectorErrorCode.AuthFailed,
      'HiveServer2 refused the login: check the user name and password, and that auth matches hive.server2.authentication (NONE, LDAP, CUSTOM use SASL PLAIN; NOSASL does not).',
    );
  }
  if (
    /Permission denied|HiveAccessControlException|AccessControlException|does not have \[\w+\] privilege|Failed to validate proxy privilege/i.test(
      message,
    ) ||
    status === 403
  ) {
    return make(
      ConnectorErrorCode.PermissionDenied,
      'The account lacks a privilege: grant it SELECT (and USE on the database) in Hive/Ranger authorization, or read access to the table location.',
    );
  }
  if (/Database does not exist|\[Error 10072\]/i.test(message))
    return make(ConnectorErrorCode.InvalidConfig, 'The database does not exist: check the database name.');
  if (/timed? ?out|timeout/i.test(message) || code === 'ETIMEDOUT') {
    return make(
      ConnectorErrorCode.Timeout,
      "HiveServer2 did not answer in time: raise the source's timeout; a silent server can also mean auth or transport do not match its settings (NOSASL vs SASL, binary vs http).",
    );
  }
  if (/certificate|SSL|TLS|EPROTO/i.test(message) || code.startsWith('ERR_TLS'))
    return make(
      ConnectorErrorCode.Tls,
      'TLS failed: check ssl against hive.server2.use.SSL and that the certificate is trusted.',
    );
  if (NETWORK_CODES.has(code) || /ECONNREFUSED|ECONNRESET|ENOTFOUND|socket hang up/.test(message)) {
    return make(
      ConnectorErrorCode.Unreachable,
      'The connection failed: check the host, the port (10000 binary, 10001 http by default) and that HiveServer2 runs.',
    );
  }
  if (
    /connection is lost|connection is closed|TTransportException|Invalid status/i.test(message) ||
    kind === 'HiveDriverError'
  ) {
    return make(
      ConnectorErrorCode.Protocol,
      'HiveServer2 closed the session: auth or transport may not match its settings (NOSASL vs SASL, binary vs http).',
    );
  }
  return make(ConnectorErrorCode.Protocol);
}
