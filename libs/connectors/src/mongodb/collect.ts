import { createHash } from 'node:crypto';
import { BSON, Document } from 'mongodb';
import { isUnchanged } from '../core/change-signals';
import { withDeadline } from '../core/diagnostics';
import { ConnectorError, throwIfAborted } from '../core/errors';
import { mapLimit } from '../core/lists';
import { assetInScope, namespaceInScope } from '../core/scope';
import { AssetRef, CatalogAsset, CatalogBatch, CatalogNamespace, CollectOptions } from '../core/types';
import { MongoCatalogClient } from './catalog-client';
import { buildCollectionAsset, mapStorage, MongoStorage } from './collection-asset';
import { MongoSettings, SYSTEM_DATABASES } from './config';
import { classifyMongoError, MONGO_CODES } from './errors';
import { inferSchema } from './schema-inference';

/** Runs one server call under the source's timeout and the run's cancel signal. */
export function callWithin<T>(
  settings: MongoSettings,
  signal: AbortSignal,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  return withDeadline(work(), settings.timeoutMs, signal, what).catch((err: unknown) => {
    throw classifyMongoError(err);
  });
}

const n = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

function namespaceOf(name: string, listed: Document | undefined, stats: Document | undefined): CatalogNamespace {
  const properties: Record<string, unknown> = {};
  if (listed) {
    if (n(listed.sizeOnDisk) !== undefined) properties.size_on_disk = listed.sizeOnDisk;
    if (typeof listed.empty === 'boolean') properties.empty = listed.empty;
  }
  if (stats) {
    for (const [from, to] of [
      ['collections', 'collections'],
      ['views', 'views'],
      ['objects', 'objects'],
      ['dataSize', 'data_size'],
      ['storageSize', 'storage_size'],
      ['indexes', 'indexes'],
      ['indexSize', 'index_size'],
      ['totalSize', 'total_size'],
    ] as const) {
      const value = Number(stats[from]);
      if (stats[from] !== undefined && Number.isFinite(value)) properties[to] = value;
    }
  }
  return { name, kind: 'database', properties };
}

/** Errors that mean "this statistic is not available here", not "the run failed". */
function isUnavailable(err: ConnectorError): boolean {
  const cause: unknown = err.cause;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return (
    code === MONGO_CODES.Unauthorized ||
    code === MONGO_CODES.CommandNotSupportedOnView ||
    code === MONGO_CODES.NamespaceNotFound
  );
}

/**
 * Streams the catalog: per database a namespace, then its collections, views and time series
 * collections in batches. Per collection: listIndexes, $collStats (skipped in schema_only) and a
 * bounded $sample whose documents are reduced to a field schema and then dropped.
 * Incremental runs re-read everything (fingerprint mode): a document schema has no change signal.
 */
