import { ConnectorError, ConnectorErrorCode } from '../core/errors';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** Maps an ioredis / Redis reply error onto a typed ConnectorError with advice. */
export function classifyRedisError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const message = messageOf(err);
  if (/^(WRONGPASS|NOAUTH)/.test(message) || /invalid (username-)?password/i.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.AuthFailed,
      `Redis refused the credentials: ${message}`,
      'Check username and password (Redis 6+ ACL users need both; the default user only a password).',
      err,
    );
  }
  if (/AUTH .*called without any password configured/i.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.AuthFailed,
      `Redis has no password set for this user: ${message}`,
      'Remove the password from the configuration, or set one on the server (requirepass / ACL SETUSER).',
      err,
    );
  }
  if (/^NOPERM/.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.PermissionDenied,
      `The Redis user lacks a permission: ${message}`,
      'Grant the user +info +scan +type +pttl +memory +strlen +hlen +llen +scard +zcard +xlen +hkeys +xinfo +command +select (and +cluster in cluster mode; +ft._list +ft.info where RediSearch runs).',
      err,
    );
  }
  const code = codeOf(err);
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    /Connection is closed/.test(message)
  ) {
    return new ConnectorError(
      ConnectorErrorCode.Unreachable,
      `Redis is unreachable: ${message}`,
      'Check host, port and that the server is running.',
      err,
    );
  }
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.Timeout,
      `Redis did not answer in time: ${message}`,
      'Raise the timeout or check the server load.',
      err,
    );
  }
  if (/certificate|SSL|TLS|EPROTO/i.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.Tls,
      `TLS with Redis failed: ${message}`,
      'Check the tls setting and the server certificate.',
      err,
    );
  }
  return new ConnectorError(ConnectorErrorCode.Protocol, `Redis error: ${message}`, undefined, err);
}
