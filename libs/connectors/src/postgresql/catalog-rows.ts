import { createHash } from 'node:crypto';
import { mayShowValues } from '../core/profile-guard';
import { AssetKind, CatalogAsset, CatalogField, CatalogIndex, CatalogKey, CatalogNamespace } from '../core/types';

// Row shapes of the queries in catalog-sql.ts, as node-postgres returns them (int8 as string).

export interface NamespaceRow {
  name: string;
  owner: string | null;
  comment: string | null;
}

export interface SignalRow {
  oid: string;
  namespace: string;
  name: string;
  change_signal: string;
}

/** Parallel arrays: element i of every array describes the same column, constraint or index; null when there is none. */
type Each<T> = T[] | null;

export interface ColumnArrays {
  names: Each<string>;
  nums: Each<number>;
  types: Each<string>;
  nullable: Each<boolean>;
  defaults: Each<string | null>;
  comments: Each<string | null>;
  identity: Each<string>;
  generated: Each<string>;
  collations: Each<string | null>;
  // Row versions (xid as text) for the change signal.
  xmins: Each<string>;
  default_xmins: Each<string | null>;
  comment_xmins: Each<string | null>;
}

export interface ConstraintArrays {
  names: Each<string>;
  types: Each<string>;
  attnums: Each<number[] | null>;
  definitions: Each<string | null>;
  ref_namespaces: Each<string | null>;
  ref_tables: Each<string | null>;
  ref_columns: Each<string[] | null>;
  xmins: Each<string>;
}

export interface IndexArrays {
  names: Each<string>;
  unique: Each<boolean>;
  primary: Each<boolean>;
  methods: Each<string>;
  predicates: Each<string | null>;
  /** Key columns, then included ones; 0 for an expression. */
  attnums: Each<number[]>;
  key_counts: Each<number>;
  /** Every key column's definition, where a key is an expression. */
  expressions: Each<string[] | null>;
  pages: Each<number>;
  xmins: Each<string>;
  class_xmins: Each<string>;
}

export interface PartitionRow {
  namespace: string;
  name: string;
  bound: string | null;
}

export interface PartitionTotals {
  rows: number | null;
  unknown: number;
  leaves: number;
  pages: number;
}

/** One column's row of pg_stats. */
export interface ColumnStatisticsRow {
  name: string;
  null_fraction: number;
  n_distinct: number;
  average_width: number;
  correlation: number | null;
  histogram_bounds: string[] | null;
  most_common_values: string[] | null;
  most_common_freqs: number[] | null;
}

/** One relation of CATALOG_SQL with its columns, constraints and indexes. */
export interface RelationRow {
  oid: string;
  namespace: string;
  name: string;
  relkind: string;
  persistence: string;
  is_partition: boolean;
  owner: string | null;
  comment: string | null;
  tablespace: string | null;
  options: string[] | null;
  parent_namespace: string | null;
  parent_name: string | null;
  partition_key: string | null;
  partition_bound: string | null;
  definition: string | null;
  foreign_server: string | null;
  row_estimate: number | null;
  table_pages: string | null;
  block_size: number;
  partitions: PartitionRow[] | null;
  partition_totals: PartitionTotals | null;
  column_statistics: ColumnStatisticsRow[] | null;
  rel_xmin: string;
  comment_xmin: string | null;
  has_index: boolean;
  signal_tail: string;
  columns: ColumnArrays;
  constraints: ConstraintArrays;
  indexes: IndexArrays;
}

const KIND: Record<string, AssetKind> = {
  r: 'table',
  p: 'partitioned_table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
};

const PERSISTENCE: Record<string, string> = { p: 'permanent', u: 'unlogged', t: 'temporary' };

export function toNamespace(row: NamespaceRow): CatalogNamespace {
  return { name: row.name, kind: 'schema', properties: { owner: row.owner, comment: row.comment } };
}

/** `{fillfactor=70,autovacuum_enabled=false}` as an object. */
function parseOptions(options: string[] | null): Record<string, string> | undefined {
  if (!options || options.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq > 0) out[option.slice(0, eq)] = option.slice(eq + 1);
  }
  return out;
}

