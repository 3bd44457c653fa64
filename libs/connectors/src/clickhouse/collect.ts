import { throwIfAborted } from '../core/errors';
import { assetKey } from '../core/scope';
import {
  AssetKind,
  AssetRef,
  CatalogAsset,
  CatalogBatch,
  CatalogField,
  CatalogNamespace,
  CollectOptions,
} from '../core/types';
import { splitBySignal } from '../core/change-signals';
import { chunk } from '../core/lists';
import { flag, numeric, Row, text, textOr } from '../sql-shared/row-values';
import { columnsSql, databasesSql, FEATURES_SQL, partsSql, ServerFeatures, tablesSql } from './catalog-sql';
import { checkConstraints, materializedViewTarget } from './ddl-parts';
import { ClickHouseExecutor } from './executor';

/** Engines whose data lives outside ClickHouse. */
const EXTERNAL_ENGINES = new Set([
  'MySQL',
  'PostgreSQL',
  'MongoDB',
  'ODBC',
  'JDBC',
  'URL',
  'File',
  'HDFS',
  'S3',
  'Kafka',
  'RabbitMQ',
  'NATS',
  'AzureBlobStorage',
  'Iceberg',
  'DeltaLake',
  'Hudi',
]);

export function assetKindOf(engine: string): AssetKind {
  if (engine === 'View' || engine === 'LiveView') return 'view';
  if (engine === 'MaterializedView') return 'materialized_view';
  if (EXTERNAL_ENGINES.has(engine)) return 'external_table';
  return 'table';
}

