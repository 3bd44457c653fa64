import { createHash } from 'node:crypto';
import { AssetKind, CatalogAsset, CatalogField, CatalogIndex, CatalogKey, CatalogNamespace } from '../core/types';

// Row shapes of the queries in catalog-sql.ts, as node-postgres returns them (int8 as string).

export interface NamespaceRow {
  name: string;
  owner: string | null;
  comment: string | null;
}

export interface RelationRow {
  oid: string;
  nsoid: string;
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
  total_bytes: string | null;
  /** Computed in SQL on incremental runs; null when the reader computes it from the details. */
  change_signal: string | null;
  // Present when change_signal is null: what the reader needs besides the details' row versions.
  rel_xmin?: string;
  comment_xmin?: string | null;
  has_index?: boolean;
  signal_tail?: string;
}

export interface ColumnRow {
  relid: string;
  name: string;
  attnum: number;
  data_type: string;
  nullable: boolean;
  default_expr: string | null;
  comment: string | null;
  identity: string;
  generated: string;
  collation: string | null;
  attr_xmin: string;
  default_xmin: string | null;
  comment_xmin: string | null;
}

export interface ConstraintRow {
  relid: string;
  name: string;
  contype: string;
  columns: string[];
  ref_namespace: string | null;
  ref_table: string | null;
  ref_columns: string[];
  definition: string;
  xmin: string;
}

export interface IndexRow {
  relid: string;
  name: string;
  is_unique: boolean;
  is_primary: boolean;
  method: string;
  predicate: string | null;
  columns: string[];
  include_columns: string[];
  xmin: string;
  class_xmin: string;
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
  if (row.is_partition && row.parent_name) {
    props.partition_of = { namespace: row.parent_namespace, name: row.parent_name };
    props.partition_bound = row.partition_bound;
  }
  if (row.definition !== null) props.definition = row.definition.trim();
  if (row.foreign_server) props.foreign_server = row.foreign_server;
  return props;
}

/** A relation row without its fields, keys and indexes (filled in by `attachDetails`). */
export function toAsset(row: RelationRow, withStatistics: boolean): CatalogAsset {
  const asset: CatalogAsset = {
    namespace: row.namespace,
    name: row.name,
    kind: KIND[row.relkind] ?? 'table',
    comment: row.comment,
    owner: row.owner,
    properties: relationProperties(row),
    fields: [],
    keys: [],
    indexes: [],
    changeSignal: row.change_signal,
  };
  if (withStatistics && row.row_estimate !== null) {
    // reltuples is -1 until the table is first vacuumed or analyzed (PostgreSQL 14+).
    asset.statistics = {
      rows: row.row_estimate < 0 ? null : Math.round(row.row_estimate),
      bytes: row.total_bytes === null ? null : Number(row.total_bytes),
    };
  }
  return asset;
}

const IDENTITY: Record<string, string> = { a: 'ALWAYS', d: 'BY DEFAULT' };

export function toField(row: ColumnRow, ordinal: number): CatalogField {
  const properties: Record<string, unknown> = {};
  if (row.identity) properties.identity = IDENTITY[row.identity] ?? row.identity;
  const generated = row.generated === 's' || row.generated === 'v';
  if (generated) {
    properties.generated = row.generated === 's' ? 'STORED' : 'VIRTUAL';
    properties.generation_expression = row.default_expr;
  }
  if (row.collation) properties.collation = row.collation;
  if (row.attnum !== ordinal) properties.attnum = row.attnum;
  return {
    name: row.name,
    ordinal,
    dataType: row.data_type,
    nullable: row.nullable,
    default: generated ? null : row.default_expr,
    comment: row.comment,
    primaryKey: false,
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

const KEY_TYPE: Record<string, CatalogKey['type']> = { p: 'primary', u: 'unique', f: 'foreign', c: 'check' };

export function toKey(row: ConstraintRow): CatalogKey {
  const key: CatalogKey = { name: row.name, type: KEY_TYPE[row.contype], columns: row.columns, definition: row.definition };
  if (row.contype === 'f' && row.ref_table) {
    key.references = { namespace: row.ref_namespace ?? undefined, table: row.ref_table, columns: row.ref_columns };
  }
  return key;
}

export function toIndex(row: IndexRow): CatalogIndex & { include?: string[]; primary?: boolean } {
  const index: CatalogIndex & { include?: string[]; primary?: boolean } = {
    name: row.name,
    columns: row.columns,
    unique: row.is_unique,
    method: row.method,
    predicate: row.predicate,
  };
  if (row.include_columns.length > 0) index.include = row.include_columns;
  if (row.is_primary) index.primary = true;
  return index;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `count:sum` of row versions, as CHANGE_SIGNAL prints each part. */
function versions(xmins: Array<string | number>): string {
  return `${xmins.length}:${xmins.reduce<number>((sum, x) => sum + Number(x), 0)}`;
}

/**
 * The change signal from a full read's rows: the same parts, in the same order, as CHANGE_SIGNAL
 * in catalog-sql.ts computes in SQL, so full and incremental runs agree on an unchanged table.
 */
export function signalFromDetails(row: RelationRow, columns: ColumnRow[], constraints: ConstraintRow[], indexes: IndexRow[]): string {
  const comments = columns.filter((c) => c.comment_xmin !== null).map((c) => c.comment_xmin!);
  if (row.comment_xmin) comments.push(row.comment_xmin);
  const parts = [
    row.rel_xmin ?? '',
    versions(columns.map((c) => c.attr_xmin)),
    versions(columns.filter((c) => c.default_xmin !== null).map((c) => c.default_xmin!)),
    versions(constraints.map((c) => c.xmin)),
    ...(row.has_index ? [versions(indexes.map((i) => Number(i.xmin) + Number(i.class_xmin)))] : []),
    versions(comments),
    ...(row.signal_tail ? [row.signal_tail] : []),
  ];
  return createHash('md5').update(parts.join('|')).digest('hex');
}

function groupByRelation<T extends { relid: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.relid);
    if (list) list.push(r);
    else out.set(r.relid, [r]);
  }
  return out;
}

/**
 * Hangs columns (in table order, numbered densely), constraints and indexes (by name) on each
 * relation's asset, marks primary-key columns, and computes the change signal where the page did
 * not carry it. The rows arrive unordered.
 */
export function attachDetails(relations: Array<{ row: RelationRow; asset: CatalogAsset }>, columns: ColumnRow[], constraints: ConstraintRow[], indexes: IndexRow[]): void {
  const columnsOf = groupByRelation(columns);
  const constraintsOf = groupByRelation(constraints);
  const indexesOf = groupByRelation(indexes);
  for (const { row, asset } of relations) {
    const cols = (columnsOf.get(row.oid) ?? []).sort((x, y) => x.attnum - y.attnum);
    const cons = (constraintsOf.get(row.oid) ?? []).sort((x, y) => byText(x.name, y.name));
    const idxs = (indexesOf.get(row.oid) ?? []).sort((x, y) => byText(x.name, y.name));
    asset.fields = cols.map((c, i) => toField(c, i + 1));
    asset.keys = cons.map(toKey);
    for (const key of asset.keys) {
      if (key.type !== 'primary') continue;
      for (const field of asset.fields) if (key.columns.includes(field.name)) field.primaryKey = true;
    }
    asset.indexes = idxs.map(toIndex);
    if (row.change_signal === null) asset.changeSignal = signalFromDetails(row, cols, cons, idxs);
  }
}
