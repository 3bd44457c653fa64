/** Turns probed keys of one pattern into an AssetProfile: counts per type, TTL, memory and length spreads. */
import type Redis from 'ioredis';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { AssetProfile, ColumnProfile, ProfileOptions, ProfileTarget } from '../core/types';
import { RedisCall } from './collect';
import { RedisSettings } from './config';
import { parseInfo, summarizeServer } from './info';
import { patternToGlob } from './key-patterns';
import { KeyProbe } from './pattern-stats';
import { probeKeys, sampleKeys } from './probe';

function numericColumn(name: string, values: Array<number | null>): ColumnProfile {
  const present = values.filter((v): v is number => v !== null);
  const total = values.length;
  const distinct = new Set(present).size;
  const mean = present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
  const variance =
    mean !== null && present.length ? present.reduce((a, v) => a + (v - mean) ** 2, 0) / present.length : null;
  return {
    name,
    null_count: total - present.length,
    null_ratio: total ? (total - present.length) / total : 0,
    distinct_count: distinct,
    distinct_ratio: total ? distinct / total : 0,
    min: present.length ? Math.min(...present) : null,
    max: present.length ? Math.max(...present) : null,
    mean: mean === null ? null : Math.round(mean * 100) / 100,
    stddev: variance === null ? null : Math.round(Math.sqrt(variance) * 100) / 100,
  };
}

export interface RedisProfileContext {
  /** SCAN walked the whole keyspace, so every matching key was seen. */
  complete: boolean;
  topValues: boolean;
  topN: number;
}

export function profileProbes(probes: KeyProbe[], ctx: RedisProfileContext): AssetProfile {
  const live = probes.filter((p) => p.type !== 'none');
  const typeCounts = new Map<string, number>();
  for (const p of live) typeCounts.set(p.type, (typeCounts.get(p.type) ?? 0) + 1);
  const typeColumn: ColumnProfile = {
    name: 'type',
    null_count: 0,
    null_ratio: 0,
    distinct_count: typeCounts.size,
    distinct_ratio: live.length ? typeCounts.size / live.length : 0,
    ...(ctx.topValues
      ? {
          top_values: [...typeCounts.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, ctx.topN)
            .map(([value, count]) => ({ value, count })),
        }
      : {}),
  };
  return {
    // A complete walk counts the pattern exactly; otherwise the count is of the sample read.
    row_count: live.length,
    sampled: !ctx.complete,
    sample_rows: live.length,
    columns: [
      typeColumn,
      // Persistent keys have no TTL and count as nulls.
      numericColumn(
        'ttl_seconds',
        live.map((p) => (p.ttlMs < 0 ? null : Math.round(p.ttlMs / 1000))),
      ),
      numericColumn(
        'memory_bytes',
        live.map((p) => p.memoryBytes),
      ),
      numericColumn(
        'length',
        live.map((p) => p.length),
      ),
    ],
  };
}

/** Samples the keys matching one pattern of one database and profiles them (standalone Redis only). */
export async function profileKeyPattern(
  client: Redis,
  target: ProfileTarget,
  options: ProfileOptions,
  settings: RedisSettings,
  call: RedisCall,
): Promise<AssetProfile> {
  const db = /^db(\d+)$/.exec(target.namespace);
  if (!db)
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      `"${target.namespace}" is not a Redis database namespace (db0, db1, …)`,
    );
  const info = parseInfo(await call(() => client.info(), options.signal, 'INFO'));
  if (summarizeServer(info).mode === 'cluster') {
    throw new ConnectorError(
      ConnectorErrorCode.Unsupported,
      'Profiling a key pattern is supported on standalone Redis only',
      'Profile against one master node instead.',
    );
  }
  await call(() => client.select(Number(db[1])), options.signal, 'SELECT');
  // SCAN MATCH visits the keyspace at COUNT per call; stop after sampleRows matches.
  const sample = await sampleKeys(client, options.sampleRows, {
    signal: options.signal,
    timeoutMs: settings.timeoutMs,
    match: patternToGlob(target.name),
  });
  const probes = await probeKeys(client, sample.keys, {
    signal: options.signal,
    timeoutMs: settings.timeoutMs,
    separator: settings.separator,
    measure: true,
  });
  return profileProbes(probes, { complete: sample.complete, topValues: options.topValues, topN: options.topN });
}