function relationProperties(row: RelationRow): Record<string, unknown> {
  const props: Record<string, unknown> = {
    relkind: row.relkind,
    persistence: PERSISTENCE[row.persistence] ?? row.persistence,
    tablespace: row.tablespace,
  };
  const options = parseOptions(row.options);
  if (options) props.options = options;
  if (row.partition_key) props.partition_key = row.partition_key;
  if (row.relkind === 'p') props.partitions = row.partitions ?? [];
  if (row.is_partition && row.parent_name) {
    props.partition_of = { namespace: row.parent_namespace, name: row.parent_name };
    props.partition_bound = row.partition_bound;
  }
  if (row.definition !== null) props.definition = row.definition.trim();
  if (row.foreign_server) props.foreign_server = row.foreign_server;
  return props;
}

const IDENTITY: Record<string, string> = { a: 'ALWAYS', d: 'BY DEFAULT' };
const KEY_TYPE: Record<string, CatalogKey['type']> = { p: 'primary', u: 'unique', f: 'foreign', c: 'check' };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Positions 0..n-1 of parallel arrays, ordered by `compare` on the given array. */
function order<T>(values: Each<T>, compare: (a: T, b: T) => number): number[] {
  if (!values) return [];
  return values.map((_, i) => i).sort((i, j) => compare(values[i], values[j]));
}

function fields(c: ColumnArrays): { fields: CatalogField[]; nameOf: Map<number, string> } {
  const nameOf = new Map<number, string>();
  const out = order(c.nums, (a, b) => a - b).map((i, position) => {
    const name = c.names![i];
    const attnum = c.nums![i];
    nameOf.set(attnum, name);
    const properties: Record<string, unknown> = {};
    const identity = c.identity![i];
    if (identity) properties.identity = IDENTITY[identity] ?? identity;
    const generated = c.generated![i] === 's' || c.generated![i] === 'v';
    if (generated) {
      properties.generated = c.generated![i] === 's' ? 'STORED' : 'VIRTUAL';
      properties.generation_expression = c.defaults![i];
    }
    const collation = c.collations![i];
    if (collation) properties.collation = collation;
    // Numbered densely: a dropped column leaves a gap in attnum, not in ordinal.
    const ordinal = position + 1;
    if (attnum !== ordinal) properties.attnum = attnum;
    const field: CatalogField = {
      name,
      ordinal,
      dataType: c.types![i],
      nullable: c.nullable![i],
      default: generated ? null : c.defaults![i],
      comment: c.comments![i],
      primaryKey: false,
    };
    if (Object.keys(properties).length > 0) field.properties = properties;
    return field;
  });
  return { fields: out, nameOf };
}

function keys(k: ConstraintArrays, columnName: (attnum: number) => string): CatalogKey[] {
  return order(k.names, byText).map((i) => {
    const type = KEY_TYPE[k.types![i]];
    const key: CatalogKey = { name: k.names![i], type, columns: (k.attnums![i] ?? []).map(columnName) };
    const definition = k.definitions![i];
    if (definition !== null) key.definition = definition;
    const refTable = k.ref_tables![i];
    if (type === 'foreign' && refTable)
      key.references = {
        namespace: k.ref_namespaces![i] ?? undefined,
        table: refTable,
        columns: k.ref_columns![i] ?? [],
      };
    return key;
  });
}

type PgIndex = CatalogIndex & { include?: string[]; primary?: boolean };

function indexes(x: IndexArrays, columnName: (attnum: number) => string): PgIndex[] {
  return order(x.names, byText).map((i) => {
    const attnums = x.attnums![i];
    const keyCount = x.key_counts![i];
    const expressions = x.expressions![i] ?? [];
    const index: PgIndex = {
      name: x.names![i],
      columns: attnums.slice(0, keyCount).map((n, position) => (n === 0 ? expressions[position] : columnName(n))),
      unique: x.unique![i],
      method: x.methods![i],
      predicate: x.predicates![i],
    };
    const include = attnums.slice(keyCount).map(columnName);
    if (include.length > 0) index.include = include;
    if (x.primary![i]) index.primary = true;
    return index;
  });
}

/** `count:sum` of row versions, as CHANGE_SIGNAL prints each part. */
function versions(xmins: Array<string | number | null> | null): string {
  const present = (xmins ?? []).filter((x): x is string | number => x !== null);
  return `${present.length}:${present.reduce<number>((sum, x) => sum + Number(x), 0)}`;
}