/** Splits `id, toDate(ts), 'a,b'` at top-level commas. */
export function splitExpressionList(expr: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (quote) {
      current += ch;
      if (ch === '\\') current += expr[++i] ?? '';
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '`' || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** The table-level TTL from `engine_full` (`… ORDER BY id TTL d + toIntervalMonth(1) SETTINGS …`). */
export function ttlOf(engineFull: string): string | null {
  const m = /\sTTL\s+(.+?)(?:\s+SETTINGS\s|$)/.exec(engineFull);
  return m ? m[1].trim() : null;
}

/** `Nullable(T)`, also inside `LowCardinality(…)`. */
export function isNullableType(type: string): boolean {
  return /^(LowCardinality\()?Nullable\(/.test(type);
}

interface TableEntry extends AssetRef {
  row: Row;
  signal: string;
}

function fieldOf(row: Row, ordinal: number): CatalogField {
  const type = textOr(row, 'type');
  const defaultKind = textOr(row, 'default_kind');
  const properties: Record<string, unknown> = {};
  if (defaultKind) properties.default_kind = defaultKind;
  const codec = textOr(row, 'compression_codec');
  if (codec) properties.codec = codec;
  if (flag(row, 'is_in_partition_key')) properties.in_partition_key = true;
  if (flag(row, 'is_in_sorting_key')) properties.in_sorting_key = true;
  if (flag(row, 'is_in_sampling_key')) properties.in_sampling_key = true;
  const compressed = numeric(row, 'data_compressed_bytes');
  const uncompressed = numeric(row, 'data_uncompressed_bytes');
  if (compressed !== null || uncompressed !== null) {
    properties.statistics = {
      estimate: true,
      source: 'system.columns',
      compressed_bytes: compressed,
      uncompressed_bytes: uncompressed,
      compression_ratio: compressed && uncompressed !== null ? Number((uncompressed / compressed).toFixed(4)) : null,
    };
  }
  return {
    name: textOr(row, 'name'),
    ordinal,
    dataType: type,
    nullable: isNullableType(type),
    default: defaultKind ? textOr(row, 'default_expression') : null,
    comment: text(row, 'comment') || null,
    primaryKey: flag(row, 'is_in_primary_key'),
    properties: Object.keys(properties).length > 0 ? properties : undefined,
  };
}

/** Active parts per table: their totals and each partition's parts, rows and bytes. */
interface PartStats {
  rows: number;
  bytes: number;
  partitions: Array<{ partition: string; parts: number; rows: number; bytes: number }>;
}

function tableAsset(entry: TableEntry, fields: CatalogField[], stats: Map<string, PartStats> | null): CatalogAsset {
  const r = entry.row;
  const engine = textOr(r, 'engine');
  const properties: Record<string, unknown> = { engine };
  const copy = (key: string, value: string | null) => {
    if (value) properties[key] = value;
  };
  const engineFull = textOr(r, 'engine_full');
  copy('engine_full', engineFull);
  copy('partition_key', textOr(r, 'partition_key'));
  copy('sorting_key', textOr(r, 'sorting_key'));
  copy('primary_key', textOr(r, 'primary_key'));
  copy('sampling_key', textOr(r, 'sampling_key'));
  copy('ttl_expression', ttlOf(engineFull));
  copy('definition', textOr(r, 'view_query'));

  const asset: CatalogAsset = {
    namespace: entry.namespace,
    name: entry.name,
    kind: assetKindOf(engine),
    comment: text(r, 'comment') || null,
    properties,
    fields,
    changeSignal: entry.signal,
  };
  const checks = checkConstraints(textOr(r, 'constrained_query'));
  if (checks.length > 0) asset.keys = checks;
  const primary = textOr(r, 'primary_key');
  if (primary) {
    // The MergeTree primary key is a sparse, non-unique index over the sorting prefix.
    asset.indexes = [{ name: 'PRIMARY KEY', columns: splitExpressionList(primary), unique: false, method: 'sparse' }];
  }
  if (stats) {
    const inner =
      assetKindOf(engine) === 'materialized_view'
        ? stats.get(assetKey(entry.namespace, `.inner.${entry.name}`))
        : undefined;
    const parts = stats.get(assetKey(entry.namespace, entry.name)) ?? inner;
    // A MergeTree table without active parts is empty; other engines without totals are unknown.
    const emptyMergeTree = !parts && /MergeTree$/.test(engine) ? 0 : null;
    const rows = parts ? parts.rows : (numeric(r, 'total_rows') ?? emptyMergeTree);
    const bytes = parts ? parts.bytes : (numeric(r, 'total_bytes') ?? emptyMergeTree);
    if (engine !== 'View') asset.statistics = { rows, bytes };
    if (parts && textOr(r, 'partition_key')) properties.partitions = parts.partitions;
  }
  return asset;
}

async function readFeatures(exec: ClickHouseExecutor, signal: AbortSignal): Promise<ServerFeatures> {
  const rows = await exec.rows(FEATURES_SQL, signal);
  const pick = (table: string) => new Set(rows.filter((r) => text(r, 'table') === table).map((r) => textOr(r, 'name')));
  return { tables: pick('tables'), columns: pick('columns') };
}

/**
 * Streams the catalog: databases and tables first (two small queries), then the columns of every
 * table in scope in one ordered stream, cut into assets as the table changes, with rows and bytes
 * from one aggregate over system.parts. Incremental runs compare each table's signal before
 * reading columns, and read columns only for the tables that changed.
 */
export async function* collectClickHouse(
  exec: ClickHouseExecutor,
  options: CollectOptions,
  onlyDatabase: string | undefined,
): AsyncGenerator<CatalogBatch> {
  const { signal, scope } = options;
  const features = await readFeatures(exec, signal);
  throwIfAborted(signal);

  const dbRows = await exec.rows(databasesSql(scope, onlyDatabase), signal);
  const namespaces: CatalogNamespace[] = dbRows.map((r) => ({
    name: textOr(r, 'name'),
    kind: 'database',
    properties: { engine: textOr(r, 'engine') },
  }));
  const databases = namespaces.map((n) => n.name);
  if (databases.length === 0) {
    yield { namespaces, assets: [] };
    return;
  }

  const tables: TableEntry[] = (await exec.rows(tablesSql(databases, scope, features), signal)).map((row) => ({
    namespace: textOr(row, 'database'),
    name: textOr(row, 'name'),
    row,
    signal: `${textOr(row, 'mtime')}:${textOr(row, 'ddl_hash')}`,
  }));
  withTargetSignals(tables);
  throwIfAborted(signal);
  const { changed, unchanged } = splitBySignal(tables, options);
  options.onProgress?.(0, tables.length);

  const stats =
    options.mode === 'schema_only' || changed.length === 0 ? null : await readStats(exec, databases, signal);

  // Namespaces and the unchanged tables go out first; they need no further reads.
  const unchangedBatches = chunk(unchanged, options.batchSize);
  yield { namespaces, assets: [], unchanged: unchangedBatches[0] ?? [] };
  for (const refs of unchangedBatches.slice(1)) yield { assets: [], unchanged: refs };
  let done = unchanged.length;
  if (changed.length === 0) {
    options.onProgress?.(done, tables.length);
    return;
  }

  const byKey = new Map(changed.map((t) => [assetKey(t.namespace, t.name), t]));
  const onlyTables =
    options.mode === 'incremental' && unchanged.length > 0
      ? changed.map((t) => [t.namespace, t.name] as const)
      : undefined;
  const emitted = new Set<string>();
  let batch: CatalogAsset[] = [];
  let currentKey: string | null = null;
  let currentFields: CatalogField[] = [];

  const finish = (): CatalogAsset | null => {
    if (currentKey === null) return null;
    const entry = byKey.get(currentKey);
    const key = currentKey;
    currentKey = null;
    if (!entry || emitted.has(key)) return null;
    emitted.add(key);
    return tableAsset(entry, currentFields, stats);
  };

  const columns = columnsSql(databases, scope, features, onlyTables, options.mode !== 'schema_only');
  for await (const row of exec.stream(columns, signal)) {
    const key = assetKey(textOr(row, 'database'), textOr(row, 'table'));
    if (key !== currentKey) {
      const asset = finish();
      if (asset) batch.push(asset);
      if (batch.length >= options.batchSize) {
        done += batch.length;
        options.onProgress?.(done, tables.length);
        yield { assets: batch };
        batch = [];
        throwIfAborted(signal);
      }
      currentKey = key;
      currentFields = [];
    }
    currentFields.push(fieldOf(row, currentFields.length + 1));
  }
  const last = finish();
  if (last) batch.push(last);
  // Tables whose columns did not show up (none, or hidden from the account) still exist.
  for (const [key, entry] of byKey) {
    if (!emitted.has(key)) batch.push(tableAsset(entry, [], stats));
  }
  for (const assets of chunk(batch, options.batchSize)) {
    done += assets.length;
    options.onProgress?.(done, tables.length);
    yield { assets };
  }
}

async function readStats(
  exec: ClickHouseExecutor,
  databases: string[],
  signal: AbortSignal,
): Promise<Map<string, PartStats>> {
  const out = new Map<string, PartStats>();
  for (const r of await exec.rows(partsSql(databases), signal)) {
    const key = assetKey(textOr(r, 'database'), textOr(r, 'table'));
    let table = out.get(key);
    if (!table) out.set(key, (table = { rows: 0, bytes: 0, partitions: [] }));
    const partition = {
      partition: textOr(r, 'partition'),
      parts: numeric(r, 'parts') ?? 0,
      rows: numeric(r, 'rows') ?? 0,
      bytes: numeric(r, 'bytes') ?? 0,
    };
    table.rows += partition.rows;
    table.bytes += partition.bytes;
    table.partitions.push(partition);
  }
  return out;
}

/**
 * A materialized view's change signal also covers the table it writes to: the entry of a view
 * whose target was altered, renamed or dropped is read again with it.
 */
function withTargetSignals(tables: TableEntry[]): void {
  const byKey = new Map(tables.map((t) => [assetKey(t.namespace, t.name), t.signal]));
  for (const t of tables) {
    if (textOr(t.row, 'engine') !== 'MaterializedView') continue;
    const target = materializedViewTarget(textOr(t.row, 'view_query'));
    if (!target) continue;
    const key = assetKey(target.database ?? t.namespace, target.name);
    t.signal = `${t.signal}|to:${byKey.get(key) ?? 'missing'}`;
  }
}
