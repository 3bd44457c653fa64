import { createHash } from 'node:crypto';
import { Client } from 'minio';
import { runDiagnostics, withDeadline } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { createGuardedAgent } from '../core/guarded-agent';
import { assetKey, inScope, namespaceInScope } from '../core/scope';
import { AddressGuard, AssetRef, CatalogAsset, CatalogBatch, CollectOptions, ConnectContext, Connector, TestResult, AssetProfile } from '../core/types';
import { BucketSettings, readBucketSettings } from './bucket-settings';
import { MinioSettings } from './config';
import { classifyS3Error } from './errors';
import { ListedObject, PrefixAggregator, PrefixStats } from './prefixes';
import type { S3Api } from './s3-api';
import { readSample, SampleOutcome } from './sample-reader';

export type S3ClientFactory = (settings: MinioSettings, guard: AddressGuard) => S3Api;

/**
 * Path-style requests: what MinIO and S3-compatible stores expect for custom endpoints. The
 * guarded agent checks every connection against the address policy and connects to the address
 * checked.
 */
const defaultClientFactory: S3ClientFactory = (s, guard) =>
  new Client({
    endPoint: s.host,
    port: s.port,
    useSSL: s.useSSL,
    accessKey: s.accessKey,
    secretKey: s.secretKey,
    region: s.region,
    pathStyle: true,
    retryOptions: { disableRetry: true },
    transportAgent: createGuardedAgent(guard, { secure: s.useSSL, keepAlive: true }),
  });

export class MinioConnector implements Connector {
  private client?: S3Api;

  constructor(
    private readonly settings: MinioSettings,
    private readonly context: ConnectContext,
    private readonly createClient: S3ClientFactory = defaultClientFactory,
  ) {}

  private async connection(): Promise<S3Api> {
    if (!this.settings.host) throw new ConnectorError(ConnectorErrorCode.InvalidConfig, 'endpoint is empty', 'Set endpoint to the MinIO/S3 host.');
    if (!this.client) {
      await this.context.guardAddress(this.settings.host);
      this.client = this.createClient(this.settings, this.context.guardAddress);
    }
    return this.client;
  }

  private async call<T>(work: () => Promise<T>, signal: AbortSignal, what: string): Promise<T> {
    throwIfAborted(signal);
    try {
      return await withDeadline(work(), this.settings.timeoutMs, signal, what);
    } catch (err) {
      throw classifyS3Error(err);
    }
  }

  async test(signal: AbortSignal): Promise<TestResult> {
    let bucketNames: string[] = [];
    return runDiagnostics({
      host: this.settings.host,
      port: this.settings.port,
      timeoutMs: this.settings.timeoutMs,
      signal,
      guardAddress: this.context.guardAddress,
      tls: this.settings.useSSL ? { mode: 'direct' } : undefined,
      authenticate: async () => {
        const client = await this.connection();
        bucketNames = (await client.listBuckets()).map((b) => b.name);
        return { serverInfo: `S3-compatible endpoint ${this.settings.host}:${this.settings.port}, ${bucketNames.length} bucket(s)` };
      },
      readCatalog: async () => {
        if (bucketNames.length === 0) return 'no buckets';
        const client = await this.connection();
        const first = await this.firstObject(client, bucketNames[0]);
        return `bucket "${bucketNames[0]}" is listable${first ? '' : ' (empty)'}`;
      },
      classify: (err) => classifyS3Error(err),
    });
  }

  private async firstObject(client: S3Api, bucket: string): Promise<string | null> {
    const stream = client.listObjectsV2(bucket, '', true);
    try {
      for await (const item of stream) {
        const name = (item as { name?: string }).name;
        if (name) return name;
      }
      return null;
    } finally {
      stream.destroy();
    }
  }

  /** Streams the bucket's objects, at most `maxObjects`, each page within the timeout. */
  private async listBucket(client: S3Api, bucket: string, signal: AbortSignal, onObject: (o: ListedObject) => void): Promise<{ listed: number; truncated: boolean }> {
    const stream = client.listObjectsV2(bucket, '', true);
    const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<unknown>;
    let listed = 0;
    try {
      for (;;) {
        const next = await this.call(() => iterator.next(), signal, `Listing ${bucket}`);
        if (next.done) return { listed, truncated: false };
        const item = next.value as { name?: string; size?: number; lastModified?: Date; etag?: string };
        if (!item.name) continue;
        if (listed >= this.settings.maxObjects) return { listed, truncated: true };
        listed++;
        onObject({ key: item.name, size: item.size ?? 0, lastModified: item.lastModified ?? null, etag: item.etag ?? '' });
      }
    } finally {
      stream.destroy();
    }
  }

