import { EntityManager } from 'typeorm';
import { SqlDialect } from '../store/sql-dialect';

/** What the catalog holds about an asset, loaded once per run. */
export interface KnownAsset {
  id: string;
  namespace: string;
  name: string;
  kind: string;
  fingerprint: string;
  changeSignal: string | null;
  owner: string | null;
  propertiesJson: string | null;
  rowCount: number | null;
  sizeBytes: number | null;
  statsAt: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  removed: boolean;
}

export interface KnownNamespace {
  id: string;
  name: string;
  kind: string | null;
  propertiesJson: string | null;
  lastSeenAt: number;
  removed: boolean;
}

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** Booleans come back as true/false (PostgreSQL) or 1/0 (SQLite, MySQL). */
export const truthy = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't';

interface AssetRow {
  id: string;
  namespace: string;
  name: string;
  kind: string;
  fingerprint: string;
  change_signal: string | null;
  owner: string | null;
  properties: string | null;
  row_count: unknown;
  size_bytes: unknown;
  stats_at: unknown;
  first_seen_at: unknown;
  last_seen_at: unknown;
  removed_at: unknown;
}

interface NamespaceRow {
  id: string;
  name: string;
  kind: string | null;
  properties: string | null;
  last_seen_at: unknown;
  removed_at: unknown;
}

/** One read per table for the whole source, instead of one per asset while writing. */
export async function loadRunState(
  em: EntityManager,
  dialect: SqlDialect,
  dataSourceId: string,
): Promise<{ assets: KnownAsset[]; namespaces: KnownNamespace[] }> {
  const p1 = dialect.param(1);
  const assetRows = (await em.query(
    `SELECT id, namespace, name, kind, fingerprint, change_signal, owner, properties, row_count, size_bytes, stats_at, first_seen_at, last_seen_at, removed_at
       FROM catalog_assets WHERE data_source_id = ${p1}`,
    [dataSourceId],
  )) as AssetRow[];
  const namespaceRows = (await em.query(
    `SELECT id, name, kind, properties, last_seen_at, removed_at FROM catalog_namespaces WHERE data_source_id = ${p1}`,
    [dataSourceId],
  )) as NamespaceRow[];
  return {
    assets: assetRows.map((r) => ({
      id: r.id,
      namespace: r.namespace,
      name: r.name,
      kind: r.kind,
      fingerprint: r.fingerprint,
      changeSignal: r.change_signal,
      owner: r.owner,
      propertiesJson: r.properties,
      rowCount: num(r.row_count),
      sizeBytes: num(r.size_bytes),
      statsAt: num(r.stats_at),
      firstSeenAt: Number(r.first_seen_at),
      lastSeenAt: Number(r.last_seen_at),
      removed: r.removed_at !== null && r.removed_at !== undefined,
    })),
    namespaces: namespaceRows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      propertiesJson: r.properties,
      lastSeenAt: Number(r.last_seen_at),
      removed: r.removed_at !== null && r.removed_at !== undefined,
    })),
  };
}