/**
 * The change signal from the row versions the catalog row carries: the same parts, in the same
 * order, as CHANGE_SIGNAL in catalog-sql.ts computes in SQL, so full and incremental runs agree
 * on an unchanged relation.
 */
export function signalFromDetails(row: RelationRow): string {
  const { columns, constraints, indexes: idx } = row;
  const indexVersions = (idx.xmins ?? []).map((x, i) => Number(x) + Number(idx.class_xmins![i]));
  const parts = [
    row.rel_xmin,
    versions(columns.xmins),
    versions(columns.default_xmins),
    versions(constraints.xmins),
    ...(row.has_index ? [versions(indexVersions)] : []),
    versions([...(columns.comment_xmins ?? []), row.comment_xmin]),
    ...(row.signal_tail ? [row.signal_tail] : []),
  ];
  return createHash('md5').update(parts.join('|')).digest('hex');
}

function statistics(row: RelationRow): CatalogAsset['statistics'] {
  if (row.row_estimate === null) return undefined;
  const totals = row.partition_totals;
  if (row.relkind === 'p') {
    // Unknown while any leaf was never analyzed, rather than a sum that silently leaves some out.
    const known = totals !== null && totals.unknown === 0;
    return {
      rows: known ? Math.round(totals.rows ?? 0) : null,
      bytes: totals === null ? null : Number(totals.pages) * row.block_size,
    };
  }
  const pages =
    row.table_pages === null
      ? null
      : Number(row.table_pages) + (row.indexes.pages ?? []).reduce((sum, p) => sum + p, 0);
  return {
    // reltuples is -1 until the table is first vacuumed or analyzed (PostgreSQL 14+).
    rows: row.row_estimate < 0 ? null : Math.round(row.row_estimate),
    bytes: pages === null ? null : pages * row.block_size,
  };
}

/**
 * pg_stats as a field property, marked as an estimate. n_distinct below zero is minus the share of
 * rows that are distinct; the estimate then scales it by the row estimate. Histogram bounds and
 * most common values are sample values: never kept for a column whose name looks secret.
 */
function columnStatistics(s: ColumnStatisticsRow, rows: number | null): Record<string, unknown> {
  const showValues = mayShowValues(s.name);
  const out: Record<string, unknown> = {
    estimate: true,
    source: 'pg_stats',
    null_fraction: s.null_fraction,
    n_distinct: s.n_distinct,
    distinct_estimate: s.n_distinct >= 0 ? s.n_distinct : rows === null ? null : Math.round(-s.n_distinct * rows),
    average_width: s.average_width,
    correlation: s.correlation,
    histogram_bounds: showValues ? s.histogram_bounds : null,
  };
  if (s.most_common_values && showValues)
    out.most_common_values = s.most_common_values.map((value, i) => ({
      value,
      frequency: s.most_common_freqs?.[i] ?? null,
    }));
  return out;
}

function attachColumnStatistics(row: RelationRow, assetFields: CatalogField[], rows: number | null): void {
  if (!row.column_statistics) return;
  const byName = new Map(row.column_statistics.map((s) => [s.name, s]));
  for (const field of assetFields) {
    const stats = byName.get(field.name);
    if (stats) field.properties = { ...field.properties, statistics: columnStatistics(stats, rows) };
  }
}

/** One relation of the catalog query as an asset, primary-key columns marked. */
export function toAsset(row: RelationRow, withStatistics: boolean): CatalogAsset {
  const { fields: assetFields, nameOf } = fields(row.columns);
  const columnName = (attnum: number) => nameOf.get(attnum) ?? String(attnum);
  const assetKeys = keys(row.constraints, columnName);
  for (const key of assetKeys) {
    if (key.type !== 'primary') continue;
    for (const field of assetFields) if (key.columns.includes(field.name)) field.primaryKey = true;
  }
  const asset: CatalogAsset = {
    namespace: row.namespace,
    name: row.name,
    kind: KIND[row.relkind] ?? 'table',
    comment: row.comment,
    owner: row.owner,
    properties: relationProperties(row),
    fields: assetFields,
    keys: assetKeys,
    indexes: indexes(row.indexes, columnName),
    changeSignal: signalFromDetails(row),
  };
  const stats = withStatistics ? statistics(row) : undefined;
  if (stats) asset.statistics = stats;
  if (withStatistics) attachColumnStatistics(row, assetFields, stats?.rows ?? null);
  return asset;
}
