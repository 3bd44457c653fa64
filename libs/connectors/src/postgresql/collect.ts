import { globToLike } from '../core/scope';
import { assetKey } from '../core/scope';
import { AssetRef, CatalogAsset, CatalogBatch, CollectOptions, CollectScope } from '../core/types';
import { COLUMNS_SQL, CONSTRAINTS_SQL, INDEXES_SQL, NAMESPACES_SQL, relationsPageSql } from './catalog-sql';
import { attachDetails, ColumnRow, ConstraintRow, IndexRow, NamespaceRow, RelationRow, toAsset, toNamespace } from './catalog-rows';
import { PgLane, PgSession } from './session';

/** Schemas that hold the server's own catalog; collected only when named exactly in includeSchemas. */
const SYSTEM_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast'];

/** Relations read per page: bounds memory (a page's columns, keys and indexes) whatever the source's size. */
export const DEFAULT_PAGE_SIZE = 2000;

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

/**
 * Streams a database's catalog: one query for the schemas, then per page of relations one query
 * for the page (with each relation's change signal) and three for the page's columns, constraints
 * and indexes. The number of queries grows with tables / page size, never with tables alone, and
 * memory holds one page's details (plus the next page's relation rows, fetched ahead) at a time.
 */
export async function* collectPostgres(session: PgSession, options: CollectOptions, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<CatalogBatch> {
  const { signal } = options;
  const scope = scopeParameters(options.scope);
  const withStatistics = options.mode !== 'schema_only';

  // Pages on one connection, details on another: the next page is read while this one's details are.
  const pages = await session.reserve(signal);
  let details: PgLane = pages;
  try {
    if (session.settings.maxConns >= 2) details = await session.reserve(signal);
    yield* collectWith(pages, details, options, scope, pageSize, withStatistics);
  } finally {
    pages.release();
    details.release();
  }
}

async function* collectWith(
  pages: PgLane,
  details: PgLane,
  options: CollectOptions,
  scope: string[][],
  pageSize: number,
  withStatistics: boolean,
): AsyncGenerator<CatalogBatch> {
  const { signal } = options;
  const batchSize = Math.max(1, options.batchSize || 500);
  const incremental = options.mode === 'incremental' && options.previousSignals !== undefined;

  const namespaces = await pages.query<NamespaceRow>(NAMESPACES_SQL, scope.slice(0, 3), signal);
  yield { namespaces: namespaces.map(toNamespace), assets: [] };

  // Only an incremental run needs signals before reading details; a full run derives them from the details.
  const pageSql = relationsPageSql(incremental);
  const readPage = (after: [string, string]) => pages.query<RelationRow>(pageSql, [...scope, after[0], after[1], pageSize, withStatistics], signal);
  let pending: Promise<RelationRow[]> | undefined = readPage(['', '0']);
  let done = 0;
  while (pending) {
    const page = await pending;
    pending = undefined;
    if (page.length === 0) break;
    // Ask for the next page while this one's details are read and its batches consumed.
    if (page.length === pageSize) {
      const last = page[page.length - 1];
      pending = readPage([last.name, last.nsoid]);
      pending.catch(() => undefined);
    }

    const toRead: RelationRow[] = [];
    const unchanged: AssetRef[] = [];
    for (const row of page) {
      const previous = incremental ? options.previousSignals!.get(assetKey(row.namespace, row.name)) : undefined;
      if (previous !== undefined && previous === row.change_signal) unchanged.push({ namespace: row.namespace, name: row.name });
      else toRead.push(row);
    }

    const assets = await readDetails(details, toRead, withStatistics, signal);
    const batches = [...inBatches(assets, batchSize)];
    if (batches.length === 0) batches.push([]);
    for (let i = 0; i < batches.length; i++) {
      const batch: CatalogBatch = { assets: batches[i] };
      if (i === batches.length - 1 && unchanged.length > 0) batch.unchanged = unchanged;
      if (batch.assets.length > 0 || batch.unchanged) yield batch;
    }
    done += page.length;
    options.onProgress?.(done);
  }
}

/** Columns, constraints and indexes of a page's relations, one after another on one connection. */
async function readDetails(lane: PgLane, rows: RelationRow[], withStatistics: boolean, signal: AbortSignal): Promise<CatalogAsset[]> {
  if (rows.length === 0) return [];
  const oids = rows.map((r) => r.oid);
  const columns = await lane.query<ColumnRow>(COLUMNS_SQL, [oids], signal);
  const constraints = await lane.query<ConstraintRow>(CONSTRAINTS_SQL, [oids], signal);
  const indexes = await lane.query<IndexRow>(INDEXES_SQL, [oids], signal);
  const relations = rows.map((row) => ({ row, asset: toAsset(row, withStatistics) }));
  attachDetails(relations, columns, constraints, indexes);
  return relations.map((r) => r.asset);
}
