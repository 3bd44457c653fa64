import { ulid } from 'ulid';

/** Prefixed, URL-safe, time-sortable ids: `ds-01j9…`, `task-…`, `exec-…`, `req-…`. */
export function newId(prefix: string): string {
  return `${prefix}-${ulid().toLowerCase()}`;
}
