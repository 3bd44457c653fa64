import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { mayShowValues } from '../core/profile-guard';
import { typeFamily, TypeFamily } from '../core/type-family';
import { AssetProfile, ColumnProfile, ProfileOptions, ProfileTarget } from '../core/types';
import { PgSession } from './session';
import { SQL_PROFILE_METRICS } from '../sql-shared/profile';

/** `"name"` with embedded quotes doubled: identifiers come from the catalog, never from SQL text. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export const PROFILE_METRICS = SQL_PROFILE_METRICS;

const NUMERIC: TypeFamily[] = ['integer', 'decimal', 'float'];
const ORDERED: TypeFamily[] = ['date', 'time', 'timestamp'];
/** Families whose values compare natively for DISTINCT; the rest (json, point, xml…) compare as text. */
const NATIVE_DISTINCT: TypeFamily[] = [
  'integer',
  'decimal',
  'float',
  'date',
  'time',
  'timestamp',
  'uuid',
  'boolean',
  'binary',
];
/** PostgreSQL allows 1664 result columns; at most 7 per column keeps one statement safe to ~200 columns. */
const COLUMNS_PER_STATEMENT = 200;

interface ColumnPlan {
  name: string;
  alias: string;
  family: TypeFamily;
  showValues: boolean;
}

function aggregates(c: ColumnPlan): string[] {
  const q = quoteIdent(c.name);
  const out = [`count(${q}) AS "${c.alias}_nn"`];
  out.push(
    NATIVE_DISTINCT.includes(c.family)
      ? `count(DISTINCT ${q}) AS "${c.alias}_d"`
      : `count(DISTINCT ${q}::text) AS "${c.alias}_d"`,
  );
  if (NUMERIC.includes(c.family)) {
    // Through numeric so money and int types average alike; float8 in the result.
    const n = `${q}::numeric`;
    if (c.showValues) out.push(`min(${n})::float8 AS "${c.alias}_min"`, `max(${n})::float8 AS "${c.alias}_max"`);
    out.push(`avg(${n})::float8 AS "${c.alias}_mean"`, `stddev_samp(${n})::float8 AS "${c.alias}_sd"`);
  } else if (c.family === 'string') {
    if (c.showValues) out.push(`min(${q}::text) AS "${c.alias}_min"`, `max(${q}::text) AS "${c.alias}_max"`);
    out.push(
      `min(length(${q}::text)) AS "${c.alias}_minlen"`,
      `max(length(${q}::text)) AS "${c.alias}_maxlen"`,
      `avg(length(${q}::text))::float8 AS "${c.alias}_avglen"`,
    );
  } else if (ORDERED.includes(c.family) && c.showValues) {
    out.push(`min(${q})::text AS "${c.alias}_min"`, `max(${q})::text AS "${c.alias}_max"`);
  }
  return out;
}

type Row = Record<string, unknown>;

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
  const min = row[`${c.alias}_min`];
  const max = row[`${c.alias}_max`];
  if (min !== undefined) profile.min = typeof min === 'number' || min === null ? min : String(min);
  if (max !== undefined) profile.max = typeof max === 'number' || max === null ? max : String(max);
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

interface RelationInfo {
  relkind: string;
  estimate: number | null;
}

/**
 * Profiles one table with one aggregate statement over a bounded row source: the whole table when
 * it is small, a TABLESAMPLE of about `sampleRows` rows when its estimate is larger (a LIMIT for
 * views), plus one statement for top values when asked. Columns whose names look secret get counts
 * and lengths only.
 */
export async function profilePostgres(
  session: PgSession,
  target: ProfileTarget,
  options: ProfileOptions,
): Promise<AssetProfile> {
  const { signal } = options;
  const [info] = await session.query<RelationInfo>(
    `SELECT c.relkind::text AS relkind, c.reltuples::float8 AS estimate
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
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
  const table = `${quoteIdent(target.namespace)}.${quoteIdent(target.name)}`;
  const sampleRows = Math.max(1, Math.floor(options.sampleRows));
  const estimate = info.estimate ?? -1;
  const sampleByBlocks = ['r', 'm', 'p'].includes(info.relkind) && estimate > sampleRows;
  // $1 = row limit; $2 = percent of blocks; the seed makes the top-values statement see the same sample.
  const source = sampleByBlocks
    ? `SELECT * FROM ${table} TABLESAMPLE SYSTEM ($2::float4) REPEATABLE (7) LIMIT $1`
    : `SELECT * FROM ${table} LIMIT $1`;
  const limit = sampleByBlocks ? sampleRows : sampleRows + 1;
  const percent = sampleByBlocks ? Math.min(100, (sampleRows / estimate) * 100 * 1.5) : 100;
  const params = sampleByBlocks ? [limit, percent] : [limit];

  const plans: ColumnPlan[] = target.fields.map((f, i) => ({
    name: f.name,
    alias: `c${i}`,
    family: typeFamily(f.dataType),
    showValues: mayShowValues(f.name),
  }));
  const row: Row = {};
  for (let i = 0; i < Math.max(1, plans.length); i += COLUMNS_PER_STATEMENT) {
    const part = plans.slice(i, i + COLUMNS_PER_STATEMENT);
    const select = ['count(*) AS n', ...part.flatMap(aggregates)].join(', ');
    const [result] = await session.query<Row>(`SELECT ${select} FROM (${source}) s`, params, signal);
    Object.assign(row, result);
  }
  const counted = Number(row.n ?? 0);
  const sampled = sampleByBlocks || counted > sampleRows;
  const rowCount = sampleByBlocks ? Math.round(estimate) : sampled ? Math.max(Math.round(estimate), counted) : counted;
  const columns = plans.map((c) => toColumnProfile(c, row, counted));

  if (options.topValues && options.topN > 0) {
    const eligible = plans.filter((c) => c.showValues && c.family !== 'binary' && c.family !== 'json');
    if (eligible.length > 0) {
      const topParam = `$${params.length + 1}`;
      const parts = eligible.map(
        (c) =>
          `(SELECT '${c.alias}' AS col, ${quoteIdent(c.name)}::text AS value, count(*)::bigint AS n FROM s GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT ${topParam})`,
      );
      const tops = await session.query<{ col: string; value: string | null; n: string }>(
        `WITH s AS (${source}) ${parts.join(' UNION ALL ')}`,
        [...params, options.topN],
        signal,
      );
      for (const c of eligible) {
        const profile = columns.find((p) => p.name === c.name)!;
        profile.top_values = tops.filter((t) => t.col === c.alias).map((t) => ({ value: t.value, count: Number(t.n) }));
      }
    }
  }
  return { row_count: rowCount, sampled, ...(sampled ? { sample_rows: counted } : {}), columns };
}
