import { AssetProfile, ProfileOptions, ProfileTarget } from '../core/types';
import {
  aggregateSelectList,
  attachTopValues,
  planProfile,
  PlannedColumn,
  ProfileDialect,
  readProfile,
} from '../sql-shared/profile';
import { OracleExecutor } from './executor';

/** `"NAME"`: dictionary names are used exactly as stored (Oracle names cannot hold a double quote). */
export function quoteOracle(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** LOBs, LONG, XML and object types cannot be compared, grouped or counted distinctly. */
const INCOMPARABLE = /^(N?CLOB|BLOB|BFILE|LONG|XMLTYPE|ANYDATA|JSON|SYS\.)|\./i;
const TEMPORAL_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS'`;

export const oracleProfileDialect: ProfileDialect = {
  quoteIdent: quoteOracle,
  comparable: (type) => !INCOMPARABLE.test(type),
  metric(metric, col, column) {
    switch (metric) {
      case 'nonnull':
        return `COUNT(${col})`;
      case 'distinct':
        return `COUNT(DISTINCT ${col})`;
      case 'min':
      case 'max': {
        const fn = metric.toUpperCase();
        // Dates as text in SQL, so the client's time zone cannot shift them.
        if (column.family === 'date' || column.family === 'timestamp') {
          const format = /^TIMESTAMP/i.test(column.dataType) ? `'YYYY-MM-DD"T"HH24:MI:SS.FF6'` : TEMPORAL_FORMAT;
          return `TO_CHAR(${fn}(${col}), ${format})`;
        }
        return `${fn}(${col})`;
      }
      case 'mean':
        return `AVG(${col})`;
      case 'stddev':
        return `STDDEV_SAMP(${col})`;
      case 'min_length':
        return column.family === 'string' ? `MIN(LENGTH(${col}))` : null;
      case 'max_length':
        return column.family === 'string' ? `MAX(LENGTH(${col}))` : null;
      case 'avg_length':
        return column.family === 'string' ? `AVG(LENGTH(${col}))` : null;
    }
  },
};

function tableName(target: ProfileTarget): string {
  return `${quoteOracle(target.namespace)}.${quoteOracle(target.name)}`;
}

/** The first `:sample_rows` rows (FETCH FIRST, 12.1+) of the needed columns. */
function sampleSource(target: ProfileTarget, columns: readonly PlannedColumn[]): string {
  const list = columns.map((c) => quoteOracle(c.name)).join(', ') || '1 AS ONE';
  return `SELECT ${list} FROM ${tableName(target)} FETCH FIRST :sample_rows ROWS ONLY`;
}

/** One statement: the full row count as a scalar subquery and every metric over the sample. */
export function profileQuery(
  target: ProfileTarget,
  columns: readonly PlannedColumn[],
  sampleRows: number,
): { sql: string; binds: Record<string, number> } {
  const metrics = aggregateSelectList(columns, oracleProfileDialect);
  const sql =
    `SELECT (SELECT COUNT(*) FROM ${tableName(target)}) AS TOTAL_ROWS, COUNT(*) AS SAMPLE_ROWS${metrics.length ? `, ${metrics.join(', ')}` : ''} ` +
    `FROM (${sampleSource(target, columns)}) s`;
  return { sql, binds: { sample_rows: Math.max(1, Math.floor(sampleRows)) } };
}

/** Top values of the chosen columns from the same sample, ranked per column with ROW_NUMBER(). */
export function topValuesQuery(
  target: ProfileTarget,
  columns: readonly PlannedColumn[],
  sampleRows: number,
  topN: number,
): { sql: string; binds: Record<string, number> } | null {
  const chosen = columns.filter((c) => c.topValues);
  if (chosen.length === 0) return null;
  const branches = chosen.map(
    (c) =>
      `SELECT ${c.index} AS COL_INDEX, TO_CHAR(${quoteOracle(c.name)}) AS V, COUNT(*) AS N FROM s GROUP BY ${quoteOracle(c.name)}`,
  );
  const sql =
    `WITH s AS (${sampleSource(target, columns)}) ` +
    `SELECT COL_INDEX, V, N FROM (SELECT COL_INDEX, V, N, ROW_NUMBER() OVER (PARTITION BY COL_INDEX ORDER BY N DESC, V) AS RN FROM (${branches.join(' UNION ALL ')})) ` +
    'WHERE RN <= :top_n ORDER BY COL_INDEX, RN';
  return { sql, binds: { sample_rows: Math.max(1, Math.floor(sampleRows)), top_n: Math.max(1, Math.floor(topN)) } };
}

export async function profileOracle(
  exec: OracleExecutor,
  target: ProfileTarget,
  options: ProfileOptions,
): Promise<AssetProfile> {
  const columns = planProfile(target, options, oracleProfileDialect);
  const q = profileQuery(target, columns, options.sampleRows);
  const [row] = await exec.query(q.sql, q.binds, options.signal);
  const profile = readProfile(row ?? {}, columns);
  const top = options.topValues ? topValuesQuery(target, columns, options.sampleRows, options.topN) : null;
  if (top) attachTopValues(profile, columns, await exec.query(top.sql, top.binds, options.signal), options.topN);
  return profile;
}
