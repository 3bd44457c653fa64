import type Redis from 'ioredis';
import { inScope, namespaceInScope } from '../core/scope';
import {
  CatalogAsset,
  CatalogBatch,
  CatalogField,
  CatalogNamespace,
  CollectOptions,
  AddressGuard,
} from '../core/types';
import { openRedis, closeQuietly } from './client';
import { parseClusterMasters } from './cluster-nodes';
import { RedisSettings } from './config';
import { detectModules, readSearchIndexes, RedisModules } from './modules';
import { KeyspaceEntry, parseInfo, parseKeyspace, ServerSummary, summarizeServer } from './info';
import { aggregatePatterns, KeyProbe, PatternStats } from './pattern-stats';
import { JSON_TYPE, probeKeys, sampleKeys } from './probe';

/** One Redis command within the source's timeout, its failure classified. */
export type RedisCall = <T>(work: () => Promise<T>, signal: AbortSignal, what: string) => Promise<T>;

export interface RedisCollectContext {
  settings: RedisSettings;
  /** Checks each cluster master before a connection is opened to it. */
  guard: AddressGuard;
  call: RedisCall;
}

/** One place keys are sampled from: the server itself, or one master of a cluster. */
interface SampleSource {
  client: Redis;
  node?: string;
  keys: number;
  expires: number;
}

interface SampledDatabase {
  probes: KeyProbe[];
  /** Per node (or `''` standalone): keys on the node divided by keys sampled there. */
  weights: Map<string, number>;
  complete: boolean;
}

export async function* collectRedis(
  client: Redis,
  ctx: RedisCollectContext,
  options: CollectOptions,
): AsyncGenerator<CatalogBatch> {
  const info = parseInfo(await ctx.call(() => client.info(), options.signal, 'INFO'));
  const server = summarizeServer(info);

  if (server.mode === 'sentinel') {
    // A sentinel holds no keys; it names the masters it watches.
    const masters = await ctx.call(() => client.call('SENTINEL', 'MASTERS'), options.signal, 'SENTINEL MASTERS');
    if (namespaceInScope(options.scope, 'sentinel')) {
      yield {
        namespaces: [{ name: 'sentinel', kind: 'cluster', properties: { server, masters: sentinelMasters(masters) } }],
        assets: [],
      };
    }
    return;
  }

  const measure = options.mode !== 'schema_only';
  if (server.mode === 'cluster') {
    yield* collectCluster(client, server, ctx, options, measure);
    return;
  }

  const modules = await detectModules(client, ctx.call, options.signal);
  const keyspace = parseKeyspace(info);
  const dbs = ctx.settings.db !== undefined ? [ctx.settings.db] : keyspace.filter((k) => k.keys > 0).map((k) => k.db);
  let done = 0;
  for (const db of dbs) {
    const namespace = `db${db}`;
    if (!namespaceInScope(options.scope, namespace)) continue;
    const entry = keyspace.find((k) => k.db === db) ?? { db, keys: 0, expires: 0, avgTtlMs: 0 };
    await ctx.call(() => client.select(db), options.signal, 'SELECT');
    const sampled = await sampleDatabase(
      [{ client, keys: entry.keys, expires: entry.expires }],
      ctx.settings,
      options,
      measure,
    );
    // RediSearch indexes live in database 0.
    const searchIndexes =
      db === 0
        ? (await readSearchIndexes(client, namespace, modules.search, ctx.call, options.signal)).filter((a) =>
            inScope(options.scope.includeTables, options.scope.excludeTables, a.name),
          )
        : [];
    const assets = [...toAssets(ctx.settings, namespace, sampled, options), ...searchIndexes];
    done += assets.length;
    yield* inBatches(
      {
        name: namespace,
        kind: 'database',
        properties: {
          ...namespaceProperties(ctx.settings, server, entry, sampled),
          modules: moduleProperties(modules),
        },
      },
      assets,
      options.batchSize,
    );
    options.onProgress?.(done);
  }
}

async function* collectCluster(
  seed: Redis,
  server: ServerSummary,
  ctx: RedisCollectContext,
  options: CollectOptions,
  measure: boolean,
): AsyncGenerator<CatalogBatch> {
  const namespace = 'db0';
  if (!namespaceInScope(options.scope, namespace)) return;
  const nodesText = String(await ctx.call(() => seed.call('CLUSTER', 'NODES'), options.signal, 'CLUSTER NODES'));
  const masters = parseClusterMasters(nodesText, ctx.settings.host);
  const sources: SampleSource[] = [];
  try {
    for (const master of masters) {
      const client = await openRedis(ctx.settings, ctx.guard, options.signal, master);
      const entry = parseKeyspace(
        parseInfo(await ctx.call(() => client.info('keyspace'), options.signal, 'INFO keyspace')),
      ).find((k) => k.db === 0);
      sources.push({
        client,
        node: `${master.host}:${master.port}`,
        keys: entry?.keys ?? 0,
        expires: entry?.expires ?? 0,
      });
    }
    const sampled = await sampleDatabase(sources, ctx.settings, options, measure);
    const total: KeyspaceEntry = {
      db: 0,
      keys: sum(sources.map((s) => s.keys)),
      expires: sum(sources.map((s) => s.expires)),
      avgTtlMs: 0,
    };
    const properties = {
      ...namespaceProperties(ctx.settings, server, total, sampled),
      nodes: sources.map((s) => ({ address: s.node, keys: s.keys, expires: s.expires })),
    };
    yield* inBatches(
      { name: namespace, kind: 'database', properties },
      toAssets(ctx.settings, namespace, sampled, options),
      options.batchSize,
    );
  } finally {
    await Promise.all(sources.map((s) => closeQuietly(s.client)));
  }
}

