import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { CatalogAsset } from '../core/types';
import { EnrichContext, MYSQL_SYSTEM_SCHEMAS, MysqlFamily } from '../mysql/collect';
import { quoteIdent } from '../mysql/profile';
import { MysqlSession, Row } from '../mysql/session';
import {
  designFromCreateTable,
  designFromPartitionRows,
  designFromShowPartitions,
  designFromTableOptions,
  DorisDesign,
} from './model';

/** Tables of Doris's own storage; external-catalog tables have no data model. */
const isOlap = (asset: CatalogAsset) => /^(doris|olap)$/i.test(String(asset.properties?.engine ?? ''));

/** SHOW statements run at most this many at a time on servers without the set-based views. */
const SHOW_CONCURRENCY = 4;

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/**
 * Runs a statement against a metadata view that older Doris versions lack; "unknown table" means
 * the view is not there (undefined), any other failure is real.
 */
async function optionalView(
  session: MysqlSession,
  sql: string,
  values: unknown[],
  signal: AbortSignal,
): Promise<Row[] | undefined> {
  try {
    return await session.query(sql, values, signal);
  } catch (err) {
    if (
      err instanceof ConnectorError &&
      err.code === ConnectorErrorCode.Protocol &&
      /unknown table|doesn't exist|not exist|not found/i.test(err.message)
    )
      return undefined;
    throw err;
  }
}

async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/** Sets the design's facts on the asset; `keep` names facts an earlier source already settled. */
function apply(asset: CatalogAsset, design: DorisDesign, keep: Array<keyof DorisDesign> = []): void {
  for (const [k, v] of Object.entries(design)) {
    if (v === undefined) continue;
    if (keep.includes(k as keyof DorisDesign) && asset.properties![k] !== undefined) continue;
    asset.properties![k] = v;
  }
  const model = asset.properties!.data_model;
  const keyColumns = asset.properties!.key_columns;
  // A unique or primary model keeps one row per key: report it as the table's key.
  if ((model === 'unique' || model === 'primary') && Array.isArray(keyColumns) && keyColumns.length > 0) {
    const name = model === 'unique' ? 'UNIQUE KEY' : 'PRIMARY KEY';
    if (!asset.keys!.some((k) => k.name === name))
      asset.keys!.push({ name, type: model === 'unique' ? 'unique' : 'primary', columns: keyColumns as string[] });
  }
}

/**
 * Adds Doris's data model, key columns, distribution, buckets and partitions to the OLAP tables of
 * a chunk. Doris 2.1+ answers from information_schema.table_options and .partitions, one statement
 * each for the whole chunk; tables those views do not describe (older servers) are read with
 * SHOW CREATE TABLE and SHOW PARTITIONS, the only statements Doris offers there, a few at a time.
 */
export async function enrichDoris(context: EnrichContext): Promise<void> {
  const { session, server, schema, signal } = context;
  if (server.flavor !== 'doris') return;
  const tables = context.tables.filter(isOlap);
  if (tables.length === 0) return;
  const names = tables.map((t) => t.name);

  const [options, partitions] = await Promise.all([
    optionalView(
      session,
      `SELECT TABLE_NAME, TABLE_MODEL, TABLE_MODEL_KEY, DISTRIBUTE_KEY, DISTRIBUTE_TYPE, BUCKETS_NUM, PARTITION_NUM
       FROM information_schema.table_options WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)`,
      [schema, names],
      signal,
    ),
    optionalView(
      session,
      `SELECT TABLE_NAME, PARTITION_NAME, PARTITION_METHOD, PARTITION_EXPRESSION, PARTITION_DESCRIPTION, TABLE_ROWS, DATA_LENGTH
       FROM information_schema.partitions WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)`,
      [schema, names],
      signal,
    ),
  ]);
  const optionsByTable = new Map((options ?? []).map((r) => [text(r.TABLE_NAME), r]));
  const partitionsByTable = new Map<string, Row[]>();
  for (const r of partitions ?? []) {
    const list = partitionsByTable.get(text(r.TABLE_NAME)) ?? [];
    list.push(r);
    partitionsByTable.set(text(r.TABLE_NAME), list);
  }

  const fallback: Array<{ table: CatalogAsset; create: boolean; partitions: boolean }> = [];
  for (const table of tables) {
    const opt = optionsByTable.get(table.name);
    if (opt) apply(table, designFromTableOptions(opt));
    const parts = partitionsByTable.get(table.name);
    if (parts && parts.length > 0) apply(table, designFromPartitionRows(parts));
    if (!opt || !parts?.length) fallback.push({ table, create: !opt, partitions: !parts?.length });
  }

  // Doris prints COMMENT 'OLAP' for a table created without a comment.
  for (const table of tables) if (table.comment === 'OLAP') table.comment = null;

  const qualified = (t: CatalogAsset) => `${quoteIdent(schema)}.${quoteIdent(t.name)}`;
  await inPool(fallback, SHOW_CONCURRENCY, async ({ table, create, partitions: listPartitions }) => {
    if (create) {
      const [row] = await session.query(`SHOW CREATE TABLE ${qualified(table)}`, [], signal);
      const ddl = text(row?.['Create Table']);
      if (ddl) apply(table, designFromCreateTable(ddl));
    }
    if (listPartitions) {
      const rows = await session.query(`SHOW PARTITIONS FROM ${qualified(table)}`, [], signal);
      // The DDL's partition clause, when read, says more than SHOW PARTITIONS' column list.
      apply(table, designFromShowPartitions(rows), ['partition_key']);
    }
  });
}

/** Doris's own system databases, plus MySQL's for servers that only speak its protocol. */
export const DORIS_SYSTEM_SCHEMAS = [...MYSQL_SYSTEM_SCHEMAS, '__internal_schema'];

/** What Doris adds to mysql's catalog reading. */
export const DORIS_FAMILY: MysqlFamily = { systemSchemas: DORIS_SYSTEM_SCHEMAS, enrich: enrichDoris };
