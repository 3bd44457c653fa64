import { AssetProfile, ProfileOptions, ProfileTarget } from '../core/types';
import {
  aggregateSelectList,
  attachTopValues,
  planProfile,
  PlannedColumn,
  ProfileDialect,
  readProfile,
} from '../sql-shared/profile';
import { numeric } from '../sql-shared/row-values';
import { hiveIdent } from './collect';
import { HiveExecutor } from './executor';

/** Complex and binary values cannot be compared, grouped or counted distinctly. */
const INCOMPARABLE = /^(array|map|struct|uniontype|binary)\b/i;

export const hiveProfileDialect: ProfileDialect = {
  quoteIdent: hiveIdent,
  comparable: (type) => !INCOMPARABLE.test(type.trim()),
  metric(metric, col, column) {
    switch (metric) {
      case 'nonnull':
        return `COUNT(${col})`;
      case 'distinct':
        return `COUNT(DISTINCT ${col})`;
      case 'min':
      case 'max': {
        const fn = metric.toUpperCase();
        return ['date', 'timestamp'].includes(column.family) ? `CAST(${fn}(${col}) AS STRING)` : `${fn}(${col})`;
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

function table(target: ProfileTarget): string {
  return `${hiveIdent(target.namespace)}.${hiveIdent(target.name)}`;
}

/** The first `limit` rows of the needed columns (Hive takes LIMIT as a literal, written from an integer). */
function sampleSource(target: ProfileTarget, columns: readonly PlannedColumn[], limit: number): string {
  const list = columns.map((c) => hiveIdent(c.name)).join(', ') || '1 AS one';
  return `SELECT ${list} FROM ${table(target)} LIMIT ${limit}`;
}

export function profileStatement(target: ProfileTarget, columns: readonly PlannedColumn[], sampleRows: number): string {
  const limit = Math.max(1, Math.floor(sampleRows));
  const metrics = aggregateSelectList(columns, hiveProfileDialect);
  return `SELECT COUNT(*) AS sample_rows${metrics.length ? `, ${metrics.join(', ')}` : ''} FROM (${sampleSource(target, columns, limit)}) s`;
}

export function topValuesStatement(
  target: ProfileTarget,
  columns: readonly PlannedColumn[],
  sampleRows: number,
  topN: number,
): string | null {
  const chosen = columns.filter((c) => c.topValues);
  if (chosen.length === 0) return null;
  const limit = Math.max(1, Math.floor(sampleRows));
  const branches = chosen.map(
    (c) =>
      `SELECT ${c.index} AS col_index, CAST(${hiveIdent(c.name)} AS STRING) AS v, COUNT(*) AS n FROM s GROUP BY ${hiveIdent(c.name)}`,
  );
  return (
    `WITH s AS (${sampleSource(target, columns, limit)}) ` +
    `SELECT col_index, v, n FROM (SELECT col_index, v, n, ROW_NUMBER() OVER (PARTITION BY col_index ORDER BY n DESC, v) AS rn FROM (${branches.join(' UNION ALL ')}) u) r ` +
    `WHERE rn <= ${Math.max(1, Math.floor(topN))}`
  );
}

/**
 * One aggregate statement over the first `sampleRows` rows. Hive has no scalar subqueries in the
 * select list, so the table's row count is a second `COUNT(*)` — run only when the sample is full
 * (answered from statistics where hive.compute.query.using.stats is on).
 */
export async function profileHive(
  exec: HiveExecutor,
  target: ProfileTarget,
  options: ProfileOptions,
): Promise<AssetProfile> {
  const columns = planProfile(target, options, hiveProfileDialect);
  const [row = {}] = await exec.statement(profileStatement(target, columns, options.sampleRows), options.signal);
  const sampled = numeric(row, 'sample_rows') ?? 0;
  let total = sampled;
  if (sampled >= Math.max(1, Math.floor(options.sampleRows))) {
    const [count = {}] = await exec.statement(`SELECT COUNT(*) AS total_rows FROM ${table(target)}`, options.signal);
    total = numeric(count, 'total_rows') ?? sampled;
  }
  const profile = readProfile({ ...row, total_rows: total }, columns);
  const top = options.topValues ? topValuesStatement(target, columns, options.sampleRows, options.topN) : null;
  if (top) attachTopValues(profile, columns, await exec.statement(top, options.signal), options.topN);
  return profile;
}
