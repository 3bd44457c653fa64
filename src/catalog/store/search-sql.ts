import { escapeLike } from '../../database/like';
import { Params } from './bulk-sql';
import { SqlDialect } from './sql-dialect';
import { AssetKey, FieldKey, isFieldKey, WrittenMatch } from '../catalog-annotations.port';

export interface SearchFilter {
  q: string;
  dataSourceId?: string;
  type?: 'asset' | 'field';
  /** Only these assets and their fields (what annotation filters kept); unset: no such filter. */
  onlyAssets?: AssetKey[] | null;
  /** Assets and fields whose written description or glossary term matches q, ranked after comments. */
  written?: { assets: WrittenMatch[]; fields: WrittenMatch[] };
}

/** `(a.data_source_id, a.namespace, a.name)` among the keys, grouped so each group is one IN list. */
function assetKeyIn(p: Params, keys: AssetKey[]): string {
  if (keys.length === 0) return '1 = 0';
  const groups = new Map<string, AssetKey[]>();
  for (const k of keys)
    groups.set(`${k.dataSourceId}\u0000${k.namespace}`, [
      ...(groups.get(`${k.dataSourceId}\u0000${k.namespace}`) ?? []),
      k,
    ]);
  const parts = [...groups.values()].map(
    (g) =>
      `(a.data_source_id = ${p.add(g[0].dataSourceId)} AND a.namespace = ${p.add(g[0].namespace)} AND a.name IN (${p.list(g.map((k) => k.name))}))`,
  );
  return `(${parts.join(' OR ')})`;
}

/** A field among the keys: its asset's name and its path (or name for a flat column). */
function fieldKeyIn(p: Params, keys: FieldKey[]): string {
  if (keys.length === 0) return '1 = 0';
  const groups = new Map<string, FieldKey[]>();
  for (const k of keys) {
    const g = JSON.stringify([k.dataSourceId, k.namespace, k.name]);
    groups.set(g, [...(groups.get(g) ?? []), k]);
  }
  const parts = [...groups.values()].map(
    (g) =>
      `(a.data_source_id = ${p.add(g[0].dataSourceId)} AND a.namespace = ${p.add(g[0].namespace)} AND a.name = ${p.add(g[0].name)} AND COALESCE(f.path, f.name) IN (${p.list(g.map((k) => k.fieldPath))}))`,
  );
  return `(${parts.join(' OR ')})`;
}

const keysOf = (matches: WrittenMatch[], match: WrittenMatch['match']) =>
  matches.filter((m) => m.match === match).map((m) => m.key);

export interface SearchSqlOptions extends SearchFilter {
  limit: number;
  offset: number;
}

/** FTS5 trigram tables only index strings of three characters or more. */
const TRIGRAM_MIN = 3;

/** A FTS5 query matching `text` as a substring (a quoted string; quotes doubled). */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * The search over asset and field names and comments, ranked exact name (0), name prefix (1),
 * name substring (2), comment only (3); then by name, assets before fields, id. One statement
 * returns the page and, through a window count, the total.
 *
 * The filter is written so each store's index serves it: `name_lower LIKE` and
 * `lower(comment) LIKE` match PostgreSQL's trigram expression indexes; on SQLite the FTS5
 * trigram tables pick the candidate rows first (the LIKE re-check keeps results exact).
 */