async function sampleDatabase(
  sources: SampleSource[],
  settings: RedisSettings,
  options: CollectOptions,
  measure: boolean,
): Promise<SampledDatabase> {
  const probes: KeyProbe[] = [];
  const weights = new Map<string, number>();
  let complete = true;
  for (const source of sources) {
    const sample = await sampleKeys(source.client, settings.sampleSize, {
      signal: options.signal,
      timeoutMs: settings.timeoutMs,
    });
    complete &&= sample.complete;
    const nodeProbes = await probeKeys(source.client, sample.keys, {
      signal: options.signal,
      timeoutMs: settings.timeoutMs,
      separator: settings.separator,
      measure,
      node: source.node,
    });
    probes.push(...nodeProbes);
    // A complete walk counts every key once; otherwise each sampled key stands for keys/sampled keys.
    weights.set(source.node ?? '', sample.complete || sample.keys.length === 0 ? 1 : source.keys / sample.keys.length);
  }
  return { probes, weights, complete };
}

function namespaceProperties(
  settings: RedisSettings,
  server: ServerSummary,
  entry: KeyspaceEntry,
  sampled: SampledDatabase,
): Record<string, unknown> {
  return {
    server,
    keys: entry.keys,
    expiring_keys: entry.expires,
    avg_ttl_ms: entry.avgTtlMs || null,
    sampled_keys: sampled.probes.length,
    sample_size: settings.sampleSize,
    sample_complete: sampled.complete,
    key_separator: settings.separator,
  };
}

function toAssets(
  settings: RedisSettings,
  namespace: string,
  sampled: SampledDatabase,
  options: CollectOptions,
): CatalogAsset[] {
  const stats = aggregatePatterns(sampled.probes, settings.separator);
  return stats
    .filter((s) => inScope(options.scope.includeTables, options.scope.excludeTables, s.pattern))
    .map((s) => patternAsset(namespace, s, estimateKeys(s, sampled.weights), sampled.complete, sampled.probes.length));
}

function* inBatches(namespace: CatalogNamespace, assets: CatalogAsset[], batchSize: number): Generator<CatalogBatch> {
  const size = Math.max(1, batchSize);
  if (assets.length === 0) {
    yield { namespaces: [namespace], assets: [] };
    return;
  }
  for (let i = 0; i < assets.length; i += size) {
    yield { ...(i === 0 ? { namespaces: [namespace] } : {}), assets: assets.slice(i, i + size) };
  }
}

/** `modules` on each database: whether RediSearch and RedisJSON answer, and why not when they do not. */
function moduleProperties(modules: RedisModules): Record<string, unknown> {
  return { search: { ...modules.search }, json: { ...modules.json } };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Keys a pattern probably has in the whole database, from its share of the (per-node) sample. */
export function estimateKeys(stats: PatternStats, weights: Map<string, number>): number {
  if (stats.nodes) return Math.round(sum(Object.entries(stats.nodes).map(([node, n]) => n * (weights.get(node) ?? 1))));
  return Math.round(stats.sampled * (weights.get('') ?? 1));
}

function patternAsset(
  namespace: string,
  s: PatternStats,
  estimatedKeys: number,
  exact: boolean,
  sampleTotal: number,
): CatalogAsset {
  const fields: CatalogField[] = [...s.hashFields.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, seen], i) => ({
      name,
      ordinal: i + 1,
      dataType: s.types[JSON_TYPE] ? 'json field' : 'hash field',
      nullable: seen < s.hashesRead,
      properties: { presence_ratio: Math.round((seen / s.hashesRead) * 1000) / 1000, hashes_read: s.hashesRead },
    }));
  return {
    namespace,
    name: s.pattern,
    kind: 'key_pattern',
    properties: {
      pattern: s.pattern,
      types: s.types,
      ttl: s.ttl,
      memory: s.memory,
      length: s.length,
      sampled_keys: s.sampled,
      sample_share: sampleTotal > 0 ? Math.round((s.sampled / sampleTotal) * 10000) / 10000 : 0,
      estimated_keys: estimatedKeys,
      exact,
      ...(s.nodes ? { nodes: s.nodes } : {}),
      ...(s.streamGroups ? { consumer_groups: s.streamGroups } : {}),
    },
    statistics: {
      rows: estimatedKeys,
      bytes: s.memory ? Math.round(s.memory.per_key.avg * estimatedKeys) : null,
    },
    fields,
  };
}

function sentinelMasters(reply: unknown): Array<Record<string, string>> {
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map((flat: unknown[]) => {
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
    return { name: out.name, ip: out.ip, port: out.port, flags: out.flags, replicas: out['num-slaves'] };
  });
}
