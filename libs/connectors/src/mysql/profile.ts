import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { mayShowValues } from '../core/profile-guard';
import { typeFamily, TypeFamily } from '../core/type-family';
import { AssetProfile, ColumnProfile, ProfileOptions, ProfileTarget } from '../core/types';
import { MysqlSession, Row } from './session';
import { SQL_PROFILE_METRICS } from '../sql-shared/profile';

/** `` `name` `` with embedded backticks doubled: identifiers come from the catalog, never from SQL text. */
export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export const PROFILE_METRICS = SQL_PROFILE_METRICS;

const NUMERIC: TypeFamily[] = ['integer', 'decimal', 'float'];
const ORDERED: TypeFamily[] = ['date', 'time', 'timestamp'];
/** Keeps one statement well under servers' limits on select-list size. */
const COLUMNS_PER_STATEMENT = 200;

interface ColumnPlan {
  name: string;
  alias: string;
  family: TypeFamily;
  showValues: boolean;
}

function aggregates(c: ColumnPlan): string[] {
  const q = quoteIdent(c.name);
  const out = [`COUNT(${q}) AS ${c.alias}_nn`, `COUNT(DISTINCT ${q}) AS ${c.alias}_d`];
  if (NUMERIC.includes(c.family)) {
    if (c.showValues) out.push(`MIN(${q}) AS ${c.alias}_min`, `MAX(${q}) AS ${c.alias}_max`);
    out.push(`AVG(${q}) AS ${c.alias}_mean`, `STDDEV_SAMP(${q}) AS ${c.alias}_sd`);
  } else if (c.family === 'string') {
    if (c.showValues) out.push(`MIN(${q}) AS ${c.alias}_min`, `MAX(${q}) AS ${c.alias}_max`);
    out.push(
      `MIN(CHAR_LENGTH(${q})) AS ${c.alias}_minlen`,
      `MAX(CHAR_LENGTH(${q})) AS ${c.alias}_maxlen`,
      `AVG(CHAR_LENGTH(${q})) AS ${c.alias}_avglen`,
    );
  } else if (ORDERED.includes(c.family) && c.showValues) {
    out.push(`MIN(${q}) AS ${c.alias}_min`, `MAX(${q}) AS ${c.alias}_max`);
  }
  return out;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toColumnProfile(c: ColumnPlan, row: Row, rows: number): ColumnProfile {
  const nonNull = Number(row[`${c.alias}_nn`] ?? 0);
  const distinct = Number(row[`${c.alias}_d`] ?? 0);
  const profile: ColumnProfile = {
    name: c.name,
    null_count: rows - nonNull,
    null_ratio: rows === 0 ? 0 : (rows - nonNull) / rows,
    distinct_count: distinct,
    distinct_ratio: nonNull === 0 ? 0 : distinct / nonNull,
  };
  if (`${c.alias}_min` in row) {
    const asValue = (v: unknown) =>
      v === null || v === undefined ? null : NUMERIC.includes(c.family) ? Number(v) : String(v);
    profile.min = asValue(row[`${c.alias}_min`]);
    profile.max = asValue(row[`${c.alias}_max`]);
  }
  if (`${c.alias}_mean` in row) {
    profile.mean = num(row[`${c.alias}_mean`]);
    profile.stddev = num(row[`${c.alias}_sd`]);
  }
  if (`${c.alias}_minlen` in row) {
    profile.min_length = num(row[`${c.alias}_minlen`]);
    profile.max_length = num(row[`${c.alias}_maxlen`]);
    profile.avg_length = num(row[`${c.alias}_avglen`]);
  }
  return profile;
}

/**
 * Profiles one table with one aggregate statement over a LIMIT subquery of about `sampleRows` rows
 * (MySQL-protocol servers have no cheap block sampling), plus one statement for top values
 * when asked. The table's estimated row count decides whether the result is a sample; columns whose
 * names look secret get counts and lengths only.
 */
export async function profileMysqlFamily(
  session: MysqlSession,
  target: ProfileTarget,
  options: ProfileOptions,
): Promise<AssetProfile> {
  const { signal } = options;
  const [info] = await session.query(
    'SELECT TABLE_ROWS AS estimate FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [target.namespace, target.name],
    signal,
  );
  if (!info) {
    throw new ConnectorError(
      ConnectorErrorCode.Protocol,
      `${target.namespace}.${target.name} does not exist`,
      'It may have been dropped or renamed since the last collection.',
    );
  }
  const estimate = num(info.estimate) ?? -1;
  const sampleRows = Math.max(1, Math.floor(options.sampleRows));
  const table = `${quoteIdent(target.namespace)}.${quoteIdent(target.name)}`;
  // A table estimated larger than the sample reads exactly sampleRows; otherwise one row more tells
  // a stale estimate from a table that really is small.
  const knownLarge = estimate > sampleRows;
  const limit = knownLarge ? sampleRows : sampleRows + 1;
  const source = `(SELECT * FROM ${table} LIMIT ?) s`;

  const plans: ColumnPlan[] = target.fields.map((f, i) => ({
    name: f.name,
    alias: `c${i}`,
    family: typeFamily(f.dataType),
    showValues: mayShowValues(f.name),
  }));
  const row: Row = {};
  for (let i = 0; i < Math.max(1, plans.length); i += COLUMNS_PER_STATEMENT) {
    const part = plans.slice(i, i + COLUMNS_PER_STATEMENT);
    const [result] = await session.query(
      `SELECT ${['COUNT(*) AS n', ...part.flatMap(aggregates)].join(', ')} FROM ${source}`,
      [limit],
      signal,
    );
    Object.assign(row, result);
  }
  const counted = Number(row.n ?? 0);
  const sampled = knownLarge || counted > sampleRows;
  const rowCount = sampled ? Math.max(Math.round(estimate), counted) : counted;
  const columns = plans.map((c) => toColumnProfile(c, row, counted));

  if (options.topValues && options.topN > 0) {
    const eligible = plans.filter((c) => c.showValues && c.family !== 'binary' && c.family !== 'json');
    if (eligible.length > 0) {
      const parts = eligible.map(
        (c) =>
          `(SELECT '${c.alias}' AS col, CAST(${quoteIdent(c.name)} AS CHAR) AS value, COUNT(*) AS n FROM ${source} GROUP BY value ORDER BY n DESC, value LIMIT ?)`,
      );
      const values = eligible.flatMap(() => [limit, options.topN]);
      const tops = await session.query(parts.join(' UNION ALL '), values, signal);
      for (const c of eligible) {
        const profile = columns.find((p) => p.name === c.name)!;
        profile.top_values = tops
          .filter((t) => t.col === c.alias)
          .map((t) => ({ value: t.value === null ? null : String(t.value), count: Number(t.n) }));
      }
    }
  }
  return { row_count: rowCount, sampled, ...(sampled ? { sample_rows: counted } : {}), columns };
}
