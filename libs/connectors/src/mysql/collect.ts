import { throwIfAborted } from '../core/errors';
import { isUnchanged } from '../core/change-signals';
import { AssetRef, CatalogAsset, CatalogBatch, CollectOptions } from '../core/types';
import { schemataStatement, tableStorageStatement } from './catalog-sql';
import { applyStorage, changeSignal, TableFacts, toAsset, toNamespace } from './catalog-rows';
import { CatalogMergeContext, KeySource, mergeTableFacts, streamCount } from './catalog-merge';
import { ServerDescription } from './flavor';
import { canReadInnodbDictionary, dictionaryNamesDatabase } from './innodb-dictionary';
import { chunkedSources, streamedSources } from './row-sources';
import { MysqlSession } from './session';
import { splitsStorageRead, storageRanges } from './storage-ranges';
import { applyExtras, readTableExtras, TableExtras } from './table-extras';
import { applyHistograms, readHistograms } from './histograms';
import { readRoutinesAndTriggers } from './routines';
import { readMysqlViewLineage, withViewLineage } from './lineage';

/**
 * Table names per IN list: per chunk where the pool is too small to stream, and per group of
 * tables that need statements by name (storage facts of re-read tables, Doris's enrichment, keys
 * the InnoDB dictionary does not give). Bounds what such a group holds in memory.
 */
export const DEFAULT_CHUNK_SIZE = 2000;

export interface EnrichContext {
  session: MysqlSession;
  server: ServerDescription;
  schema: string;
  /** Base tables about to be emitted (views excluded); enrich them in place. */
  tables: CatalogAsset[];
  signal: AbortSignal;
}

/** What differs between the MySQL-protocol source types sharing this reader. */
export const MYSQL_SYSTEM_SCHEMAS = ['information_schema', 'mysql', 'performance_schema', 'sys'];

export interface MysqlFamily {
  /** Databases left out unless a task names them exactly. */
  systemSchemas: string[];
  /** Adds type-specific facts (Doris: data model, partitions, buckets) to emitted tables. */
  enrich?(context: EnrichContext): Promise<void>;
}

/** Plain MySQL and MariaDB: nothing beyond what every MySQL-protocol server answers. */
export const MYSQL_FAMILY: MysqlFamily = { systemSchemas: MYSQL_SYSTEM_SCHEMAS };

