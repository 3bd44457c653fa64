import { errors } from '@elastic/elasticsearch';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';

const TLS_TEXT = /certificate|self[- ]signed|ssl|tls|fingerprint|EPROTO|handshake|unable to verify/i;

/** The server's own reason from an error body: `{ error: { type, reason } }`. */
function reasonOf(err: errors.ResponseError): string {
  const body: unknown = err.meta?.body;
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { type, reason } = error as { type?: unknown; reason?: unknown };
    return [type, reason].filter((x) => typeof x === 'string').join(': ');
  }
  return err.message;
}

/** Maps a client error onto a typed ConnectorError with advice. */
export function classifyEsError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (err instanceof errors.ResponseError) {
    const status = err.statusCode ?? err.meta?.statusCode;
    const reason = reasonOf(err);
    if (status === 401)
      return new ConnectorError(
        ConnectorErrorCode.AuthFailed,
        `Authentication failed (HTTP 401): ${reason}`,
        'Check username/password or api_key.',
        err,
      );
    if (status === 403)
      return new ConnectorError(
        ConnectorErrorCode.PermissionDenied,
        `Not allowed (HTTP 403): ${reason}`,
        'Grant the user the monitor cluster privilege and view_index_metadata (plus monitor for statistics) on the indices to catalog.',
        err,
      );
    if (status === 408 || status === 504)
      return new ConnectorError(
        ConnectorErrorCode.Timeout,
        `Elasticsearch timed out (HTTP ${status}): ${reason}`,
        'Raise timeout or narrow the scope.',
        err,
      );
    return new ConnectorError(
      ConnectorErrorCode.Protocol,
      `Elasticsearch answered HTTP ${status ?? '?'}: ${reason}`,
      undefined,
      err,
    );
  }
  if (err instanceof errors.TimeoutError)
    return new ConnectorError(
      ConnectorErrorCode.Timeout,
      `Request timed out: ${err.message}`,
      'Check that the cluster is responsive, or raise timeout.',
      err,
    );
  if (err instanceof errors.RequestAbortedError)
    return new ConnectorError(ConnectorErrorCode.Cancelled, 'Request cancelled', undefined, err);
  if (err instanceof errors.ProductNotSupportedError)
    return new ConnectorError(
      ConnectorErrorCode.Protocol,
      'The server is not Elasticsearch (it did not send X-Elastic-Product: Elasticsearch)',
      'Check the node URLs point at Elasticsearch 8, not a proxy or another product.',
      err,
    );
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError) {
    if (TLS_TEXT.test(err.message))
      return new ConnectorError(
        ConnectorErrorCode.Tls,
        `TLS failed: ${err.message}`,
        'Check https in the node URLs and ca_fingerprint (or the system CAs) for the node certificates.',
        err,
      );
    return new ConnectorError(
      ConnectorErrorCode.Unreachable,
      `Could not reach Elasticsearch: ${err.message}`,
      'Check the node URLs, that the nodes are up, and firewalls.',
      err,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ConnectorError(
    ConnectorErrorCode.Protocol,
    `Unexpected error from Elasticsearch: ${message}`,
    undefined,
    err,
  );
}
