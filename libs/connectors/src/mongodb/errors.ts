import {
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoParseError,
  MongoServerError,
  MongoServerSelectionError,
  MongoInvalidArgumentError,
} from 'mongodb';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';

/** Server error codes from MongoDB's error code list (src/mongo/base/error_codes.yml). */
export const MONGO_CODES = {
  Unauthorized: 13,
  AuthenticationFailed: 18,
  MaxTimeMSExpired: 50,
  CommandNotSupportedOnView: 166,
  NamespaceNotFound: 26,
} as const;

const TLS_TEXT = /certificate|self[- ]signed|ssl|tls|EPROTO|handshake|unable to verify/i;
const REFUSED_TEXT = /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|connection .*closed/i;

/** Messages of an error and what it wraps (cause, and each server's error in a selection failure). */
function messagesOf(err: unknown, depth = 0): string {
  if (depth > 3 || typeof err !== 'object' || err === null) return '';
  const parts: string[] = [];
  if (err instanceof Error) parts.push(err.message);
  const cause: unknown = (err as { cause?: unknown }).cause;
  if (cause) parts.push(messagesOf(cause, depth + 1));
  const servers: unknown = (err as { reason?: { servers?: unknown } }).reason?.servers;
  if (servers instanceof Map) {
    for (const server of servers.values()) parts.push(messagesOf((server as { error?: unknown }).error, depth + 1));
  }
  return parts.filter(Boolean).join(' | ');
}

function codeIn(err: unknown, depth = 0): number | undefined {
  if (depth > 3 || typeof err !== 'object' || err === null) return undefined;
  if (err instanceof MongoServerError && typeof err.code === 'number') return err.code;
  const nested = [(err as { cause?: unknown }).cause];
  const servers: unknown = (err as { reason?: { servers?: unknown } }).reason?.servers;
  if (servers instanceof Map) for (const s of servers.values()) nested.push((s as { error?: unknown }).error);
  for (const inner of nested) {
    const code = codeIn(inner, depth + 1);
    if (code !== undefined) return code;
  }
  return undefined;
}

/** A ConnectorError the driver wrapped (the address guard refusing a host inside its lookup). */
function connectorErrorIn(err: unknown, depth = 0): ConnectorError | undefined {
  if (depth > 3 || typeof err !== 'object' || err === null) return undefined;
  if (err instanceof ConnectorError) return err;
  const nested: unknown[] = [(err as { cause?: unknown }).cause];
  const servers: unknown = (err as { reason?: { servers?: unknown } }).reason?.servers;
  if (servers instanceof Map) for (const s of servers.values()) nested.push((s as { error?: unknown }).error);
  for (const inner of nested) {
    const found = connectorErrorIn(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Maps a driver error onto a typed ConnectorError with advice. */
export function classifyMongoError(err: unknown): ConnectorError {
  const wrapped = connectorErrorIn(err);
  if (wrapped) return wrapped;
  const text = messagesOf(err) || String(err);
  const code = codeIn(err);
  if (code === MONGO_CODES.AuthenticationFailed) {
    return new ConnectorError(
      ConnectorErrorCode.AuthFailed,
      `Authentication failed: ${text}`,
      'Check username, password and auth_source (the database that holds the account).',
      err,
    );
  }
  if (code === MONGO_CODES.Unauthorized) {
    return new ConnectorError(
      ConnectorErrorCode.PermissionDenied,
      `Not authorized: ${text}`,
      'Grant the account read on the databases to catalog (and clusterMonitor for listDatabases/$collStats across databases).',
      err,
    );
  }
  if (code === MONGO_CODES.MaxTimeMSExpired) {
    return new ConnectorError(
      ConnectorErrorCode.Timeout,
      `The server stopped the operation at its time limit: ${text}`,
      'Raise timeout or lower sample_size.',
      err,
    );
  }
  if (err instanceof MongoParseError || err instanceof MongoInvalidArgumentError) {
    return new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      `Invalid connection settings: ${text}`,
      'Check the uri and its options.',
      err,
    );
  }
  if (TLS_TEXT.test(text) && (err instanceof MongoServerSelectionError || err instanceof MongoNetworkError)) {
    return new ConnectorError(
      ConnectorErrorCode.Tls,
      `TLS failed: ${text}`,
      'Check the tls setting and that the server certificate is trusted by this service.',
      err,
    );
  }
  if (err instanceof MongoNetworkTimeoutError) {
    return new ConnectorError(
      ConnectorErrorCode.Timeout,
      `The server did not answer in time: ${text}`,
      'Check that the server is up and responsive, or raise timeout.',
      err,
    );
  }
  if (err instanceof MongoServerSelectionError) {
    return REFUSED_TEXT.test(text)
      ? new ConnectorError(
          ConnectorErrorCode.Unreachable,
          `No MongoDB server could be reached: ${text}`,
          'Check host, port and firewalls; for replica sets, that members are reachable under the names they advertise.',
          err,
        )
      : new ConnectorError(
          ConnectorErrorCode.Timeout,
          `No suitable MongoDB server answered in time: ${text}`,
          'Check host and port, that replica_set matches the set name the members report, and the network; or raise timeout.',
          err,
        );
  }
  if (err instanceof MongoNetworkError) {
    return new ConnectorError(
      ConnectorErrorCode.Unreachable,
      `Network error talking to MongoDB: ${text}`,
      'Check host, port and firewalls.',
      err,
    );
  }
  if (err instanceof MongoServerError) {
    return new ConnectorError(ConnectorErrorCode.Protocol, `MongoDB refused the command: ${text}`, undefined, err);
  }
  return new ConnectorError(ConnectorErrorCode.Protocol, `Unexpected error from MongoDB: ${text}`, undefined, err);
}
