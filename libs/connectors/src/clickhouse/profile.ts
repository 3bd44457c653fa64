import { typeFamily } from '../core/type-family';
import { AssetProfile, ProfileOptions, ProfileTarget } from '../core/types';
import {
  aggregateSelectList,
  attachTopValues,
  planProfile,
  PlannedColumn,
  ProfileDialect,
  readProfile,
} from '../sql-shared/profile';
import { ClickHouseExecutor } from './executor';
import { chIdent } from './sql-literal';

/** `LowCardinality(Nullable(String))` → `String`. */
export function unwrapType(type: string): string {
  let t = type.trim();
  for (;;) {
    const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(t);
    if (!m) return t;
    t = m[1].trim();
  }
}

const INCOMPARABLE = /^(AggregateFunction|Object|JSON|Nothing|Dynamic|Variant)\b/;

export const clickhouseProfileDialect: ProfileDialect = {
  quoteIdent: chIdent,
  family: (type) => typeFamily(unwrapType(type)),
  comparable: (type) => !INCOMPARABLE.test(unwrapType(type)),
  metric(metric, col, column) {
    switch (metric) {
      case 'nonnull':
        return `count(${col})`;
      case 'distinct':
        return `uniqExact(${col})`;
      case 'min':
        return `min(${col})`;
      case 'max':
        return `max(${col})`;
      // Through Float64: Decimal and big integers have no stddevSamp of their own on older servers.
      case 'mean':
        return `avg(toFloat64(${col}))`;
      case 'stddev':
        return `stddevSamp(toFloat64(${col}))`;
      case 'min_length':
      case 'max_length':
      case 'avg_length': {
        const fn = metric === 'min_length' ? 'min' : metric === 'max_length' ? 'max' : 'avg';
        return column.family === 'string' ? `${fn}(lengthUTF8(toString(${col})))` : null;
      }
    }
  },
};

/**
 * ClickHouse resolves an alias before a column of the same name anywhere in a SELECT, so the sample
 * subquery renames the columns to `<prefix><index>`, with a prefix no column name starts with; the
 * outer query's aliases (`total_rows`, `c0_nonnull`, `v`, `n`) then cannot capture a column.
 */
function samplePrefix(target: ProfileTarget): string {
  let prefix = '_p';
  while (target.fields.some((f) => f.name.startsWith(prefix))) prefix += '_';
  return prefix;
}

function sampleSubquery(
  target: ProfileTarget,
  columns: readonly PlannedColumn[],
  prefix: string,
  sampleRows: number,
): string {
  const table = `${chIdent(target.namespace)}.${chIdent(target.name)}`;
  const list = columns.map((c) => `${chIdent(c.name)} AS ${prefix}${c.index}`).join(', ') || '1';
  return `(SELECT ${list} FROM ${table} LIMIT ${Math.max(1, Math.floor(sampleRows))})`;
}

/**
 * The aggregate statement: every metric over a bounded sample (the first `sampleRows` rows, read
 * through a LIMIT subquery since SAMPLE needs a sampling key most tables lack), with the table's
 * full row count as a scalar subquery (answered from part metadata on MergeTree tables).
 */
export function profileSql(target: ProfileTarget, columns: readonly PlannedColumn[], sampleRows: number): string {
  const table = `${chIdent(target.namespace)}.${chIdent(target.name)}`;
  const prefix = samplePrefix(target);
  const metrics = aggregateSelectList(columns, clickhouseProfileDialect, (c) => `${prefix}${c.index}`);
  return (
    `SELECT (SELECT count() FROM ${table}) AS total_rows, count() AS sample_rows${metrics.length ? `, ${metrics.join(', ')}` : ''} ` +
    `FROM ${sampleSubquery(target, columns, prefix, sampleRows)}`
  );
}

/** Top values of the chosen columns from the same sample, `topN` per column via LIMIT … BY. */
export function topValuesSql(
  target: ProfileTarget,
  columns: readonly PlannedColumn[],
  sampleRows: number,
  topN: number,
): string | null {
  const chosen = columns.filter((c) => c.topValues);
  if (chosen.length === 0) return null;
  const prefix = samplePrefix(target);
  const branches = chosen.map(
    (c) =>
      `SELECT toUInt32(${c.index}) AS col_index, toString(${prefix}${c.index}) AS v, count() AS n ` +
      `FROM ${sampleSubquery(target, [c], prefix, sampleRows)} GROUP BY v`,
  );
  return `SELECT col_index, v, n FROM (${branches.join(' UNION ALL ')}) ORDER BY col_index, n DESC, v LIMIT ${Math.max(1, Math.floor(topN))} BY col_index`;
}

export async function profileClickHouse(
  exec: ClickHouseExecutor,
  target: ProfileTarget,
  options: ProfileOptions,
): Promise<AssetProfile> {
  const columns = planProfile(target, options, clickhouseProfileDialect);
  const [row] = await exec.rows(profileSql(target, columns, options.sampleRows), options.signal);
  const profile = readProfile(row ?? {}, columns);
  const topSql = options.topValues ? topValuesSql(target, columns, options.sampleRows, options.topN) : null;
  if (topSql) attachTopValues(profile, columns, await exec.rows(topSql, options.signal), options.topN);
  return profile;
}