export interface MysqlCollectTuning {
  chunkSize?: number;
  /** Read MariaDB's InnoDB dictionary for indexes and foreign keys where the account may (default true). */
  innodbDictionary?: boolean;
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

const dictionaryReadable = new WeakMap<MysqlSession, Promise<boolean>>();

/**
 * Streams the catalog of every database in scope. Per database, each kind of fact (tables with
 * their storage facts in full runs, columns, views, indexes and foreign keys from MariaDB's InnoDB
 * dictionary where readable, else information_schema) is one statement for the whole database,
 * sorted by table name and streamed on a connection of its own; the streams are merged table by
 * table (see mergeTableFacts), so statements do not grow with tables and memory holds one table
 * plus the streams' buffers and the batch being built. On MariaDB a full run reads the tables in
 * a fixed number of ranges instead (see storageRanges). Statements by name, per group of tables,
 * remain only for what few tables need: storage facts of tables an incremental run re-reads,
 * Doris's enrichment, keys of tables the dictionary does not cover.
 *
 * A pool too small for the streams (max_conns below their count plus one for those statements
 * by name) reads chunk after chunk of names instead: statements then grow with tables / chunk size.
 */
export async function* collectMysqlFamily(
  session: MysqlSession,
  family: MysqlFamily,
  options: CollectOptions,
  tuning: MysqlCollectTuning = {},
): AsyncGenerator<CatalogBatch> {
  const { signal, scope } = options;
  const chunkSize = tuning.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const server = await session.describe(signal);
  let dictionary = false;
  if (server.flavor === 'mariadb' && tuning.innodbDictionary !== false) {
    if (!dictionaryReadable.has(session)) dictionaryReadable.set(session, canReadInnodbDictionary(session, signal));
    dictionary = await dictionaryReadable.get(session)!;
  }

  // A configured database narrows an unscoped task to that database.
  const include = scope.includeSchemas?.length
    ? scope.includeSchemas
    : session.settings.database
      ? [session.settings.database]
      : undefined;
  const schemataSql = schemataStatement(include, scope.excludeSchemas, family.systemSchemas);
  const schemata = await session.query(schemataSql.sql, schemataSql.values, signal);
  yield { namespaces: schemata.map(toNamespace), assets: [] };

  const progress = { done: 0 };
  for (const schemaRow of schemata) {
    const schema = text(schemaRow.name);
    const keys: KeySource =
      server.flavor === 'doris'
        ? 'none'
        : dictionary && dictionaryNamesDatabase(schema)
          ? 'innodb-dictionary'
          : 'information-schema';
    const tables = { include: scope.includeTables, exclude: scope.excludeTables };
    const ranged = options.mode === 'full' && splitsStorageRead(server);
    // A ranged read has two statements of tables in flight.
    const streamed = session.settings.maxConns > streamCount(keys) + (ranged ? 1 : 0);
    const sources = streamed
      ? streamedSources(session, server.flavor, tables, signal)
      : await chunkedSources(session, server.flavor, schema, tables, chunkSize, signal);
    const tableRanges = streamed && ranged ? await storageRanges(session, server, schema, tables, signal) : [{}];
    const context: CatalogMergeContext = {
      session,
      server,
      schema,
      keys,
      withStorage: options.mode === 'full',
      tableRanges,
      groupSize: chunkSize,
      signal,
    };
    // CHECK constraints, partitions and (not in schema-only runs) column statistics: one statement each per database.
    const objectScope = { include: scope.includeTables, exclude: scope.excludeTables };
    const [extras, histograms] = await Promise.all([
      keys === 'none' ? new Map<string, TableExtras>() : readTableExtras(session, server, schema, objectScope, signal),
      options.mode === 'schema_only' ? new Map() : readHistograms(session, server, schema, objectScope, signal),
    ]);
    const views = await readMysqlViewLineage(session, server, schema, signal);
    yield* withViewLineage(
      toBatches(mergeTableFacts(context, sources), {
        session,
        server,
        schema,
        family,
        options,
        groupSize: chunkSize,
        progress,
        extras,
        histograms,
      }),
      views,
    );
    const objects = await readRoutinesAndTriggers(session, server, schema, { tables: objectScope }, signal);
    yield* objectBatches(schema, objects, options);
  }
}

/** Routines and triggers, in batches of the asked size; unchanged ones of incremental runs as references. */
function* objectBatches(schema: string, objects: CatalogAsset[], options: CollectOptions): Generator<CatalogBatch> {
  const batchSize = Math.max(1, options.batchSize || 500);
  const changed = objects.filter((o) => !isUnchanged(options, schema, o.name, o.changeSignal));
  const unchanged = objects
    .filter((o) => isUnchanged(options, schema, o.name, o.changeSignal))
    .map((o) => ({ namespace: schema, name: o.name }));
  for (let i = 0; i < changed.length; i += batchSize) {
    const batch: CatalogBatch = { assets: changed.slice(i, i + batchSize) };
    if (i + batchSize >= changed.length && unchanged.length > 0) batch.unchanged = unchanged;
    yield batch;
  }
  if (changed.length === 0 && unchanged.length > 0) yield { assets: [], unchanged };
}

interface BatchContext {
  session: MysqlSession;
  server: ServerDescription;
  schema: string;
  family: MysqlFamily;
  options: CollectOptions;
  groupSize: number;
  /** Tables done across databases, for onProgress. */
  progress: { done: number };
  /** CHECK constraints and partitions by table name. */
  extras: Map<string, TableExtras>;
  /** Column statistics by table and column (full runs). */
  histograms: Map<string, Map<string, Record<string, unknown>>>;
}

/**
 * Turns table facts into batches: the change signal for each, unchanged tables of incremental runs
 * as references, re-read ones as assets. Assets leave in batches of the asked size, or in groups
 * of `groupSize` when they need statements by name first (storage facts in incremental runs, the
 * family's enrichment).
 */
async function* toBatches(facts: AsyncIterable<TableFacts>, context: BatchContext): AsyncGenerator<CatalogBatch> {
  const { schema, server, family, options, groupSize, progress } = context;
  const batchSize = Math.max(1, options.batchSize || 500);
  const byName = options.mode === 'incremental' || family.enrich !== undefined;
  const flushAt = byName ? Math.max(groupSize, batchSize) : batchSize;
  let assets: CatalogAsset[] = [];
  let unchanged: AssetRef[] = [];
  let read = 0;

  const flush = async function* (): AsyncGenerator<CatalogBatch> {
    // Rows already buffered need no wait that would notice a cancellation.
    throwIfAborted(options.signal);
    await completeGroup(assets, context);
    for (let i = 0; i < assets.length; i += batchSize) {
      const batch: CatalogBatch = { assets: assets.slice(i, i + batchSize) };
      if (i + batchSize >= assets.length && unchanged.length > 0) batch.unchanged = unchanged;
      yield batch;
    }
    if (assets.length === 0 && unchanged.length > 0) yield { assets: [], unchanged };
    progress.done += read;
    if (read > 0) options.onProgress?.(progress.done);
    assets = [];
    unchanged = [];
    read = 0;
  };

  for await (const merged of facts) {
    read++;
    const name = text(merged.table.name);
    const f: TableFacts = context.extras.has(name) ? { ...merged, extras: context.extras.get(name) } : merged;
    const signalValue = changeSignal(f);
    if (isUnchanged(options, schema, name, signalValue)) unchanged.push({ namespace: schema, name });
    else {
      const asset = toAsset(schema, f, server.flavor, signalValue);
      // Full runs read storage facts with the tables.
      if (options.mode === 'full' && asset.kind === 'table') applyStorage(asset, f.table);
      if (f.extras) applyExtras(asset, f.extras);
      applyHistograms(asset, context.histograms.get(name));
      assets.push(asset);
    }
    if (assets.length >= flushAt || unchanged.length >= groupSize) yield* flush();
  }
  yield* flush();
}

/** Storage facts of the tables an incremental run re-reads, then the family's enrichment. */
async function completeGroup(assets: CatalogAsset[], context: BatchContext): Promise<void> {
  const { session, server, schema, family, options } = context;
  const { signal } = options;
  const tables = assets.filter((a) => a.kind === 'table');
  if (tables.length === 0) return;
  if (options.mode === 'incremental') {
    const statement = tableStorageStatement(
      schema,
      tables.map((t) => t.name),
      server.flavor,
    );
    const storage = new Map(
      (await session.query(statement.sql, statement.values, signal)).map((r) => [text(r.name), r]),
    );
    for (const t of tables) {
      const row = storage.get(t.name);
      if (row) applyStorage(t, row);
    }
  }
  if (family.enrich) await family.enrich({ session, server, schema, tables, signal });
}
