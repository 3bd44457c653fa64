import { ConnectorError, ConnectorErrorCode } from '../core/errors';

/** The S3 error code (`AccessDenied`, `NoSuchTagSet`) or the Node error code of a failure. */
export function s3Code(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** Maps a minio-js / S3 failure onto a typed ConnectorError with advice. */
export function classifyS3Error(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const code = s3Code(err);
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'InvalidAccessKeyId':
      return new ConnectorError(
        ConnectorErrorCode.AuthFailed,
        `The endpoint does not know this access key: ${message}`,
        'Check access_key.',
        err,
      );
    case 'SignatureDoesNotMatch':
      return new ConnectorError(
        ConnectorErrorCode.AuthFailed,
        `The request signature was refused: ${message}`,
        'Check secret_key (and region, which is part of the signature).',
        err,
      );
    case 'InvalidToken':
    case 'ExpiredToken':
      return new ConnectorError(
        ConnectorErrorCode.AuthFailed,
        `The credentials are no longer valid: ${message}`,
        'Renew the access key.',
        err,
      );
    case 'AccessDenied':
      return new ConnectorError(
        ConnectorErrorCode.PermissionDenied,
        `Access denied: ${message}`,
        'Allow s3:ListAllMyBuckets, s3:ListBucket, s3:GetBucket* and s3:GetObject (for schema samples) to the key.',
        err,
      );
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ECONNRESET':
      return new ConnectorError(
        ConnectorErrorCode.Unreachable,
        `The endpoint is unreachable: ${message}`,
        'Check endpoint, port and use_ssl.',
        err,
      );
    case 'ETIMEDOUT':
      return new ConnectorError(
        ConnectorErrorCode.Timeout,
        `The endpoint did not answer in time: ${message}`,
        'Raise the timeout.',
        err,
      );
  }
  if (/certificate|SSL|TLS|EPROTO|wrong version number/i.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.Tls,
      `TLS with the endpoint failed: ${message}`,
      'Check use_ssl and the server certificate.',
      err,
    );
  }
  return new ConnectorError(
    ConnectorErrorCode.Protocol,
    `S3 error${code ? ` ${code}` : ''}: ${message}`,
    undefined,
    err,
  );
}