export async function* collectMongo(
  client: MongoCatalogClient,
  settings: MongoSettings,
  options: CollectOptions,
): AsyncGenerator<CatalogBatch> {
  const { signal, scope } = options;
  const call = <T>(what: string, work: () => Promise<T>) => callWithin(settings, signal, what, work);
  const withStats = options.mode !== 'schema_only';

  await call('connect', () => client.connect());
  let listed: Document[];
  if (settings.database) listed = [{ name: settings.database }];
  else listed = await call('listDatabases', () => client.listDatabases());
  const databases = listed
    .filter((d) => typeof d.name === 'string')
    .filter(
      (d) =>
        settings.database !== undefined ||
        settings.includeSystemDatabases ||
        !SYSTEM_DATABASES.includes(d.name as string),
    )
    .filter((d) => namespaceInScope(scope, d.name as string))
    .sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : 1));

  let known = 0;
  let done = 0;
  const batchSize = Math.max(1, options.batchSize);
  const parallel = Math.max(1, Math.min(settings.maxConns, 4));

  for (const listedDb of databases) {
    throwIfAborted(signal);
    const database = listedDb.name as string;
    let stats: Document | undefined;
    if (withStats) {
      stats = await call(`dbStats ${database}`, () => client.dbStats(database)).catch((err: ConnectorError) => {
        if (isUnavailable(err)) return undefined;
        throw err;
      });
    }
    const namespace = namespaceOf(database, listedDb, stats);
    const collections = (await call(`listCollections ${database}`, () => client.listCollections(database)))
      .filter((c) => typeof c.name === 'string' && !(c.name as string).startsWith('system.'))
      .filter((c) => assetInScope(scope, database, c.name as string))
      .sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : 1));
    known += collections.length;
    options.onProgress?.(done, known);

    if (collections.length === 0) {
      yield { namespaces: [namespace], assets: [] };
      continue;
    }
    for (let start = 0; start < collections.length; start += batchSize) {
      throwIfAborted(signal);
      const chunk = collections.slice(start, start + batchSize);
      const read = await mapLimit(chunk, parallel, (info) =>
        readCollection(client, settings, database, info, withStats, call, options),
      );
      const assets = read.filter((r): r is CatalogAsset => 'kind' in r);
      const unchanged = read.filter((r): r is AssetRef => !('kind' in r));
      done += read.length;
      options.onProgress?.(done, known);
      yield { ...(start === 0 ? { namespaces: [namespace] } : {}), assets, ...(unchanged.length ? { unchanged } : {}) };
    }
  }
}

async function readCollection(
  client: MongoCatalogClient,
  settings: MongoSettings,
  database: string,
  info: Document,
  withStats: boolean,
  call: <T>(what: string, work: () => Promise<T>) => Promise<T>,
  options: Pick<CollectOptions, 'mode' | 'previousSignals'>,
): Promise<CatalogAsset | AssetRef> {
  const name = info.name as string;
  const isView = info.type === 'view';
  // Views have neither indexes nor storage of their own.
  const indexDocs = isView
    ? []
    : await call(`listIndexes ${database}.${name}`, () => client.listIndexes(database, name));
  let storage: MongoStorage | undefined;
  let storageError: string | undefined;
  if (withStats && !isView) {
    try {
      storage = mapStorage(await call(`$collStats ${database}.${name}`, () => client.collStats(database, name)));
    } catch (err) {
      if (!(err instanceof ConnectorError) || !isUnavailable(err)) throw err;
      storageError = err.message;
    }
  }
  const changeSignal = collectionSignal(info, indexDocs, storage, settings.sampleSize);
  // Options, validator, indexes and document count as before: the sample would say nothing new.
  if (isUnchanged(options, database, name, changeSignal)) return { namespace: database, name };
  const docs = await call(`$sample ${database}.${name}`, () => client.sample(database, name, settings.sampleSize));
  const asset = buildCollectionAsset({
    database,
    info,
    indexDocs,
    storage,
    storageError,
    schema: inferSchema(docs),
    sampleSize: settings.sampleSize,
  });
  return { ...asset, changeSignal };
}

/**
 * What an incremental run compares before sampling: the collection's options (validator, view
 * pipeline, time series settings), its index definitions, its document count and the sample
 * size. Null (always read) when the count is unknown (no `$collStats`, views, time series).
 */
export function collectionSignal(
  info: Document,
  indexDocs: readonly Document[],
  storage: MongoStorage | undefined,
  sampleSize: number,
): string | null {
  const rows = storage?.statistics.rows;
  if (rows === null || rows === undefined) return null;
  const indexes = indexDocs
    .map((i) =>
      BSON.EJSON.stringify({ name: i.name, key: i.key, unique: i.unique, partial: i.partialFilterExpression }),
    )
    .sort();
  const text = BSON.EJSON.stringify({ type: info.type, options: info.options ?? {} }, { relaxed: false });
  return createHash('sha1')
    .update(JSON.stringify([text, indexes, rows, sampleSize]))
    .digest('hex');
}
