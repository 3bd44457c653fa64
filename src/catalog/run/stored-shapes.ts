import { AssetKind, CatalogField, CatalogIndex, CatalogKey } from '@app/connectors';
import { EntityManager } from 'typeorm';
import { ShapeSource } from '../shape/asset-shape';
import { selectByIds } from '../store/bulk-sql';
import { SqlDialect } from '../store/sql-dialect';
import { fieldText } from './asset-rows';
import { str, truthy } from './run-state';

/** A field as stored, with its id. */
export interface StoredField {
  id: string;
  assetId: string;
  field: CatalogField;
  /** The field's update-column values as stored, to tell whether a rewrite is needed. */
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

/** The stored shapes of some assets (their row plus their fields), for diffs. */
export async function loadStoredShapes(
  em: EntityManager,
  dialect: SqlDialect,
  assetIds: readonly string[],
): Promise<Map<string, { source: ShapeSource; fields: StoredField[] }>> {
  const out = new Map<string, { source: ShapeSource; fields: StoredField[] }>();
  if (assetIds.length === 0) return out;
  const assets = await selectByIds<AssetShapeRow>(
    em,
    dialect,
    'SELECT id, kind, comment, properties, asset_keys, asset_indexes FROM catalog_assets WHERE',
    'id',
    assetIds,
  );
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
