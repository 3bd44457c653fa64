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
