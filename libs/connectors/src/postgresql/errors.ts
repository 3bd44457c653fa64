import { ConnectorError, ConnectorErrorCode } from '../core/errors';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
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
]);

function field(err: unknown, key: string): string | undefined {
  if (typeof err !== 'object' || err === null || !(key in err)) return undefined;
  const v = (err as Record<string, unknown>)[key];
  return v === undefined || v === null ? undefined : String(v);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Maps a `pg` driver or server error onto a typed ConnectorError. Server errors carry a SQLSTATE
 * in `code` (28P01 wrong password, 42501 missing privilege, …); socket and TLS errors carry Node's
 * codes; the driver's own connect timeout only says so in its message.
 */
export function classifyPgError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const code = field(err, 'code') ?? '';
  const message = messageOf(err);
  const make = (c: ConnectorErrorCode, hint?: string) => new ConnectorError(c, message, hint, err);

  if (code === '28P01' || code === '28000') {
    const sslHint = /SSL off|no encryption/i.test(message)
      ? ' The server may require TLS: set sslmode to require or stricter.'
      : '';
    return make(
      ConnectorErrorCode.AuthFailed,
      `The server refused the login: wrong user name or password, or no pg_hba.conf entry for this account and host.${sslHint}`,
    );
  }
  if (code === '42501')
    return make(
      ConnectorErrorCode.PermissionDenied,
      'The account lacks a privilege: grant it CONNECT on the database and USAGE on the schemas to collect.',
    );
  if (code === '3D000')
    return make(
      ConnectorErrorCode.InvalidConfig,
      'The database does not exist: check the database name (it is case-sensitive).',
    );
  if (code === '57014' || code === 'ETIMEDOUT' || /timeout|timed out/i.test(message)) {
    return make(
      ConnectorErrorCode.Timeout,
      "The server did not answer in time: raise the source's timeout, narrow the scope, or check the server's load.",
    );
  }
  if (
    TLS_CODES.has(code) ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    /does not support SSL|SSL|certificate/i.test(message)
  ) {
    return make(
      ConnectorErrorCode.Tls,
      'TLS failed: check sslmode (the server may not offer TLS, or its certificate is not trusted; set ssl_ca or use require).',
    );
  }
  if (NETWORK_CODES.has(code) || code.startsWith('08') || /Connection terminated/i.test(message)) {
    return make(
      ConnectorErrorCode.Unreachable,
      'The connection failed or dropped: check the host, the port and that the server is running.',
    );
  }
  if (code === '53300')
    return make(
      ConnectorErrorCode.Unreachable,
      'The server has no free connection slots: lower max_conns or raise max_connections.',
    );
  return make(ConnectorErrorCode.Protocol);
}
