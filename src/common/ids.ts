import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';

/**
 * Cryptographic random bytes drawn from a pool refilled 4 KiB at a time: an id takes 16 random
 * characters, and asking the system for one byte each (ulid's default) cost more than the id.
 * 256 is a multiple of ulid's 32-character alphabet, so a byte / 256 keeps every character uniform.
 */
const pool = Buffer.alloc(4096);
let next = pool.length;

function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++] / 256;
}

/** Prefixed, URL-safe, time-sortable ids: `ds-01j9…`, `task-…`, `exec-…`, `req-…`. */
export function newId(prefix: string): string {
  return `${prefix}-${ulid(undefined, pooledRandom).toLowerCase()}`;
}
