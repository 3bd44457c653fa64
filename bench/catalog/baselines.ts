/**
 * The plain ways to do what the catalog does, measured beside it: one INSERT per row for a
 * write, and a LIKE scan over lower(name)/lower(comment) that no index serves for a search.
 */
import type { CatalogBatch } from '@app/connectors';
import { typeFamily } from '@app/connectors';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

let seq = 0;
const id = (prefix: string) => `${prefix}-naive-${(++seq).toString(36).padStart(10, '0')}`;

/** Row-by-row: every asset, field and version its own INSERT, one transaction per batch. */
export async function naiveWrite(db: DataSource, dataSourceId: string, batches: Iterable<CatalogBatch>): Promise<void> {
  const pg = db.options.type === 'postgres';
  const ph = (n: number) => Array.from({ length: n }, (_, i) => (pg ? `$${i + 1}` : '?')).join(', ');
  const bool = (b: boolean) => (pg ? b : b ? 1 : 0);
  const now = Date.now();
  for (const batch of batches) {
    await db.transaction(async (em) => {
      for (const ns of batch.namespaces ?? []) {
        await em.query(
          `INSERT INTO catalog_namespaces (id, data_source_id, name, kind, properties, first_seen_at, last_seen_at) VALUES (${ph(7)})`,
          [id('ns'), dataSourceId, ns.name, ns.kind, null, now, now],
        );
      }
      for (const a of batch.assets) {
        const assetId = id('ast');
        const fp = createHash('sha256').update(JSON.stringify(a.fields)).digest('hex');
        await em.query(
          `INSERT INTO catalog_assets (id, data_source_id, namespace, name, name_lower, kind, comment, owner, properties, asset_keys, asset_indexes, field_count, row_count, size_bytes, stats_at, fingerprint, change_signal, first_seen_at, last_seen_at, changed_at)
           VALUES (${ph(20)})`,
          [
            assetId,
            dataSourceId,
            a.namespace,
            a.name,
            a.name.toLowerCase(),
            a.kind,
            a.comment ?? null,
            a.owner ?? null,
            JSON.stringify(a.properties ?? {}),
            JSON.stringify(a.keys ?? []),
            JSON.stringify(a.indexes ?? []),
            a.fields.length,
            a.statistics?.rows ?? null,
            a.statistics?.bytes ?? null,
            now,
            fp,
            a.changeSignal ?? null,
            now,
            now,
            now,
          ],
        );
        for (const f of a.fields) {
          await em.query(
            `INSERT INTO catalog_fields (id, asset_id, name, name_lower, path, ordinal, data_type, type_family, nullable, default_value, comment, primary_key, properties) VALUES (${ph(13)})`,
            [
              id('fld'),
              assetId,
              f.name,
              f.name.toLowerCase(),
              f.path ?? null,
              f.ordinal,
              f.dataType,
              typeFamily(f.dataType),
              bool(f.nullable),
              f.default ?? null,
              f.comment ?? null,
              bool(f.primaryKey ?? false),
              null,
            ],
          );
        }
        await em.query(
          `INSERT INTO catalog_versions (id, asset_id, data_source_id, execution_id, change_type, namespace, asset_name, asset_kind, fields_added, fields_removed, fields_altered, diff, created_at) VALUES (${ph(13)})`,
          [
            id('ver'),
            assetId,
            dataSourceId,
            'exec-naive',
            'added',
            a.namespace,
            a.name,
            a.kind,
            a.fields.length,
            0,
            0,
            JSON.stringify({ fields: { added: a.fields } }),
            now,
          ],
        );
      }
    });
  }
}

/** The same ranking as the catalog's search, over expressions no index serves: a full scan. */
export async function naiveSearch(db: DataSource, q: string, limit: number): Promise<number> {
  const pg = db.options.type === 'postgres';
  const lower = q.toLowerCase();
  const esc = lower.replace(/[!%_]/g, '!$&');
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return pg ? `$${params.length}` : '?';
  };
  const part = (kind: string, from: string, name: string, comment: string) =>
    `SELECT '${kind}' AS item_type, x.id AS item_id, ${name} AS item_name,
            CASE WHEN lower(${name}) = ${p(lower)} THEN 0 WHEN lower(${name}) LIKE ${p(`${esc}%`)} ESCAPE '!' THEN 1 WHEN lower(${name}) LIKE ${p(`%${esc}%`)} ESCAPE '!' THEN 2 ELSE 3 END AS match_rank
       FROM ${from}
      WHERE a.removed_at IS NULL AND (lower(${name}) LIKE ${p(`%${esc}%`)} ESCAPE '!' OR lower(${comment}) LIKE ${p(`%${esc}%`)} ESCAPE '!')`;
  const sql = `SELECT m.*, COUNT(*) OVER () AS total FROM (
      ${part('asset', 'catalog_assets x JOIN catalog_assets a ON a.id = x.id', 'x.name', 'x.comment')}
      UNION ALL
      ${part('field', 'catalog_fields x JOIN catalog_assets a ON a.id = x.asset_id', 'x.name', 'x.comment')}
    ) m ORDER BY m.match_rank, lower(m.item_name), m.item_type, m.item_id LIMIT ${p(limit)}`;
  // Serial, as the catalog's own search runs on PostgreSQL, so the figures compare index and scan only.
  const rows = pg
    ? await db.transaction(async (em) => {
        await em.query('SET LOCAL max_parallel_workers_per_gather = 0');
        return (await em.query(sql, params)) as Array<{ total: unknown }>;
      })
    : ((await db.query(sql, params)) as Array<{ total: unknown }>);
  return rows.length > 0 ? Number(rows[0].total) : 0;
}