function matchesSql(p: Params, dialect: SqlDialect, o: SearchFilter): string {
  const q = o.q.toLowerCase();
  const sub = `%${escapeLike(q)}%`;
  const useFts = dialect.store === 'sqlite' && [...q].length >= TRIGRAM_MIN;

  // Written matches (4: description, 5: term) come from src/annotations as qualified names.
  const writtenIn = (t: string, match: WrittenMatch['match']): string | null => {
    const list = t === 'a' ? keysOf(o.written?.assets ?? [], match) : keysOf(o.written?.fields ?? [], match);
    if (list.length === 0) return null;
    return t === 'a' ? assetKeyIn(p, list) : fieldKeyIn(p, list.filter(isFieldKey));
  };
  const hasWritten = (t: string) => (t === 'a' ? o.written?.assets.length : o.written?.fields.length) ?? 0;
  const rank = (t: string) => {
    const head = `CASE WHEN ${t}.name_lower = ${p.add(q)} THEN 0 WHEN ${t}.name_lower LIKE ${p.add(`${escapeLike(q)}%`)} ESCAPE '!' THEN 1 WHEN ${t}.name_lower LIKE ${p.add(sub)} ESCAPE '!' THEN 2`;
    if (!hasWritten(t)) return `${head} ELSE 3 END`;
    const comment = `WHEN lower(${t}.comment) LIKE ${p.add(sub)} ESCAPE '!' THEN 3`;
    const described = writtenIn(t, 'description');
    return `${head} ${comment}${described ? ` WHEN ${described} THEN 4` : ''} ELSE 5 END`;
  };
  // Placeholders are handed out in the order they appear in the text (SQLite and MySQL bind by position).
  const matches = (t: string, fts: string) => {
    const candidates = useFts
      ? `${t}.rowid IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ${p.add(ftsPhrase(q))}) AND `
      : '';
    const collected = `${candidates}(${t}.name_lower LIKE ${p.add(sub)} ESCAPE '!' OR lower(${t}.comment) LIKE ${p.add(sub)} ESCAPE '!')`;
    if (!hasWritten(t)) return collected;
    const extra = [writtenIn(t, 'description'), writtenIn(t, 'term')].filter((x): x is string => x !== null);
    return `((${collected}) OR ${extra.join(' OR ')})`;
  };
  const source = () =>
    (o.dataSourceId ? ` AND a.data_source_id = ${p.add(o.dataSourceId)}` : '') +
    (o.onlyAssets ? ` AND ${assetKeyIn(p, o.onlyAssets)}` : '');

  const parts: string[] = [];
  if (o.type !== 'field') {
    parts.push(
      `SELECT 'asset' AS item_type, a.id AS item_id, a.id AS asset_id, NULL AS field_id, a.data_source_id AS data_source_id, a.namespace AS namespace,
              a.name AS asset_name, a.kind AS asset_kind, NULL AS field_name, NULL AS field_path, NULL AS data_type,
              a.name AS item_name, a.name_lower AS sort_name, a.comment AS item_comment, ${rank('a')} AS match_rank
         FROM catalog_assets a
        WHERE a.removed_at IS NULL AND ${matches('a', 'catalog_assets_fts')}${source()}`,
    );
  }
  if (o.type !== 'asset') {
    parts.push(
      `SELECT 'field' AS item_type, f.id AS item_id, a.id AS asset_id, f.id AS field_id, a.data_source_id AS data_source_id, a.namespace AS namespace,
              a.name AS asset_name, a.kind AS asset_kind, f.name AS field_name, f.path AS field_path, f.data_type AS data_type,
              f.name AS item_name, f.name_lower AS sort_name, f.comment AS item_comment, ${rank('f')} AS match_rank
         FROM catalog_fields f JOIN catalog_assets a ON a.id = f.asset_id
        WHERE a.removed_at IS NULL AND ${matches('f', 'catalog_fields_fts')}${source()}`,
    );
  }
  return parts.join(' UNION ALL ');
}

/**
 * The search over asset and field names and comments, ranked exact name (0), name prefix (1),
 * name substring (2), comment only (3); then by name, assets before fields, id. One statement
 * returns the page and, through a window count, the total.
 *
 * The filter is written so each store's index serves it: `name_lower LIKE` and
 * `lower(comment) LIKE` match PostgreSQL's trigram expression indexes; on SQLite the FTS5
 * trigram tables pick the candidate rows first (the LIKE re-check keeps results exact).
 */
export function buildSearchSql(dialect: SqlDialect, o: SearchSqlOptions): { sql: string; params: unknown[] } {
  const p = new Params(dialect);
  const union = matchesSql(p, dialect, o);
  const byName = dialect.bytewise('m.sort_name');
  const sql =
    `SELECT m.*, COUNT(*) OVER () AS total_count FROM (${union}) m ` +
    `ORDER BY m.match_rank, ${byName}, ${dialect.bytewise('m.item_name')}, m.item_type, m.item_id LIMIT ${p.add(o.limit)} OFFSET ${p.add(o.offset)}`;
  return { sql, params: p.values };
}

/** Counts the matches only (for a page past the end, where the window count has no row to ride on). */
export function buildSearchCountSql(dialect: SqlDialect, o: SearchFilter): { sql: string; params: unknown[] } {
  const p = new Params(dialect);
  const union = matchesSql(p, dialect, o);
  return { sql: `SELECT COUNT(*) AS n FROM (${union}) m`, params: p.values };
}
