import { createHash } from 'node:crypto';
import { CatalogAsset, CatalogField, typeFamily } from '@app/connectors';
import { canonicalJson } from '../shape/canonical-json';
import { bulkId } from '../store/bulk-ids';
import { ColumnSpec } from '../store/bulk-sql';
import { SqlDialect } from '../store/sql-dialect';

// The rows a run writes, column by column, in the order of the column lists below.

export const ASSET_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', type: 'varchar' },
  { name: 'data_source_id', type: 'varchar' },
  { name: 'namespace', type: 'varchar' },
  { name: 'name', type: 'varchar' },
  { name: 'name_lower', type: 'varchar' },
  { name: 'kind', type: 'varchar' },
  { name: 'comment', type: 'text' },
  { name: 'owner', type: 'varchar' },
  { name: 'properties', type: 'text' },
  { name: 'asset_keys', type: 'text' },
  { name: 'asset_indexes', type: 'text' },
  { name: 'field_count', type: 'integer' },
  { name: 'row_count', type: 'bigint' },
  { name: 'size_bytes', type: 'bigint' },
  { name: 'stats_at', type: 'bigint' },
  { name: 'fingerprint', type: 'varchar' },
  { name: 'change_signal', type: 'varchar' },
  { name: 'first_seen_at', type: 'bigint' },
  { name: 'last_seen_at', type: 'bigint' },
  { name: 'last_seen_execution_id', type: 'varchar' },
  { name: 'changed_at', type: 'bigint' },
  { name: 'removed_at', type: 'bigint' },
];

/** Everything of an asset row a changed shape rewrites (identity and first sighting stay). */
export const ASSET_REWRITE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'kind', type: 'varchar' },
  { name: 'comment', type: 'text' },
  { name: 'owner', type: 'varchar' },
  { name: 'properties', type: 'text' },
  { name: 'asset_keys', type: 'text' },
  { name: 'asset_indexes', type: 'text' },
  { name: 'field_count', type: 'integer' },
  { name: 'row_count', type: 'bigint' },
  { name: 'size_bytes', type: 'bigint' },
  { name: 'stats_at', type: 'bigint' },
  { name: 'fingerprint', type: 'varchar' },
  { name: 'change_signal', type: 'varchar' },
  { name: 'last_seen_at', type: 'bigint' },
  { name: 'last_seen_execution_id', type: 'varchar' },
  { name: 'changed_at', type: 'bigint' },
  { name: 'removed_at', type: 'bigint' },
];

/** What an unchanged shape still refreshes: statistics, owner, state-like properties, the signal. */
export const ASSET_REFRESH_COLUMNS: readonly ColumnSpec[] = [
  { name: 'owner', type: 'varchar' },
  { name: 'properties', type: 'text' },
  { name: 'row_count', type: 'bigint' },
  { name: 'size_bytes', type: 'bigint' },
  { name: 'stats_at', type: 'bigint' },
  { name: 'change_signal', type: 'varchar' },
  { name: 'last_seen_at', type: 'bigint' },
  { name: 'last_seen_execution_id', type: 'varchar' },
];

export const FIELD_UPDATE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'name', type: 'varchar' },
  { name: 'name_lower', type: 'varchar' },
  { name: 'path', type: 'varchar' },
  { name: 'ordinal', type: 'integer' },
  { name: 'data_type', type: 'text' },
  { name: 'type_family', type: 'varchar' },
  { name: 'nullable', type: 'boolean' },
  { name: 'default_value', type: 'text' },
  { name: 'comment', type: 'text' },
  { name: 'primary_key', type: 'boolean' },
  { name: 'properties', type: 'text' },
];

export const FIELD_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', type: 'varchar' },
  { name: 'asset_id', type: 'varchar' },
  ...FIELD_UPDATE_COLUMNS,
];


export const VERSION_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', type: 'varchar' },
  { name: 'asset_id', type: 'varchar' },
  { name: 'data_source_id', type: 'varchar' },
  { name: 'execution_id', type: 'varchar' },
  { name: 'change_type', type: 'varchar' },
  { name: 'namespace', type: 'varchar' },
  { name: 'asset_name', type: 'varchar' },
  { name: 'asset_kind', type: 'varchar' },
  { name: 'fields_added', type: 'integer' },
  { name: 'fields_removed', type: 'integer' },
  { name: 'fields_altered', type: 'integer' },
  { name: 'diff', type: 'text' },
  { name: 'created_at', type: 'bigint' },
];

export const propertiesText = (properties: Record<string, unknown> | undefined | null): string | null =>
  properties && Object.keys(properties).length > 0 ? canonicalJson(properties) : null;

/** A field's stored values (after the id and asset id), in FIELD_COLUMNS order. */
export function fieldValues(field: CatalogField, dialect: SqlDialect): unknown[] {
  return [
    field.name,
    field.name.toLowerCase(),
    field.path ?? null,
    field.ordinal,
    field.dataType,
    typeFamily(field.dataType),
    dialect.bool(field.nullable),
    field.default ?? null,
    field.comment ?? null,
    dialect.bool(field.primaryKey ?? false),
    propertiesText(field.properties),
  ];
}

