import type { AssetKind, CatalogAsset, CatalogField, CatalogIndex, CatalogKey } from '@app/connectors';

/**
 * Property keys that describe an object's state, load or physical layout rather than its shape:
 * message counts, sampled sizes, memory, placement. They are stored (the latest values) but never
 * enter the fingerprint or a diff, so a busy queue or a growing collection does not produce a
 * new version on every run.
 */
export const NON_SHAPE_ASSET_PROPERTIES: ReadonlySet<string> = new Set([
  // queues and vhosts
  'messages',
  'messages_ready',
  'messages_unacknowledged',
  'message_bytes',
  'consumers',
  'consumer_utilisation',
  'state',
  'node',
  'members',
  'idle_since',
  // sampled key patterns
  'memory',
  'length',
  'ttl',
  'types',
  'sampled_keys',
  'sample_share',
  'estimated_keys',
  'exact',
  'nodes',
  // document stores and indices
  'data_size',
  'storage_size',
  'total_index_size',
  'avg_obj_size',
  'bucket_count',
  'size_on_disk',
  'empty',
  'sample',
  'statistics_error',
  'shards',
  'docs_count',
  'docs_deleted',
  'store_size',
  'health',
  // MySQL/MariaDB table status: moves with every insert or rebuild, not with the definition
  'update_time',
  'create_time',
  'check_time',
  'auto_increment',
  'data_free',
  'table_rows',
  'data_length',
  'index_length',
  // Oracle optimizer statistics: refreshed by DBMS_STATS, not by DDL
  'last_analyzed',
  // topics and buckets
  'offsets',
  'high_watermarks',
  'object_count',
  'total_bytes',
  'last_modified',
]);

export const NON_SHAPE_FIELD_PROPERTIES: ReadonlySet<string> = new Set([
  // how often a sampled document/hash field was present
  'presence',
  'presence_ratio',
  'present_in',
  'hashes_read',
  'types',
  'sample',
  // PostgreSQL's physical column number: shifts after a drop without the column changing
  'attnum',
  // planner estimates (pg_stats): refreshed by ANALYZE, not by DDL
  'statistics',
]);

/**
 * Kinds whose column order is part of their definition. For document-like kinds the order of
 * inferred fields is an artefact of sampling and is ignored.
 */
const ORDERED_KINDS: ReadonlySet<AssetKind> = new Set<AssetKind>([
  'table',
  'view',
  'materialized_view',
  'partitioned_table',
  'foreign_table',
  'external_table',
  // arguments, enum labels and composite attributes are declared in order
  'function',
  'procedure',
  'user_type',
]);

export interface FieldShape {
  /** Identity within the asset: the nested path for document fields, else the name. */
  id: string;
  name: string;
  path: string | null;
  ordinal: number;
  dataType: string;
  nullable: boolean;
  default: string | null;
  comment: string | null;
  primaryKey: boolean;
  properties: Record<string, unknown>;
}

export interface AssetShape {
  kind: AssetKind;
  comment: string | null;
  properties: Record<string, unknown>;
  /** In definition order (ordinal) for ordered kinds, else by identity. */
  fields: FieldShape[];
  keys: CatalogKey[];
  indexes: CatalogIndex[];
  ordered: boolean;
}

/** What a connector (or the store) says about an asset, reduced to what defines its shape. */
export type ShapeSource = Pick<CatalogAsset, 'kind' | 'comment' | 'properties' | 'fields' | 'keys' | 'indexes'>;

export function fieldId(field: Pick<CatalogField, 'name' | 'path'>): string {
  return field.path ?? field.name;
}

export function shapeProperties(
  properties: Record<string, unknown> | undefined | null,
  exclude: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (!exclude.has(key) && value !== undefined) out[key] = value;
  }
  return out;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function fieldShape(field: CatalogField): FieldShape {
  return {
    id: fieldId(field),
    name: field.name,
    path: field.path ?? null,
    ordinal: field.ordinal,
    dataType: field.dataType,
    nullable: field.nullable,
    default: field.default ?? null,
    comment: field.comment ?? null,
    primaryKey: field.primaryKey ?? false,
    properties: shapeProperties(field.properties, NON_SHAPE_FIELD_PROPERTIES),
  };
}

export function assetShape(asset: ShapeSource): AssetShape {
  const ordered = ORDERED_KINDS.has(asset.kind);
  const fields = asset.fields.map(fieldShape);
  fields.sort(ordered ? (a, b) => a.ordinal - b.ordinal || byText(a.id, b.id) : (a, b) => byText(a.id, b.id));
  return {
    kind: asset.kind,
    comment: asset.comment ?? null,
    properties: shapeProperties(asset.properties, NON_SHAPE_ASSET_PROPERTIES),
    fields,
    keys: [...(asset.keys ?? [])].sort((a, b) => byText(a.name, b.name) || byText(a.type, b.type)),
    indexes: [...(asset.indexes ?? [])].sort((a, b) => byText(a.name, b.name)),
    ordered,
  };
}
