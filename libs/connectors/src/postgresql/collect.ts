import { QueryResultRow } from 'pg';
import { throwIfAborted } from '../core/errors';
import { isUnchanged } from '../core/change-signals';
import { globToLike } from '../core/scope';
import { interleave } from '../core/interleave';
import { AssetLineage, AssetRef, CatalogAsset, CatalogBatch, CollectOptions, CollectScope } from '../core/types';
import { CATALOG_SQL, NAMESPACES_SQL, SIGNALS_SQL } from './catalog-sql';
import { NamespaceRow, RelationRow, SignalRow, toAsset, toNamespace } from './catalog-rows';
import { CursorLanes } from './cursors';
import { ROUTINES_SQL, SEQUENCES_SQL, TRIGGERS_SQL, USER_TYPES_SQL } from './object-sql';
import { routineAsset, sequenceAsset, triggerAsset, userTypeAsset } from './object-rows';
import { readViewLineage, withLineage } from './lineage';
import { PgSession } from './session';

/** Schemas that hold the server's own catalog; collected only when named exactly in includeSchemas. */
const SYSTEM_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast'];

/** Relations per fetch: bounds the memory held (two fetches per shard) whatever the source's size. */
export const DEFAULT_FETCH_SIZE = 500;

/** Shards of the catalog statement read side by side, each on a connection of its own while the source allows. */
const CATALOG_SHARDS = 2;

/** The scope as the five array parameters the catalog queries expect ($1–$5; schema queries take the first three). */
export function scopeParameters(scope: CollectScope): string[][] {
  const likes = (globs: string[] | undefined) => (globs ?? []).map(globToLike);
  const named = new Set(scope.includeSchemas ?? []);
  return [
    likes(scope.includeSchemas),
    likes(scope.excludeSchemas),
    SYSTEM_SCHEMAS.filter((s) => !named.has(s)),
    likes(scope.includeTables),
    likes(scope.excludeTables),
  ];
}

function* inBatches<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

interface ObjectReader {
  sql: string;
  toAssets(rows: QueryResultRow[]): CatalogAsset[];
}

const reader = <R>(sql: string, toAsset: (row: R) => CatalogAsset): ObjectReader => ({
  sql,
  toAssets: (rows) => (rows as unknown as R[]).map(toAsset),
});

/** The objects beside relations: one statement per kind, each row mapped to its asset. */
const OBJECT_READERS: ObjectReader[] = [
  reader(SEQUENCES_SQL, sequenceAsset),
  reader(ROUTINES_SQL, routineAsset),
  reader(TRIGGERS_SQL, triggerAsset),
  reader(USER_TYPES_SQL, userTypeAsset),
];

/**
 * Streams a database's catalog in a constant number of statements, whatever its size: one for the
 * schemas, per shard one for every relation with its columns, constraints and indexes
 * (CATALOG_SQL), and one per kind of other object (sequences, routines, triggers, types), each
 * fetched through a cursor. An incremental run first streams every relation's change signal
 * (SIGNALS_SQL) and then reads only the relations whose signal moved; the other objects are read
 * whole and reported unchanged when their entry is the same as before.
 */
export async function* collectPostgres(
  session: PgSession,
  options: CollectOptions,
  fetchSize = DEFAULT_FETCH_SIZE,
): AsyncGenerator<CatalogBatch> {
  const { signal } = options;
  const scope = scopeParameters(options.scope);
  const namespaces = await session.query<NamespaceRow>(NAMESPACES_SQL, scope.slice(0, 3), signal);
  yield { namespaces: namespaces.map(toNamespace), assets: [] };
  // Read before the cursors take the pool's connections; attached to each view as it streams by.
  const lineage = await readViewLineage(session, scope, signal);

  const lanes = await CursorLanes.open(session, Math.min(CATALOG_SHARDS, session.settings.maxConns), signal);
  try {
    yield* collectOnLanes(lanes, options, scope, fetchSize, lineage);
    yield* collectObjects(lanes, options, scope, fetchSize);
  } finally {
    await lanes.close();
  }
}

async function* collectOnLanes(
  lanes: CursorLanes,
  options: CollectOptions,
  scope: string[][],
  fetchSize: number,
  lineage: ReadonlyMap<string, AssetLineage> = new Map(),
): AsyncGenerator<CatalogBatch> {
  const batchSize = Math.max(1, options.batchSize || 500);
  const withStatistics = options.mode !== 'schema_only';
  const previous = options.mode === 'incremental' ? options.previousSignals : undefined;

  let only: string[] | null = null;
  let done = 0;
  if (previous) {
    only = [];
    for await (const rows of lanes.stream<SignalRow>(SIGNALS_SQL, scope, fetchSize)) {
      const unchanged: AssetRef[] = [];
      for (const row of rows) {
        if (isUnchanged(options, row.namespace, row.name, row.change_signal))
          unchanged.push({ namespace: row.namespace, name: row.name });
        else only.push(row.oid);
      }
      for (const refs of inBatches(unchanged, batchSize)) yield { assets: [], unchanged: refs };
      done += unchanged.length;
      if (unchanged.length > 0) options.onProgress?.(done);
    }
    if (only.length === 0) return;
  }

  const parameters = (shard: number) => [...scope, only, withStatistics, CATALOG_SHARDS, shard, !!options.topValues];
  const shards = Array.from({ length: CATALOG_SHARDS }, (_, shard) =>
    lanes.stream<RelationRow>(CATALOG_SQL, parameters(shard), fetchSize),
  );
  for await (const rows of interleave(shards)) {
    throwIfAborted(options.signal);
    const assets = rows.map((row) => withLineage(toAsset(row, withStatistics), lineage));
    for (const batch of inBatches(assets, batchSize)) yield { assets: batch };
    done += rows.length;
    options.onProgress?.(done);
  }
}

async function* collectObjects(
  lanes: CursorLanes,
  options: CollectOptions,
  scope: string[][],
  fetchSize: number,
): AsyncGenerator<CatalogBatch> {
  const batchSize = Math.max(1, options.batchSize || 500);
  for (const { sql, toAssets } of OBJECT_READERS) {
    for await (const rows of lanes.stream(sql, scope, fetchSize)) {
      throwIfAborted(options.signal);
      const changed: CatalogAsset[] = [];
      const unchanged: AssetRef[] = [];
      for (const asset of toAssets(rows)) {
        if (isUnchanged(options, asset.namespace, asset.name, asset.changeSignal))
          unchanged.push({ namespace: asset.namespace, name: asset.name });
        else changed.push(asset);
      }
      for (const batch of inBatches(changed, batchSize)) yield { assets: batch };
      for (const refs of inBatches(unchanged, batchSize)) yield { assets: [], unchanged: refs };
    }
  }
}
