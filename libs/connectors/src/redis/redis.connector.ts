import type Redis from 'ioredis';
import { runDiagnostics, withDeadline } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { inScope, namespaceInScope } from '../core/scope';
import {
  AssetProfile,
  CatalogAsset,
  CatalogBatch,
  CatalogField,
  CatalogNamespace,
  CollectOptions,
  ConnectContext,
  Connector,
  ProfileOptions,
  ProfileTarget,
  TestResult,
} from '../core/types';
import { closeQuietly, openRedis } from './client';
import { RedisSettings } from './config';
import { classifyRedisError } from './errors';
import { KeyspaceEntry, parseInfo, parseKeyspace, ServerSummary, summarizeServer } from './info';
import { parseClusterMasters } from './cluster-nodes';
import { patternToGlob } from './key-patterns';
import { aggregatePatterns, KeyProbe, PatternStats } from './pattern-stats';
import { probeKeys, sampleKeys } from './probe';
import { profileProbes } from './profile';

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

export class RedisConnector implements Connector {
  private client?: Redis;

  constructor(
    private readonly settings: RedisSettings,
    private readonly context: ConnectContext,
  ) {}

  async test(signal: AbortSignal): Promise<TestResult> {
    let client: Redis | undefined;
    try {
      return await runDiagnostics({
        host: this.settings.host,
        port: this.settings.port,
        timeoutMs: this.settings.timeoutMs,
        signal,
        guardAddress: this.context.guardAddress,
        tls: this.settings.tls ? { mode: 'direct', options: { rejectUnauthorized: true } } : undefined,
        authenticate: async () => {
          client = await openRedis(this.settings, this.context.guardAddress, signal);
          const server = summarizeServer(parseInfo(await client.info('server')));
          return { serverInfo: `Redis ${server.version ?? '?'} (${server.mode})`, version: server.version ?? undefined };
        },
        readCatalog: async () => {
          const keyspace = parseKeyspace(parseInfo(await client!.info('keyspace')));
          await client!.scan('0', 'COUNT', 1);
          const keys = keyspace.reduce((n, k) => n + k.keys, 0);
          return `${keyspace.length} database(s) hold ${keys} key(s)`;
        },
        classify: (err) => classifyRedisError(err),
      });
    } finally {
      await closeQuietly(client);
    }
  }

  private async connection(signal: AbortSignal): Promise<Redis> {
    if (!this.client || this.client.status !== 'ready') {
      await closeQuietly(this.client);
      this.client = await openRedis(this.settings, this.context.guardAddress, signal);
    }
    return this.client;
  }

  async *collect(options: CollectOptions): AsyncGenerator<CatalogBatch> {
    const client = await this.connection(options.signal);
    const info = parseInfo(await this.call(client.info(), options.signal, 'INFO'));
    const server = summarizeServer(info);

    if (server.mode === 'sentinel') {
      // A sentinel holds no keys; it names the masters it watches.
      const masters = await this.call(client.call('SENTINEL', 'MASTERS'), options.signal, 'SENTINEL MASTERS');
      if (namespaceInScope(options.scope, 'sentinel')) {
        yield { namespaces: [{ name: 'sentinel', kind: 'cluster', properties: { server, masters: sentinelMasters(masters) } }], assets: [] };
      }
      return;
    }

    const measure = options.mode !== 'schema_only';
    if (server.mode === 'cluster') {
      yield* this.collectCluster(client, server, options, measure);
      return;
    }

    const keyspace = parseKeyspace(info);
    const dbs = this.settings.db !== undefined ? [this.settings.db] : keyspace.filter((k) => k.keys > 0).map((k) => k.db);
    let done = 0;
    for (const db of dbs) {
      const namespace = `db${db}`;
      if (!namespaceInScope(options.scope, namespace)) continue;
      const entry = keyspace.find((k) => k.db === db) ?? { db, keys: 0, expires: 0, avgTtlMs: 0 };
      await this.call(client.select(db), options.signal, 'SELECT');
      const sampled = await this.sampleDatabase([{ client, keys: entry.keys, expires: entry.expires }], options, measure);
      const assets = this.toAssets(namespace, sampled, options);
      done += assets.length;
      yield* this.inBatches(
        { name: namespace, kind: 'database', properties: this.namespaceProperties(server, entry, sampled) },
        assets,
        options.batchSize,
      );
      options.onProgress?.(done);
    }
  }

  private async *collectCluster(seed: Redis, server: ServerSummary, options: CollectOptions, measure: boolean): AsyncGenerator<CatalogBatch> {
    const namespace = 'db0';
    if (!namespaceInScope(options.scope, namespace)) return;
    const nodesText = String(await this.call(seed.call('CLUSTER', 'NODES'), options.signal, 'CLUSTER NODES'));
    const masters = parseClusterMasters(nodesText, this.settings.host);
    const sources: SampleSource[] = [];
    try {
      for (const master of masters) {
        const client = await openRedis(this.settings, this.context.guardAddress, options.signal, master);
        const entry = parseKeyspace(parseInfo(await this.call(client.info('keyspace'), options.signal, 'INFO keyspace'))).find((k) => k.db === 0);
        sources.push({ client, node: `${master.host}:${master.port}`, keys: entry?.keys ?? 0, expires: entry?.expires ?? 0 });
      }
      const sampled = await this.sampleDatabase(sources, options, measure);
      const total: KeyspaceEntry = { db: 0, keys: sum(sources.map((s) => s.keys)), expires: sum(sources.map((s) => s.expires)), avgTtlMs: 0 };
      const properties = {
        ...this.namespaceProperties(server, total, sampled),
        nodes: sources.map((s) => ({ address: s.node, keys: s.keys, expires: s.expires })),
      };
      yield* this.inBatches({ name: namespace, kind: 'database', properties }, this.toAssets(namespace, sampled, options), options.batchSize);
    } finally {
      await Promise.all(sources.map((s) => closeQuietly(s.client)));
    }
  }

