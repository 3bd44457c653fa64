import { IncomingMessage, ServerResponse } from 'node:http';
import { newId } from '../ids';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a well-formed incoming X-Request-Id, else mints `req-<ulid>`; echoes it on the response. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : newId('req');
  res.setHeader('X-Request-Id', id);
  return id;
}

export function requestIdOf(req: { id?: unknown }): string {
  return typeof req.id === 'string' ? req.id : String(req.id ?? '');
}

interface CallMetadata {
  get(key: string): Array<string | Buffer>;
}

const rpcRequestIds = new WeakMap<object, string>();

/**
 * The request id of a gRPC call: a well-formed incoming `x-request-id` metadata value is kept, else
 * `req-<ulid>` is minted once per call (the metadata object lives as long as the call).
 */
export function requestIdOfRpc(metadata: CallMetadata | undefined): string {
  if (!metadata || typeof metadata.get !== 'function') return newId('req');
  const known = rpcRequestIds.get(metadata);
  if (known) return known;
  const incoming = metadata.get('x-request-id')[0];
  const id = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : newId('req');
  rpcRequestIds.set(metadata, id);
  return id;
}
