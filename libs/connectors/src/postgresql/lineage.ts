import { Parser } from 'node-sql-parser';
import { assetKey } from '../core/scope';
import { AssetLineage, CatalogAsset, LineageFieldMapping, LineageKind, LineageUpstream } from '../core/types';
import { PgSession } from './session';

/**
 * Lineage of views and materialized views from the rewrite dependencies: pg_depend lists, for each
 * view's `_RETURN` rule, every relation and column it reads, so table-level edges are exact. Which
 * output column reads which input column is taken from the view's target list (pg_get_viewdef,
 * where `SELECT *` is already expanded), disambiguated by that same dependency list.
 * Parameters are the scope's ($1–$5, see catalog-sql.ts).
 */
export const VIEW_LINEAGE_SQL = `
SELECT n.nspname AS namespace, v.relname AS name, v.relkind AS relkind,
       pg_get_viewdef(v.oid) AS definition,
       (SELECT coalesce(json_agg(a.attname ORDER BY a.attnum), '[]'::json) FROM pg_attribute a
         WHERE a.attrelid = v.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
       coalesce(json_agg(json_build_object('namespace', sn.nspname, 'name', s.relname, 'column', sa.attname))
         FILTER (WHERE s.oid IS NOT NULL), '[]'::json) AS deps
FROM pg_class v
JOIN pg_namespace n ON n.oid = v.relnamespace
JOIN pg_rewrite r ON r.ev_class = v.oid AND r.rulename = '_RETURN'
LEFT JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
     AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v.oid
LEFT JOIN pg_class s ON s.oid = d.refobjid
LEFT JOIN pg_namespace sn ON sn.oid = s.relnamespace
LEFT JOIN pg_attribute sa ON sa.attrelid = d.refobjid AND sa.attnum = d.refobjsubid AND d.refobjsubid > 0
WHERE v.relkind IN ('v', 'm')
  AND (cardinality($1::text[]) = 0 OR n.nspname LIKE ANY ($1::text[]))
  AND NOT (n.nspname LIKE ANY ($2::text[]))
  AND NOT (n.nspname = ANY ($3::text[]))
  AND (cardinality($4::text[]) = 0 OR v.relname LIKE ANY ($4::text[]))
  AND NOT (v.relname LIKE ANY ($5::text[]))
GROUP BY v.oid, n.nspname, v.relname, v.relkind`;

export interface ViewLineageRow {
  namespace: string;
  name: string;
  relkind: string;
  definition: string | null;
  columns: string[];
  deps: Array<{ namespace: string; name: string; column: string | null }>;
}

/** A relation a view reads, with the columns pg_depend says it reads from it. */
export interface ViewDependency {
  namespace: string;
  name: string;
  columns: Set<string>;
}

