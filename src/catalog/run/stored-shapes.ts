import { AssetKind, CatalogField, CatalogIndex, CatalogKey, typeFamily } from '@app/connectors';
import { EntityManager } from 'typeorm';
import { bulkId } from '../store/bulk-ids';
import { canonicalJson } from '../shape/canonical-json';
import { ShapeSource } from '../shape/asset-shape';
import { ColumnSpec, selectByIds } from '../store/bulk-sql';
import { SqlDialect } from '../store/sql-dialect';
import { str, truthy } from './run-state';

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

/** A field as stored, with its id. */
export interface StoredField {
  id: string;
  assetId: string;
  field: CatalogField;
  /** FIELD_UPDATE_COLUMNS values as stored, to tell whether a rewrite is needed. */
  storedText: string;
}

interface FieldRow {
  id: string;
  asset_id: string;
  name: string;
  path: string | null;
  ordinal: unknown;
  data_type: string;
  nullable: unknown;
  default_value: string | null;
  comment: string | null;
  primary_key: unknown;
  properties: string | null;
}

interface AssetShapeRow {
  id: string;
  kind: string;
  comment: string | null;
  properties: string | null;
  asset_keys: string | null;
  asset_indexes: string | null;
}

const parse = <T>(text: string | null, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

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

/** The stored shapes of some assets (their row plus their fields), for diffs. */
export async function loadStoredShapes(em: EntityManager, dialect: SqlDialect, assetIds: readonly string[]): Promise<Map<string, { source: ShapeSource; fields: StoredField[] }>> {
  const out = new Map<string, { source: ShapeSource; fields: StoredField[] }>();
  if (assetIds.length === 0) return out;
  const assets = await selectByIds<AssetShapeRow>(em, dialect, 'SELECT id, kind, comment, properties, asset_keys, asset_indexes FROM catalog_assets WHERE', 'id', assetIds);
  for (const a of assets) {
    out.set(a.id, {
      source: {
        kind: a.kind as AssetKind,
        comment: a.comment,
        properties: parse<Record<string, unknown>>(a.properties, {}),
        keys: parse<CatalogKey[]>(a.asset_keys, []),
        indexes: parse<CatalogIndex[]>(a.asset_indexes, []),
        fields: [],
      },
      fields: [],
    });
  }
  const fields = await selectByIds<FieldRow>(
    em,
    dialect,
    'SELECT id, asset_id, name, path, ordinal, data_type, nullable, default_value, comment, primary_key, properties FROM catalog_fields WHERE',
    'asset_id',
    assetIds,
  );
  for (const r of fields) {
    const field: CatalogField = {
      name: r.name,
      ordinal: Number(r.ordinal),
      dataType: r.data_type,
      nullable: truthy(r.nullable),
      default: str(r.default_value),
      comment: str(r.comment),
      primaryKey: truthy(r.primary_key),
      ...(r.path !== null ? { path: r.path } : {}),
      ...(r.properties ? { properties: parse<Record<string, unknown>>(r.properties, {}) } : {}),
    };
    const entry = out.get(r.asset_id);
    if (!entry) continue;
    entry.source.fields.push(field);
    entry.fields.push({ id: r.id, assetId: r.asset_id, field, storedText: fieldText(field) });
  }
  return out;
}
