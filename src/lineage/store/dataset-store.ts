import { EntityManager } from 'typeorm';
import { bulkId } from '../../catalog/store/bulk-ids';
import { selectByIds } from '../../catalog/store/bulk-sql';
import { SqlDialect } from '../../catalog/store/sql-dialect';
import { datasetKey, DatasetSpec } from '../lineage-keys';
import { insertIgnoring } from './insert-ignore';

const COLUMNS = ['id', 'node_key', 'data_source_id', 'namespace', 'name', 'ol_namespace', 'ol_name', 'created_at'];

/** The node ids of the datasets, created where missing; keyed by `datasetKey()`. */
export async function ensureDatasets(
  em: EntityManager,
  dialect: SqlDialect,
  specs: readonly DatasetSpec[],
  now = Date.now(),
): Promise<Map<string, string>> {
  const byKey = new Map<string, DatasetSpec>();
  for (const s of specs) byKey.set(datasetKey(s), s);
  const ids = await datasetIds(em, dialect, [...byKey.keys()]);
  const missing = [...byKey.entries()].filter(([key]) => !ids.has(key));
  if (missing.length > 0) {
    await insertIgnoring(
      em,
      dialect,
      'lineage_datasets',
      COLUMNS,
      missing.map(([key, s]) => [
        bulkId('lnd'),
        key,
        s.dataSourceId,
        s.namespace,
        s.name,
        s.olNamespace ?? null,
        s.olName ?? null,
        now,
      ]),
    );
    for (const [key, id] of await datasetIds(
      em,
      dialect,
      missing.map(([key]) => key),
    ))
      ids.set(key, id);
  }
  return ids;
}

export async function datasetIds(
  em: EntityManager,
  dialect: SqlDialect,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const rows = await selectByIds<{ id: string; node_key: string }>(
    em,
    dialect,
    'SELECT id, node_key FROM lineage_datasets WHERE',
    'node_key',
    keys,
  );
  return new Map(rows.map((r) => [r.node_key, r.id]));
}
