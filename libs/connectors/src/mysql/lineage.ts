import { Parser } from 'node-sql-parser';
import { assetKey } from '../core/scope';
import { AssetLineage, CatalogAsset, CatalogBatch, LineageUpstream } from '../core/types';
import { resolveViewColumns, ViewDependency } from '../postgresql/lineage';
import { ServerDescription } from './flavor';
import { MysqlSession } from './session';

/** Views of one database with their stored definitions and columns in order. */
const VIEWS_SQL = `
SELECT v.TABLE_NAME AS name, v.VIEW_DEFINITION AS definition,
       (SELECT GROUP_CONCAT(c.COLUMN_NAME ORDER BY c.ORDINAL_POSITION SEPARATOR '\\n')
          FROM information_schema.COLUMNS c
         WHERE c.TABLE_SCHEMA = v.TABLE_SCHEMA AND c.TABLE_NAME = v.TABLE_NAME) AS columns
FROM information_schema.VIEWS v
WHERE v.TABLE_SCHEMA = ?`;

/** MySQL 8.0.13+: the relations each view reads, as the server resolved them. */
const VIEW_TABLE_USAGE_SQL = `
SELECT VIEW_NAME AS view_name, TABLE_SCHEMA AS namespace, TABLE_NAME AS name
FROM information_schema.VIEW_TABLE_USAGE
WHERE VIEW_SCHEMA = ?`;

const parser = new Parser();
const str = (v: unknown): string =>
  v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);

function hasViewTableUsage(server: ServerDescription): boolean {
  if (server.flavor !== 'mysql') return false;
  const [major, minor, patch] = server.version.split('.').map(Number);
  return major > 8 || (major === 8 && (minor > 0 || patch >= 13));
}

/** `select::db::table` entries of a definition, as relations (the view's database where unqualified). */
function parsedDependencies(definition: string, schema: string, database: 'mysql' | 'mariadb'): ViewDependency[] {
  const seen = new Map<string, ViewDependency>();
  for (const entry of parser.tableList(definition, { database })) {
    const [, db, table] = entry.split('::');
    const namespace = db && db !== 'null' ? db : schema;
    seen.set(assetKey(namespace, table), { namespace, name: table, columns: new Set() });
  }
  return [...seen.values()];
}

/** The lineage of one view: its relations, and per column the columns it reads where the target list resolves. */
export function mysqlViewLineage(
  schema: string,
  definition: string,
  columns: string[],
  usage: ViewDependency[] | undefined,
  database: 'mysql' | 'mariadb',
): AssetLineage {
  let deps = usage;
  try {
    deps ??= parsedDependencies(definition, schema, database);
  } catch (err) {
    return {
      upstream: [],
      unresolved: `view definition not parsed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const upstream: LineageUpstream[] = deps.map((d) => ({ namespace: d.namespace, name: d.name, kind: 'view' }));
  try {
    const { mappings, unresolvedColumns } = resolveViewColumns(definition, columns, deps, database);
    for (const u of upstream) u.fields = mappings.get(assetKey(u.namespace, u.name)) ?? [];
    return unresolvedColumns.length > 0
      ? { upstream, unresolved: `columns not traced to a relation: ${unresolvedColumns.join(', ')}` }
      : { upstream };
  } catch (err) {
    return { upstream, unresolved: `column lineage unavailable: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The lineage of every view of one database, keyed by `assetKey()`. */
export async function readMysqlViewLineage(
  session: MysqlSession,
  server: ServerDescription,
  schema: string,
  signal: AbortSignal,
): Promise<Map<string, AssetLineage>> {
  if (server.flavor === 'doris') return new Map();
  const views = await session.query(VIEWS_SQL, [schema], signal);
  if (views.length === 0) return new Map();
  const usage = new Map<string, ViewDependency[]>();
  if (hasViewTableUsage(server))
    for (const r of await session.query(VIEW_TABLE_USAGE_SQL, [schema], signal)) {
      const list = usage.get(str(r.view_name)) ?? [];
      list.push({ namespace: str(r.namespace), name: str(r.name), columns: new Set() });
      usage.set(str(r.view_name), list);
    }
  const database = server.flavor === 'mariadb' ? 'mariadb' : 'mysql';
  const out = new Map<string, AssetLineage>();
  for (const v of views) {
    const name = str(v.name);
    const columns = str(v.columns).split('\n').filter(Boolean);
    out.set(assetKey(schema, name), mysqlViewLineage(schema, str(v.definition), columns, usage.get(name), database));
  }
  return out;
}

/** Batches with each view's lineage attached. */
export async function* withViewLineage(
  batches: AsyncIterable<CatalogBatch>,
  lineage: ReadonlyMap<string, AssetLineage>,
): AsyncGenerator<CatalogBatch> {
  for await (const batch of batches) {
    if (lineage.size === 0) {
      yield batch;
      continue;
    }
    const assets = batch.assets.map((a): CatalogAsset => {
      const found = lineage.get(assetKey(a.namespace, a.name));
      return found ? { ...a, lineage: found } : a;
    });
    yield { ...batch, assets };
  }
}
