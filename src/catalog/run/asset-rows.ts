import { createHash } from 'node:crypto';
import { CatalogAsset, CatalogField, typeFamily } from '@app/connectors';
import { canonicalJson } from '../shape/canonical-json';
import { bulkId } from '../store/bulk-ids';
import { SqlDialect } from '../store/sql-dialect';
import { CatalogLimits } from './catalog-tables';

// The rows a run writes, value by value, in the order of the column lists in catalog-tables.ts.

export const propertiesText = (properties: Record<string, unknown> | undefined | null): string | null =>
  properties && Object.keys(properties).length > 0 ? canonicalJson(properties) : null;

/** A field's stored values (after the id and asset id), in the order of the fields' update columns. */
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

/** Refuses, by name, what the store could not hold, rather than failing on a driver error. */
export function checkLimits(asset: CatalogAsset, limits: CatalogLimits): void {
  const tooLong = (what: string, value: string, max: number) => {
    if (value.length > max)
      throw new Error(
        `Catalog cannot store ${what} "${value.slice(0, 60)}…" of ${asset.namespace}.${asset.name}: longer than ${max} characters`,
      );
  };
  tooLong('namespace', asset.namespace, limits.namespace);
  tooLong('asset name', asset.name, limits.name);
  for (const f of asset.fields) {
    tooLong('field name', f.name, limits.field);
    if (f.path) tooLong('field path', f.path, limits.path);
  }
}

/** Change signals are compared for equality only; an over-long one is kept as its hash. */
export function storableSignal(signal: string | null | undefined): string | null {
  if (signal === null || signal === undefined) return null;
  return signal.length <= 255 ? signal : `sha256:${createHash('sha256').update(signal).digest('hex')}`;
}

const wholeOrNull = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v);

export interface AssetStats {
  rows: number | null;
  bytes: number | null;
  /** Epoch ms the statistics were read, or null. */
  at: number | null;
}

/** Fresh statistics when the connector read them, else the ones already stored (schema_only, unchanged). */
export function statsOf(asset: CatalogAsset, stored: AssetStats | null, now: number): AssetStats {
  if (asset.statistics)
    return { rows: wholeOrNull(asset.statistics.rows), bytes: wholeOrNull(asset.statistics.bytes), at: now };
  return stored ?? { rows: null, bytes: null, at: null };
}

/** The shape-defining and descriptive columns shared by a new row and a rewrite (the assets' body columns, in order). */
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

/** A new asset row, in the order of the assets' insert columns. */
export function assetInsertRow(
  id: string,
  dataSourceId: string,
  asset: CatalogAsset,
  fp: string,
  stats: AssetStats,
  now: number,
  executionId: string,
): unknown[] {
  return [
    id,
    dataSourceId,
    asset.namespace,
    asset.name,
    asset.name.toLowerCase(),
    ...assetBody(asset, fp, stats),
    now,
    now,
    executionId,
    now,
    null,
  ];
}

/** `[id, …rewrite columns]` for a changed (or returning) asset. */
export function assetRewriteRow(
  id: string,
  asset: CatalogAsset,
  fp: string,
  stats: AssetStats,
  now: number,
  executionId: string,
): unknown[] {
  return [id, ...assetBody(asset, fp, stats), now, executionId, now, null];
}

/** `[id, …refresh columns]` for an asset whose shape did not change. */
export function assetRefreshRow(
  id: string,
  asset: CatalogAsset,
  stats: AssetStats,
  now: number,
  executionId: string,
): unknown[] {
  return [
    id,
    asset.owner ?? null,
    propertiesText(asset.properties),
    stats.rows,
    stats.bytes,
    stats.at,
    storableSignal(asset.changeSignal),
    now,
    executionId,
  ];
}
