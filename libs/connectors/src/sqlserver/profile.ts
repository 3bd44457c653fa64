import { AssetProfile, ProfileOptions, ProfileTarget } from '../core/types';
import {
  aggregateSelectList,
  attachTopValues,
  planProfile,
  PlannedColumn,
  ProfileDialect,
  readProfile,
} from '../sql-shared/profile';
import { SqlServerExecutor } from './executor';

/** `[name]` with `]` doubled, as QUOTENAME does. */
export function quoteSqlServer(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/** Types SQL Server cannot compare, group or count distinctly. */
const INCOMPARABLE = /^(text|ntext|image|xml|geography|geometry)$/i;
const baseType = (dataType: string) => dataType.replace(/\(.*$/, '').trim();

export const sqlServerProfileDialect: ProfileDialect = {
  quoteIdent: quoteSqlServer,
  comparable: (type) => !INCOMPARABLE.test(baseType(type)),
  metric(metric, col, column) {
    switch (metric) {
      case 'nonnull':
        return `COUNT_BIG(${col})`;
      case 'distinct':
        return `COUNT_BIG(DISTINCT ${col})`;
      case 'min':
      case 'max': {
        const fn = metric.toUpperCase();
        // ISO 8601 text for dates and times, so the driver's time zone handling cannot shift them.
        if (['date', 'time', 'timestamp'].includes(column.family)) return `CONVERT(varchar(40), ${fn}(${col}), 126)`;
        return `${fn}(${col})`;
      }
      // Through float: AVG of an integer column is integer division in T-SQL.
      case 'mean':
        return `AVG(CAST(${col} AS float))`;
      case 'stddev':
        return `STDEV(CAST(${col} AS float))`;
      case 'min_length':
      case 'max_length':
      case 'avg_length': {
        if (column.family !== 'string' || INCOMPARABLE.test(baseType(column.dataType))) return null;
        const fn = metric === 'min_length' ? 'MIN' : metric === 'max_length' ? 'MAX' : 'AVG';
        return metric === 'avg_length' ? `AVG(CAST(LEN(${col}) AS float))` : `${fn}(LEN(${col}))`;
      }
    }
  },
};

/** The first `@sample_rows` rows (TOP) of the needed columns, in the database the statement runs in. */
function sampleSource(schema: string, table: string, columns: readonly PlannedColumn[]): string {
  const list = columns.map((c) => quoteSqlServer(c.name)).join(', ') || '1 AS one';
  return `SELECT TOP (@sample_rows) ${list} FROM ${quoteSqlServer(schema)}.${quoteSqlServer(table)}`;
}

export function profileQuery(
  schema: string,
  table: string,
  columns: readonly PlannedColumn[],
  sampleRows: number,
): { sql: string; params: Record<string, number> } {
  const metrics = aggregateSelectList(columns, sqlServerProfileDialect);
  const sql =
    `SELECT (SELECT COUNT_BIG(*) FROM ${quoteSqlServer(schema)}.${quoteSqlServer(table)}) AS total_rows, COUNT_BIG(*) AS sample_rows${metrics.length ? `, ${metrics.join(', ')}` : ''} ` +
    `FROM (${sampleSource(schema, table, columns)}) AS s`;
  return { sql, params: { sample_rows: Math.max(1, Math.floor(sampleRows)) } };
}

export function topValuesQuery(
  schema: string,
  table: string,
  columns: readonly PlannedColumn[],
  sampleRows: number,
  topN: number,
): { sql: string; params: Record<string, number> } | null {
  const chosen = columns.filter((c) => c.topValues);
  if (chosen.length === 0) return null;
  const branches = chosen.map(
    (c) =>
      `SELECT ${c.index} AS col_index, CONVERT(nvarchar(4000), ${quoteSqlServer(c.name)}) AS v, COUNT_BIG(*) AS n FROM s GROUP BY ${quoteSqlServer(c.name)}`,
  );
  const sql =
    `WITH s AS (${sampleSource(schema, table, columns)}) ` +
    `SELECT col_index, v, n FROM (SELECT col_index, v, n, ROW_NUMBER() OVER (PARTITION BY col_index ORDER BY n DESC, v) AS rn FROM (${branches.join(' UNION ALL ')}) AS u) AS r ` +
    'WHERE rn <= @top_n ORDER BY col_index, rn';
  return { sql, params: { sample_rows: Math.max(1, Math.floor(sampleRows)), top_n: Math.max(1, Math.floor(topN)) } };
}

/**
 * Splits a `<database>.<schema>` namespace. Database names may hold dots; when the namespace has
 * more than one, the longest known database name that prefixes it wins.
 */
export function splitNamespace(
  namespace: string,
  knownDatabases: readonly string[],
): { database: string; schema: string } {
  const candidates = knownDatabases.filter((d) => namespace.startsWith(`${d}.`)).sort((a, b) => b.length - a.length);
  const database = candidates[0] ?? namespace.slice(0, Math.max(0, namespace.indexOf('.')));
  return { database, schema: namespace.slice(database.length + 1) };
}

export async function profileSqlServer(
  exec: SqlServerExecutor,
  target: ProfileTarget,
  options: ProfileOptions,
  knownDatabases: () => Promise<string[]>,
): Promise<AssetProfile> {
  const dots = target.namespace.split('.').length - 1;
  const { database, schema } = splitNamespace(target.namespace, dots > 1 ? await knownDatabases() : []);
  const columns = planProfile(target, options, sqlServerProfileDialect);
  const q = profileQuery(schema, target.name, columns, options.sampleRows);
  const [row] = await exec.query(database, q.sql, q.params, options.signal);
  const profile = readProfile(row ?? {}, columns);
  const top = options.topValues ? topValuesQuery(schema, target.name, columns, options.sampleRows, options.topN) : null;
  if (top)
    attachTopValues(profile, columns, await exec.query(database, top.sql, top.params, options.signal), options.topN);
  return profile;
}