export function dependenciesOf(row: ViewLineageRow): ViewDependency[] {
  const byKey = new Map<string, ViewDependency>();
  for (const d of row.deps) {
    const key = assetKey(d.namespace, d.name);
    const dep = byKey.get(key) ?? { namespace: d.namespace, name: d.name, columns: new Set<string>() };
    if (d.column) dep.columns.add(d.column);
    byKey.set(key, dep);
  }
  return [...byKey.values()];
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null;

/** An identifier as node-sql-parser writes it: a plain string or `{ expr: { value } }` / `{ value }`. */
function identifier(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (!isNode(v)) return null;
  if (typeof v.value === 'string') return v.value;
  return isNode(v.expr) ? identifier(v.expr) : null;
}

/** Every column reference inside an expression (including nested function calls and CASE branches). */
function columnRefs(expr: unknown, out: Array<{ table: string | null; column: string }> = []) {
  if (Array.isArray(expr)) {
    for (const e of expr) columnRefs(e, out);
    return out;
  }
  if (!isNode(expr)) return out;
  if (expr.type === 'column_ref') {
    const column = identifier(expr.column);
    if (column && column !== '*') out.push({ table: identifier(expr.table), column });
    return out;
  }
  for (const v of Object.values(expr)) columnRefs(v, out);
  return out;
}

/** Table entries of a FROM clause (joins flattened, parenthesised joins opened); subqueries marked. */
function fromEntries(
  from: unknown,
  out: Array<{ db: string | null; table: string | null; alias: string | null }> = [],
) {
  if (Array.isArray(from)) {
    for (const f of from) fromEntries(f, out);
    return out;
  }
  if (!isNode(from)) return out;
  if (isNode(from.expr) && from.expr.type === 'tables') {
    fromEntries(from.expr.expr, out);
    if (from.as) out.push({ db: null, table: null, alias: identifier(from.as) });
    return out;
  }
  // MariaDB's parenthesised join list: `(a x join b y on …)`.
  if (Array.isArray(from.expr)) {
    fromEntries(from.expr, out);
    if (Array.isArray(from.joins)) fromEntries(from.joins, out);
    return out;
  }
  if (typeof from.table === 'string') {
    out.push({ db: identifier(from.db), table: from.table, alias: identifier(from.as) });
    return out;
  }
  // A subquery or function in FROM: its columns cannot be traced to a relation here.
  out.push({ db: null, table: null, alias: identifier(from.as) });
  return out;
}

interface Resolution {
  /** Mappings per dependency key. */
  mappings: Map<string, LineageFieldMapping[]>;
  unresolvedColumns: string[];
}

const parser = new Parser();

/**
 * Maps each output column of a view to the dependency columns it reads. Set operations (UNION …)
 * add every branch's column at the same position. Throws when the definition cannot be parsed.
 */
export function resolveViewColumns(
  definition: string,
  columns: string[],
  deps: ViewDependency[],
  database: 'postgresql' | 'mysql' | 'mariadb' = 'postgresql',
): Resolution {
  const parsed = parser.astify(definition.trim().replace(/;\s*$/, ''), { database });
  const first = (Array.isArray(parsed) ? parsed[0] : parsed) as unknown;
  if (!isNode(first) || first.type !== 'select') throw new Error('the definition is not a SELECT');
  const reads = new Map<string, Map<string, Set<string>>>(); // column → dep key → upstream columns
  const computed = new Set<string>();
  const unresolved = new Set<string>();
  for (let select: unknown = first; isNode(select); select = select._next) {
    if (select.with) throw new Error('WITH queries are not traced column by column');
    const targets = Array.isArray(select.columns) ? (select.columns as Node[]) : [];
    if (targets.length !== columns.length)
      throw new Error(`the target list has ${targets.length} entries for ${columns.length} columns`);
    const entries = fromEntries(select.from);
    const depFor = (qualifier: string | null, column: string): ViewDependency | null => {
      if (qualifier) {
        const entry =
          entries.find((e) => (e.alias ?? e.table) === qualifier) ?? entries.find((e) => e.table === qualifier);
        if (!entry || !entry.table) return null;
        const named = deps.filter((d) => d.name === entry.table && (!entry.db || d.namespace === entry.db));
        return named.length === 1 ? named[0] : null;
      }
      const tables = entries.filter((e) => e.table);
      const candidates = deps.filter(
        (d) => tables.some((e) => e.table === d.name && (!e.db || e.db === d.namespace)) && d.columns.has(column),
      );
      return candidates.length === 1 && tables.length === entries.length ? candidates[0] : null;
    };
    targets.forEach((target, i) => {
      const name = columns[i];
      const refs = columnRefs(target.expr);
      if (!isNode(target.expr) || target.expr.type !== 'column_ref') computed.add(name);
      for (const ref of refs) {
        const dep = depFor(ref.table, ref.column);
        if (!dep) {
          unresolved.add(name);
          continue;
        }
        const byDep = reads.get(name) ?? new Map<string, Set<string>>();
        const key = assetKey(dep.namespace, dep.name);
        byDep.set(key, (byDep.get(key) ?? new Set<string>()).add(ref.column));
        reads.set(name, byDep);
      }
    });
  }
  const mappings = new Map<string, LineageFieldMapping[]>();
  for (const name of columns) {
    for (const [key, from] of reads.get(name) ?? []) {
      const list = mappings.get(key) ?? [];
      list.push({ field: name, from: [...from], transformation: computed.has(name) ? 'expression' : 'identity' });
      mappings.set(key, list);
    }
  }
  return { mappings, unresolvedColumns: [...unresolved] };
}

/** The lineage of one view row: table-level edges from pg_depend, field mappings where the target list resolves. */
export function viewLineage(row: ViewLineageRow): AssetLineage {
  const kind: LineageKind = row.relkind === 'm' ? 'materialized_view' : 'view';
  const deps = dependenciesOf(row);
  const upstream: LineageUpstream[] = deps.map((d) => ({ namespace: d.namespace, name: d.name, kind }));
  if (deps.length === 0) return { upstream };
  if (!row.definition) return { upstream, unresolved: 'the view definition is not readable' };
  try {
    const { mappings, unresolvedColumns } = resolveViewColumns(row.definition, row.columns, deps);
    for (const u of upstream) u.fields = mappings.get(assetKey(u.namespace, u.name)) ?? [];
    return unresolvedColumns.length > 0
      ? { upstream, unresolved: `columns not traced to a relation: ${unresolvedColumns.join(', ')}` }
      : { upstream };
  } catch (err) {
    return { upstream, unresolved: `column lineage unavailable: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Reads the lineage of every view and materialized view in scope, keyed by `assetKey()`. */
export async function readViewLineage(
  session: PgSession,
  scope: string[][],
  signal: AbortSignal,
): Promise<Map<string, AssetLineage>> {
  const rows = await session.query<ViewLineageRow>(VIEW_LINEAGE_SQL, scope, signal);
  return new Map(rows.map((r) => [assetKey(r.namespace, r.name), viewLineage(r)]));
}

/** The asset with its lineage attached, when it is a view the lineage query saw. */
export function withLineage(asset: CatalogAsset, lineage: ReadonlyMap<string, AssetLineage>): CatalogAsset {
  const found = lineage.get(assetKey(asset.namespace, asset.name));
  return found ? { ...asset, lineage: found } : asset;
}