export function newFieldRow(assetId: string, field: CatalogField, dialect: SqlDialect): unknown[] {
  return [bulkId('fld'), assetId, ...fieldValues(field, dialect)];
}

/** Comparable text of a field's stored columns. */
export function fieldText(field: CatalogField): string {
  return canonicalJson([
    field.name,
    field.path ?? null,
    field.ordinal,
    field.dataType,
    field.nullable,
    field.default ?? null,
    field.comment ?? null,
    field.primaryKey ?? false,
    propertiesText(field.properties),
  ]);
}

export const NAMESPACE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', type: 'varchar' },
  { name: 'data_source_id', type: 'varchar' },
  { name: 'name', type: 'varchar' },
  { name: 'kind', type: 'varchar' },
  { name: 'properties', type: 'text' },
  { name: 'first_seen_at', type: 'bigint' },
  { name: 'last_seen_at', type: 'bigint' },
  { name: 'last_seen_execution_id', type: 'varchar' },
  { name: 'removed_at', type: 'bigint' },
];

export const NAMESPACE_UPDATE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'kind', type: 'varchar' },
  { name: 'properties', type: 'text' },
  { name: 'last_seen_at', type: 'bigint' },
  { name: 'last_seen_execution_id', type: 'varchar' },
  { name: 'removed_at', type: 'bigint' },
];

/** What the catalog's columns hold at most (see the migration). */
export const LIMITS = { namespace: 255, name: 400, field: 255, path: 1024 };

/** Refuses, by name, what the store could not hold, rather than failing on a driver error. */
export function checkLimits(asset: CatalogAsset): void {
  const tooLong = (what: string, value: string, max: number) => {
    if (value.length > max) throw new Error(`Catalog cannot store ${what} "${value.slice(0, 60)}…" of ${asset.namespace}.${asset.name}: longer than ${max} characters`);
  };
  tooLong('namespace', asset.namespace, LIMITS.namespace);
  tooLong('asset name', asset.name, LIMITS.name);
  for (const f of asset.fields) {
    tooLong('field name', f.name, LIMITS.field);
    if (f.path) tooLong('field path', f.path, LIMITS.path);
  }
}

/** Change signals are compared for equality only; an over-long one is kept as its hash. */
export function storableSignal(signal: string | null | undefined): string | null {
  if (signal === null || signal === undefined) return null;
  return signal.length <= 255 ? signal : `sha256:${createHash('sha256').update(signal).digest('hex')}`;
}

const wholeOrNull = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v));

export interface AssetStats {
  rows: number | null;
  bytes: number | null;
  /** Epoch ms the statistics were read, or null. */
  at: number | null;
}

/** Fresh statistics when the connector read them, else the ones already stored (schema_only, unchanged). */
export function statsOf(asset: CatalogAsset, stored: AssetStats | null, now: number): AssetStats {
  if (asset.statistics) return { rows: wholeOrNull(asset.statistics.rows), bytes: wholeOrNull(asset.statistics.bytes), at: now };
  return stored ?? { rows: null, bytes: null, at: null };
}

/** The shape-defining and descriptive columns shared by a new row and a rewrite (ASSET_REWRITE_COLUMNS order, up to change_signal). */
function assetBody(asset: CatalogAsset, fp: string, stats: AssetStats): unknown[] {
  return [
    asset.kind,
    asset.comment ?? null,
    asset.owner ?? null,
    propertiesText(asset.properties),
    JSON.stringify(asset.keys ?? []),
    JSON.stringify(asset.indexes ?? []),
    asset.fields.length,
    stats.rows,
    stats.bytes,
    stats.at,
    fp,
    storableSignal(asset.changeSignal),
  ];
}

/** A new asset row, in ASSET_COLUMNS order. */
export function assetInsertRow(id: string, dataSourceId: string, asset: CatalogAsset, fp: string, stats: AssetStats, now: number, executionId: string): unknown[] {
  return [id, dataSourceId, asset.namespace, asset.name, asset.name.toLowerCase(), ...assetBody(asset, fp, stats), now, now, executionId, now, null];
}

/** `[id, …ASSET_REWRITE_COLUMNS]` for a changed (or returning) asset. */
export function assetRewriteRow(id: string, asset: CatalogAsset, fp: string, stats: AssetStats, now: number, executionId: string): unknown[] {
  return [id, ...assetBody(asset, fp, stats), now, executionId, now, null];
}

/** `[id, …ASSET_REFRESH_COLUMNS]` for an asset whose shape did not change. */
export function assetRefreshRow(id: string, asset: CatalogAsset, stats: AssetStats, now: number, executionId: string): unknown[] {
  return [id, asset.owner ?? null, propertiesText(asset.properties), stats.rows, stats.bytes, stats.at, storableSignal(asset.changeSignal), now, executionId];
}
