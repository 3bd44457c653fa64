import { DataSource } from 'typeorm';
import { CatalogAssetEntity } from '../entities/catalog-asset.entity';
import { CatalogFieldEntity } from '../entities/catalog-field.entity';
import { CatalogNamespaceEntity } from '../entities/catalog-namespace.entity';
import { CatalogVersionEntity } from '../entities/catalog-version.entity';
import { ColumnSpec } from '../store/bulk-sql';
import { entityTable } from '../store/entity-table';

// The columns a run writes, named by entity property; the row builders in asset-rows.ts fill them in this order.

type Props<E> = readonly (keyof E & string)[];

/** The shape-defining and descriptive columns shared by a new asset row and a rewrite. */
const ASSET_BODY = [
  'kind',
  'comment',
  'owner',
  'properties',
  'keys',
  'indexes',
  'fieldCount',
  'rowCount',
  'sizeBytes',
  'statsAt',
  'fingerprint',
  'changeSignal',
] as const satisfies Props<CatalogAssetEntity>;

const ASSET_INSERT = [
  'id',
  'dataSourceId',
  'namespace',
  'name',
  'nameLower',
  ...ASSET_BODY,
  'firstSeenAt',
  'lastSeenAt',
  'lastSeenExecutionId',
  'changedAt',
  'removedAt',
] as const satisfies Props<CatalogAssetEntity>;

/** Everything of an asset row a changed shape rewrites (identity and first sighting stay). */
const ASSET_REWRITE = [
  ...ASSET_BODY,
  'lastSeenAt',
  'lastSeenExecutionId',
  'changedAt',
  'removedAt',
] as const satisfies Props<CatalogAssetEntity>;

/** What an unchanged shape still refreshes: statistics, owner, state-like properties, the signal. */
const ASSET_REFRESH = [
  'owner',
  'properties',
  'rowCount',
  'sizeBytes',
  'statsAt',
  'changeSignal',
  'lastSeenAt',
  'lastSeenExecutionId',
] as const satisfies Props<CatalogAssetEntity>;

const FIELD_UPDATE = [
  'name',
  'nameLower',
  'path',
  'ordinal',
  'dataType',
  'typeFamily',
  'nullable',
  'defaultValue',
  'comment',
  'primaryKey',
  'properties',
] as const satisfies Props<CatalogFieldEntity>;

const VERSION_INSERT = [
  'id',
  'assetId',
  'dataSourceId',
  'executionId',
  'changeType',
  'namespace',
  'assetName',
  'assetKind',
  'fieldsAdded',
  'fieldsRemoved',
  'fieldsAltered',
  'diff',
  'createdAt',
] as const satisfies Props<CatalogVersionEntity>;

const NAMESPACE_UPDATE = [
  'kind',
  'properties',
  'lastSeenAt',
  'lastSeenExecutionId',
  'removedAt',
] as const satisfies Props<CatalogNamespaceEntity>;

const NAMESPACE_INSERT = [
  'id',
  'dataSourceId',
  'name',
  'kind',
  'properties',
  'firstSeenAt',
  'lastSeenAt',
  'lastSeenExecutionId',
  'removedAt',
] as const satisfies Props<CatalogNamespaceEntity>;

/** What the catalog's columns hold at most. */
export interface CatalogLimits {
  namespace: number;
  name: number;
  field: number;
  path: number;
}

export interface CatalogTables {
  assets: {
    name: string;
    insert: ColumnSpec[];
    rewrite: ColumnSpec[];
    refresh: ColumnSpec[];
  };
  fields: { name: string; insert: ColumnSpec[]; update: ColumnSpec[] };
  versions: { name: string; insert: ColumnSpec[] };
  namespaces: { name: string; insert: ColumnSpec[]; update: ColumnSpec[] };
  limits: CatalogLimits;
}

const resolved = new WeakMap<DataSource, CatalogTables>();

/** The catalog's tables as the run writer addresses them, read once per data source from the entities. */
export function catalogTables(db: DataSource): CatalogTables {
  const known = resolved.get(db);
  if (known) return known;
  const assets = entityTable(db, CatalogAssetEntity);
  const fields = entityTable(db, CatalogFieldEntity);
  const versions = entityTable(db, CatalogVersionEntity);
  const namespaces = entityTable(db, CatalogNamespaceEntity);
  const tables: CatalogTables = {
    assets: {
      name: assets.name,
      insert: assets.insertColumns(ASSET_INSERT),
      rewrite: assets.columns(ASSET_REWRITE),
      refresh: assets.columns(ASSET_REFRESH),
    },
    fields: {
      name: fields.name,
      insert: fields.insertColumns(['id', 'assetId', ...FIELD_UPDATE]),
      update: fields.columns(FIELD_UPDATE),
    },
    versions: {
      name: versions.name,
      insert: versions.insertColumns(VERSION_INSERT),
    },
    namespaces: {
      name: namespaces.name,
      insert: namespaces.insertColumns(NAMESPACE_INSERT),
      update: namespaces.columns(NAMESPACE_UPDATE),
    },
    limits: {
      namespace: Math.min(assets.maxLength('namespace'), namespaces.maxLength('name')),
      name: assets.maxLength('name'),
      field: fields.maxLength('name'),
      path: fields.maxLength('path'),
    },
  };
  resolved.set(db, tables);
  return tables;
}