  async *collect(options: CollectOptions): AsyncGenerator<CatalogBatch> {
    const { signal } = options;
    const client = await this.connection();
    const buckets = (await this.call(() => client.listBuckets(), signal, 'Listing buckets'))
      .filter((b) => namespaceInScope(options.scope, b.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const size = Math.max(1, options.batchSize);
    let done = 0;
    for (const bucket of buckets) {
      const aggregator = new PrefixAggregator(this.settings.prefixDepth);
      const listing = await this.listBucket(client, bucket.name, signal, (o) => aggregator.add(o));
      const { bucket: totals, prefixes } = aggregator.finish();
      const bucketSettings = await readBucketSettings(client, bucket.name, this.settings.timeoutMs, signal);
      const wanted = (name: string) => inScope(options.scope.includeTables, options.scope.excludeTables, name);

      const assets: CatalogAsset[] = [];
      const unchanged: AssetRef[] = [];
      if (wanted(bucket.name)) assets.push(this.bucketAsset(bucket.name, bucket.creationDate, totals, bucketSettings, listing));
      const samples = new Map<string, Promise<SampleOutcome>>();
      for (const p of prefixes.filter((x) => wanted(x.prefix))) {
        const changeSignal = p.fingerprint;
        const previous = options.mode === 'incremental' ? options.previousSignals?.get(assetKey(bucket.name, p.prefix)) : undefined;
        if (previous !== undefined && previous === changeSignal) {
          unchanged.push({ namespace: bucket.name, name: p.prefix });
          continue;
        }
        let outcome: SampleOutcome | undefined;
        if (this.settings.sampleSchema && p.sampleKey && p.sampleSize) {
          // Nested prefixes often share their first object; read it once.
          let pending = samples.get(p.sampleKey);
          if (!pending) {
            pending = readSample(client, bucket.name, p.sampleKey, p.sampleSize, this.settings.sampleBytes, this.settings.timeoutMs, signal);
            samples.set(p.sampleKey, pending);
          }
          outcome = await pending;
        }
        assets.push(prefixAsset(bucket.name, p, outcome, this.settings.sampleSchema));
      }

      const namespace = {
        name: bucket.name,
        kind: 'bucket' as const,
        properties: { creation_date: bucket.creationDate?.toISOString?.() ?? null, objects: totals.objects, bytes: totals.bytes, prefixes: prefixes.length, listing_truncated: listing.truncated },
      };
      if (assets.length === 0) yield { namespaces: [namespace], assets: [], ...(unchanged.length ? { unchanged } : {}) };
      for (let i = 0; i < assets.length; i += size) {
        const first = i === 0;
        yield { ...(first ? { namespaces: [namespace] } : {}), assets: assets.slice(i, i + size), ...(first && unchanged.length ? { unchanged } : {}) };
      }
      done += assets.length + unchanged.length;
      options.onProgress?.(done);
    }
  }

  private bucketAsset(name: string, created: Date | undefined, totals: PrefixStats, settings: BucketSettings, listing: { truncated: boolean }): CatalogAsset {
    const { unavailable, ...configured } = settings;
    return {
      namespace: name,
      name,
      kind: 'bucket',
      properties: {
        creation_date: created?.toISOString?.() ?? null,
        ...configured,
        ...(Object.keys(unavailable).length ? { unavailable } : {}),
        object_count: totals.objects,
        bytes: totals.bytes,
        last_modified: totals.lastModified?.toISOString() ?? null,
        formats: totals.formats,
        prefix_depth: this.settings.prefixDepth,
        listing_truncated: listing.truncated,
      },
      statistics: { rows: totals.objects, bytes: totals.bytes },
      fields: [],
      changeSignal: createHash('sha1').update(totals.fingerprint).update(JSON.stringify(configured)).digest('hex'),
    };
  }

  async profile(): Promise<AssetProfile> {
    throw new ConnectorError(
      ConnectorErrorCode.Unsupported,
      'Object storage prefixes are not profiled',
      'Object counts, sizes and formats are collected with the catalog; columns come from a bounded schema sample.',
    );
  }

  async close(): Promise<void> {
    // minio-js keeps no connection open between requests beyond Node's keep-alive agent.
    this.client = undefined;
  }
}

function prefixAsset(bucket: string, p: PrefixStats, outcome: SampleOutcome | undefined, sampling: boolean): CatalogAsset {
  let schemaSample: Record<string, unknown> | null = null;
  if (outcome) {
    schemaSample = {
      object: outcome.object,
      format: outcome.format,
      bytes_read: outcome.bytes_read,
      complete: outcome.complete,
      ...(outcome.sample ? { rows: outcome.sample.rows, invalid_records: outcome.sample.invalid } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
    };
  } else if (sampling) {
    const formats = Object.keys(p.formats);
    schemaSample = { skipped: formats.includes('parquet') ? 'no CSV/JSON object here; Parquet schemas are not read' : 'no CSV/TSV/JSON-lines/JSON object here' };
  }
  return {
    namespace: bucket,
    name: p.prefix,
    kind: 'prefix',
    properties: {
      prefix: p.prefix,
      depth: p.depth,
      object_count: p.objects,
      bytes: p.bytes,
      last_modified: p.lastModified?.toISOString() ?? null,
      formats: p.formats,
      schema_sample: schemaSample,
    },
    statistics: { rows: p.objects, bytes: p.bytes },
    fields: outcome?.sample?.fields ?? [],
    changeSignal: p.fingerprint,
  };
}
