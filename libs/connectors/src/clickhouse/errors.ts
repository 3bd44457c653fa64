import { ConnectorError, ConnectorErrorCode } from '../core/errors';

/**
 * ClickHouse server error codes (src/Common/ErrorCodes.cpp) the connector tells apart. Old servers
 * (18.x) answer `Code: 193, e.displayText() = DB::Exception: …`, newer ones
 * `Code: 516. DB::Exception: … (AUTHENTICATION_FAILED)`; both carry the number after `Code:`.
 */
const AUTH_CODES = new Set([192, 193, 194, 516]); // UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, AUTHENTICATION_FAILED
const PERMISSION_CODES = new Set([164, 291, 497]); // READONLY, DATABASE_ACCESS_DENIED, ACCESS_DENIED
const TIMEOUT_CODES = new Set([159, 209, 394]); // TIMEOUT_EXCEEDED, SOCKET_TIMEOUT, QUERY_WAS_CANCELLED
const UNKNOWN_DATABASE = 81;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null && key in err ? (err as Record<string, unknown>)[key] : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The server's numeric error code, from the error object or from the message text. */
export function clickhouseErrorCode(err: unknown): number | undefined {
  const code = field(err, 'code');
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  if (typeof code === 'number') return code;
  const m = /Code:\s*(\d+)/.exec(messageOf(err));
  return m ? Number(m[1]) : undefined;
}

/** Maps an error of the HTTP client or the server onto a typed ConnectorError with advice. */
export function classifyClickHouseError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const message = messageOf(err).split(', e.what()')[0].trim();
  const make = (c: ConnectorErrorCode, hint?: string) => new ConnectorError(c, message, hint, err);
  const serverCode = clickhouseErrorCode(err);
  const nodeCode = String(field(err, 'code') ?? field(field(err, 'cause'), 'code') ?? '');

  if (serverCode !== undefined) {
    if (AUTH_CODES.has(serverCode))
      return make(
        ConnectorErrorCode.AuthFailed,
        'The server refused the login: check the user name and password, and that the user may connect from this address (networks in users.xml or host restrictions).',
      );
    if (PERMISSION_CODES.has(serverCode))
      return make(
        ConnectorErrorCode.PermissionDenied,
        'The account may not read what was asked: allow it the database (allow_databases, or GRANT SHOW/SELECT on newer servers), or use a profile that is not readonly=1 if settings were refused.',
      );
    if (serverCode === UNKNOWN_DATABASE)
      return make(
        ConnectorErrorCode.InvalidConfig,
        'The database does not exist: check the database name (it is case-sensitive).',
      );
    if (TIMEOUT_CODES.has(serverCode))
      return make(
        ConnectorErrorCode.Timeout,
        "The query ran out of time: raise the source's timeout or narrow the scope.",
      );
    return make(ConnectorErrorCode.Protocol);
  }
  const name = err instanceof Error ? err.name : '';
  if (name === 'AbortError' || /aborted/i.test(message)) return make(ConnectorErrorCode.Cancelled);
  if (/timeout/i.test(message) || nodeCode === 'ETIMEDOUT')
    return make(
      ConnectorErrorCode.Timeout,
      "The server did not answer in time: raise the source's timeout or check the server's load.",
    );
  if (
    /certificate|SSL|TLS|EPROTO/i.test(message) ||
    nodeCode.startsWith('ERR_TLS') ||
    nodeCode.startsWith('ERR_SSL') ||
    nodeCode === 'EPROTO'
  ) {
    return make(
      ConnectorErrorCode.Tls,
      'TLS failed: check the protocol (http or https) for this port and that the server certificate is trusted (ssl_ca).',
    );
  }
  if (NETWORK_CODES.has(nodeCode) || /socket hang up|ECONNREFUSED|ECONNRESET/i.test(message)) {
    return make(
      ConnectorErrorCode.Unreachable,
      'The connection failed: check the host, the HTTP port (8123 by default, 8443 for https) and that the server is running.',
    );
  }
  if (/Unexpected token|JSON/i.test(message))
    return make(
      ConnectorErrorCode.Protocol,
      'The answer was not ClickHouse JSON: check that the port is the ClickHouse HTTP interface, not the native TCP port (9000).',
    );
  return make(ConnectorErrorCode.Protocol);
}