  private async sampleDatabase(sources: SampleSource[], options: CollectOptions, measure: boolean): Promise<SampledDatabase> {
    const probes: KeyProbe[] = [];
    const weights = new Map<string, number>();
    let complete = true;
    for (const source of sources) {
      const sample = await sampleKeys(source.client, this.settings.sampleSize, { signal: options.signal, timeoutMs: this.settings.timeoutMs });
      complete &&= sample.complete;
      const nodeProbes = await probeKeys(source.client, sample.keys, {
        signal: options.signal,
        timeoutMs: this.settings.timeoutMs,
        separator: this.settings.separator,
        measure,
        node: source.node,
      });
      probes.push(...nodeProbes);
      // A complete walk counts every key once; otherwise each sampled key stands for keys/sampled keys.
      weights.set(source.node ?? '', sample.complete || sample.keys.length === 0 ? 1 : source.keys / sample.keys.length);
    }
    return { probes, weights, complete };
  }

  private namespaceProperties(server: ServerSummary, entry: KeyspaceEntry, sampled: SampledDatabase): Record<string, unknown> {
    return {
      server,
      keys: entry.keys,
      expiring_keys: entry.expires,
      avg_ttl_ms: entry.avgTtlMs || null,
      sampled_keys: sampled.probes.length,
      sample_size: this.settings.sampleSize,
      sample_complete: sampled.complete,
      key_separator: this.settings.separator,
    };
  }

  private toAssets(namespace: string, sampled: SampledDatabase, options: CollectOptions): CatalogAsset[] {
    const stats = aggregatePatterns(sampled.probes, this.settings.separator);
    return stats
      .filter((s) => inScope(options.scope.includeTables, options.scope.excludeTables, s.pattern))
      .map((s) => patternAsset(namespace, s, estimateKeys(s, sampled.weights), sampled.complete, sampled.probes.length));
  }

  private *inBatches(namespace: CatalogNamespace, assets: CatalogAsset[], batchSize: number): Generator<CatalogBatch> {
    const size = Math.max(1, batchSize);
    if (assets.length === 0) {
      yield { namespaces: [namespace], assets: [] };
      return;
    }
    for (let i = 0; i < assets.length; i += size) {
      yield { ...(i === 0 ? { namespaces: [namespace] } : {}), assets: assets.slice(i, i + size) };
    }
  }

  async profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    const client = await this.connection(options.signal);
    const db = /^db(\d+)$/.exec(target.namespace);
    if (!db) throw new ConnectorError(ConnectorErrorCode.InvalidConfig, `"${target.namespace}" is not a Redis database namespace (db0, db1, …)`);
    const info = parseInfo(await this.call(client.info(), options.signal, 'INFO'));
    if (summarizeServer(info).mode === 'cluster') {
      throw new ConnectorError(ConnectorErrorCode.Unsupported, 'Profiling a key pattern is supported on standalone Redis only', 'Profile against one master node instead.');
    }
    await this.call(client.select(Number(db[1])), options.signal, 'SELECT');
    // SCAN MATCH visits the keyspace at COUNT per call; stop after sampleRows matches.
    const sample = await sampleKeys(client, options.sampleRows, { signal: options.signal, timeoutMs: this.settings.timeoutMs, match: patternToGlob(target.name) });
    const probes = await probeKeys(client, sample.keys, { signal: options.signal, timeoutMs: this.settings.timeoutMs, separator: this.settings.separator, measure: true });
    return profileProbes(probes, { complete: sample.complete, topValues: options.topValues, topN: options.topN });
  }

  async close(): Promise<void> {
    await closeQuietly(this.client);
    this.client = undefined;
  }

  private async call<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
    throwIfAborted(signal);
    try {
      return await withDeadline(work, this.settings.timeoutMs, signal, what);
    } catch (err) {
      throw classifyRedisError(err);
    }
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Keys a pattern probably has in the whole database, from its share of the (per-node) sample. */
export function estimateKeys(stats: PatternStats, weights: Map<string, number>): number {
  if (stats.nodes) return Math.round(sum(Object.entries(stats.nodes).map(([node, n]) => n * (weights.get(node) ?? 1))));
  return Math.round(stats.sampled * (weights.get('') ?? 1));
}

function patternAsset(namespace: string, s: PatternStats, estimatedKeys: number, exact: boolean, sampleTotal: number): CatalogAsset {
  const fields: CatalogField[] = [...s.hashFields.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, seen], i) => ({
      name,
      ordinal: i + 1,
      dataType: 'hash field',
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
