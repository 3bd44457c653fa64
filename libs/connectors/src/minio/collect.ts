import { createHash } from 'node:crypto';
import { isUnchanged } from '../core/change-signals';
import { inScope, namespaceInScope } from '../core/scope';
import { AssetRef, CatalogAsset, CatalogBatch, CollectOptions } from '../core/types';
import { BucketSettings, readBucketSettings } from './bucket-settings';
import { MinioSettings } from './config';
import { ListedObject, PrefixAggregator, PrefixStats } from './prefixes';
import type { S3Api } from './s3-api';
import { lakeTableAsset } from './lake-tables';
import { readSample, SampleOutcome } from './sample-reader';
import { TableLayoutFinder } from './table-layouts';

/** One S3 request within the source's timeout, its failure classified. */
export type S3Call = <T>(work: () => Promise<T>, signal: AbortSignal, what: string) => Promise<T>;

export interface MinioCollectContext {
  settings: MinioSettings;
  call: S3Call;
}

/** Streams the bucket's objects, at most `maxObjects`, each page within the timeout. */
async function listBucket(
  client: S3Api,
  bucket: string,
  ctx: MinioCollectContext,
  signal: AbortSignal,
  onObject: (o: ListedObject) => void,
): Promise<{ listed: number; truncated: boolean }> {
  const stream = client.listObjectsV2(bucket, '', true);
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  let listed = 0;
  try {
    for (;;) {
      const next = await ctx.call(() => iterator.next(), signal, `Listing ${bucket}`);
      if (next.done) return { listed, truncated: false };
      const item = next.value as { name?: string; size?: number; lastModified?: Date; etag?: string };
      if (!item.name) continue;
      if (listed >= ctx.settings.maxObjects) return { listed, truncated: true };
      listed++;
      onObject({
        key: item.name,
        size: item.size ?? 0,
        lastModified: item.lastModified ?? null,
        etag: item.etag ?? '',
      });
    }
  } finally {
    stream.destroy();
  }
}

export async function* collectMinio(
  client: S3Api,
  ctx: MinioCollectContext,
  options: CollectOptions,
): AsyncGenerator<CatalogBatch> {
  const { signal } = options;
  const { settings } = ctx;
  const buckets = (await ctx.call(() => client.listBuckets(), signal, 'Listing buckets'))
    .filter((b) => namespaceInScope(options.scope, b.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const size = Math.max(1, options.batchSize);
  let done = 0;
  for (const bucket of buckets) {
    const aggregator = new PrefixAggregator(settings.prefixDepth);
    const tables = new TableLayoutFinder();
    const listing = await listBucket(client, bucket.name, ctx, signal, (o) => {
      aggregator.add(o);
      tables.add(o);
    });
    const { bucket: totals, prefixes } = aggregator.finish();
    const bucketSettings = await readBucketSettings(client, bucket.name, settings.timeoutMs, signal);
    const wanted = (name: string) => inScope(options.scope.includeTables, options.scope.excludeTables, name);

    const assets: CatalogAsset[] = [];
    const unchanged: AssetRef[] = [];
    if (wanted(bucket.name))
      assets.push(bucketAsset(bucket.name, bucket.creationDate, totals, bucketSettings, listing, settings.prefixDepth));
    const samples = new Map<string, Promise<SampleOutcome>>();
    for (const p of prefixes.filter((x) => wanted(x.prefix))) {
      const changeSignal = p.fingerprint;
      if (isUnchanged(options, bucket.name, p.prefix, changeSignal)) {
        unchanged.push({ namespace: bucket.name, name: p.prefix });
        continue;
      }
      let outcome: SampleOutcome | undefined;
      if (settings.sampleSchema && p.sampleKey && p.sampleSize) {
        // Nested prefixes often share their first object; read it once.
        let pending = samples.get(p.sampleKey);
        if (!pending) {
          pending = readSample(
            client,
            bucket.name,
            p.sampleKey,
            p.sampleSize,
            {
              sampleBytes: settings.sampleBytes,
              maxFooterBytes: settings.maxFooterBytes,
              timeoutMs: settings.timeoutMs,
            },
            signal,
          );
          samples.set(p.sampleKey, pending);
        }
        outcome = await pending;
      }
      assets.push(prefixAsset(bucket.name, p, outcome, settings.sampleSchema));
    }
    const reader = { client, bucket: bucket.name, settings, signal };
    for (const table of tables.finish()) {
      const name = table.root.slice(0, -1);
      if (!wanted(name)) continue;
      if (isUnchanged(options, bucket.name, name, table.fingerprint)) unchanged.push({ namespace: bucket.name, name });
      else assets.push(await lakeTableAsset(reader, table));
    }

    const namespace = {
      name: bucket.name,
      kind: 'bucket' as const,
      properties: {
        creation_date: bucket.creationDate?.toISOString?.() ?? null,
        objects: totals.objects,
        bytes: totals.bytes,
        prefixes: prefixes.length,
        listing_truncated: listing.truncated,
      },
    };
    if (assets.length === 0) yield { namespaces: [namespace], assets: [], ...(unchanged.length ? { unchanged } : {}) };
    for (let i = 0; i < assets.length; i += size) {
      const first = i === 0;
      yield {
        ...(first ? { namespaces: [namespace] } : {}),
        assets: assets.slice(i, i + size),
        ...(first && unchanged.length ? { unchanged } : {}),
      };
    }
    done += assets.length + unchanged.length;
    options.onProgress?.(done);
  }
}

function bucketAsset(
  name: string,
  created: Date | undefined,
  totals: PrefixStats,
  settings: BucketSettings,
  listing: { truncated: boolean },
  prefixDepth: number,
): CatalogAsset {
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
      prefix_depth: prefixDepth,
      listing_truncated: listing.truncated,
    },
    statistics: { rows: totals.objects, bytes: totals.bytes },
    fields: [],
    changeSignal: createHash('sha1').update(totals.fingerprint).update(JSON.stringify(configured)).digest('hex'),
  };
}

function prefixAsset(
  bucket: string,
  p: PrefixStats,
  outcome: SampleOutcome | undefined,
  sampling: boolean,
): CatalogAsset {
  let schemaSample: Record<string, unknown> | null = null;
  if (outcome) {
    schemaSample = {
      object: outcome.object,
      format: outcome.format,
      bytes_read: outcome.bytes_read,
      complete: outcome.complete,
      ...(outcome.sample ? { rows: outcome.sample.rows, invalid_records: outcome.sample.invalid } : {}),
      ...(outcome.parquet ? { parquet: outcome.parquet } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
    };
  } else if (sampling) {
    schemaSample = { skipped: 'no CSV/TSV/JSON-lines/JSON/Avro/Parquet object here' };
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
