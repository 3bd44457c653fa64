/**
 * Which optional modules answer (RediSearch, RedisJSON), asked with `COMMAND INFO`, which names a
 * command the server lacks as nil instead of failing. A missing module is recorded, never an error.
 */
import type Redis from 'ioredis';
import { CatalogAsset } from '../core/types';
import type { RedisCall } from './collect';
import { parseFtInfo, searchIndexAsset } from './search-indexes';

export interface ModuleStatus {
  available: boolean;
  /** Why the module's objects are not in the catalog, when they are not. */
  reason?: string;
}

export interface RedisModules {
  search: ModuleStatus;
  json: ModuleStatus;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function detectModules(client: Redis, call: RedisCall, signal: AbortSignal): Promise<RedisModules> {
  try {
    const reply = await call(() => client.call('COMMAND', 'INFO', 'FT._LIST', 'JSON.GET'), signal, 'COMMAND INFO');
    const [search, json] = Array.isArray(reply) ? reply : [];
    const status = (present: unknown, command: string): ModuleStatus =>
      Array.isArray(present)
        ? { available: true }
        : { available: false, reason: `the server has no ${command} command` };
    return { search: status(search, 'FT._LIST'), json: status(json, 'JSON.GET') };
  } catch (err) {
    if (signal.aborted) throw err;
    const reason = `COMMAND INFO failed: ${messageOf(err)}`;
    return { search: { available: false, reason }, json: { available: false, reason } };
  }
}

/**
 * Every RediSearch index with its schema. A refused FT._LIST (ACL) is recorded on the status;
 * an index dropped between FT._LIST and FT.INFO is left out.
 */
export async function readSearchIndexes(
  client: Redis,
  namespace: string,
  status: ModuleStatus,
  call: RedisCall,
  signal: AbortSignal,
): Promise<CatalogAsset[]> {
  if (!status.available) return [];
  let names: string[];
  try {
    const reply = await call(() => client.call('FT._LIST'), signal, 'FT._LIST');
    names = Array.isArray(reply) ? reply.map(String).sort() : [];
  } catch (err) {
    if (signal.aborted) throw err;
    status.reason = `FT._LIST failed: ${messageOf(err)}`;
    return [];
  }
  const assets: CatalogAsset[] = [];
  for (const name of names) {
    try {
      const info = await call(() => client.call('FT.INFO', name), signal, 'FT.INFO');
      assets.push(searchIndexAsset(namespace, parseFtInfo(info)));
    } catch (err) {
      if (signal.aborted) throw err;
      status.reason = `FT.INFO ${name} failed: ${messageOf(err)}`;
    }
  }
  return assets;
}
