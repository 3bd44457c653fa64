/** Parsing of the text Redis returns for `INFO`: `# Section` headers and `key:value` lines. */

export type InfoMap = Record<string, string>;

export function parseInfo(text: string): InfoMap {
  const out: InfoMap = {};
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

export interface KeyspaceEntry {
  db: number;
  keys: number;
  expires: number;
  avgTtlMs: number;
}

/** `db0:keys=12,expires=3,avg_ttl=1000` lines of the keyspace section. */
export function parseKeyspace(info: InfoMap): KeyspaceEntry[] {
  const out: KeyspaceEntry[] = [];
  for (const [key, value] of Object.entries(info)) {
    const db = /^db(\d+)$/.exec(key);
    if (!db) continue;
    const fields = Object.fromEntries(value.split(',').map((kv) => kv.split('=') as [string, string]));
    out.push({
      db: Number(db[1]),
      keys: Number(fields.keys ?? 0),
      expires: Number(fields.expires ?? 0),
      avgTtlMs: Number(fields.avg_ttl ?? 0),
    });
  }
  return out.sort((a, b) => a.db - b.db);
}

export type RedisMode = 'standalone' | 'cluster' | 'sentinel';

/** What the catalog records about the server (identical on every database namespace). */
export interface ServerSummary {
  version: string | null;
  mode: RedisMode;
  role: string | null;
  maxmemory: number | null;
  maxmemory_policy: string | null;
  used_memory: number | null;
  persistence: { rdb_last_save_time: number | null; rdb_changes_since_last_save: number | null; aof_enabled: boolean };
  connected_replicas: number | null;
  uptime_seconds: number | null;
}

const num = (v: string | undefined): number | null =>
  v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);

export function summarizeServer(info: InfoMap): ServerSummary {
  const mode = info.redis_mode === 'cluster' || info.redis_mode === 'sentinel' ? info.redis_mode : 'standalone';
  return {
    version: info.redis_version ?? null,
    mode,
    role: info.role ?? null,
    maxmemory: num(info.maxmemory),
    maxmemory_policy: info.maxmemory_policy ?? null,
    used_memory: num(info.used_memory),
    persistence: {
      rdb_last_save_time: num(info.rdb_last_save_time),
      rdb_changes_since_last_save: num(info.rdb_changes_since_last_save),
      aof_enabled: info.aof_enabled === '1',
    },
    connected_replicas: num(info.connected_slaves),
    uptime_seconds: num(info.uptime_in_seconds),
  };
}
