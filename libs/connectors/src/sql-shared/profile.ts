import { mayShowValues } from '../core/profile-guard';
import { TypeFamily, typeFamily } from '../core/type-family';
import { AssetProfile, ColumnProfile, ProfileOptions, ProfileTarget } from '../core/types';
import { lowerKeys, numeric, Row } from './row-values';

/**
 * Column profiles computed with one aggregate statement per table. Each dialect supplies the
 * expression for every metric; this module decides which metrics a column gets, names the result
 * columns (`c<index>_<metric>`, so no column name reaches the aliases) and reads the answer back.
 */
/** What a one-aggregate-per-table SQL profile reports (the `profile` capability of SQL sources). */
export const SQL_PROFILE_METRICS = [
  'row_count',
  'null_count',
  'null_ratio',
  'distinct_count',
  'distinct_ratio',
  'min',
  'max',
  'mean',
  'stddev',
  'min_length',
  'max_length',
  'avg_length',
  'top_values',
] as const;

export type Metric =
  'nonnull' | 'distinct' | 'min' | 'max' | 'mean' | 'stddev' | 'min_length' | 'max_length' | 'avg_length';

export interface PlannedColumn {
  index: number;
  name: string;
  dataType: string;
  family: TypeFamily;
  metrics: Metric[];
  /** Whether top values are computed (opt-in, never for secret-looking names or incomparable types). */
  topValues: boolean;
}

export interface ProfileDialect {
  /** Quotes one identifier. */
  quoteIdent(name: string): string;
  /** The type family of a source type (defaults to the shared mapping). */
  family?(dataType: string): TypeFamily;
  /** Whether values of this type support DISTINCT, MIN/MAX and GROUP BY (LOBs and complex types do not). */
  comparable(dataType: string): boolean;
  /** The aggregate expression for a metric over the quoted column, or null when the type lacks it. */
  metric(metric: Metric, quotedColumn: string, column: Omit<PlannedColumn, 'metrics' | 'topValues'>): string | null;
}

const NUMERIC: readonly TypeFamily[] = ['integer', 'decimal', 'float'];
const TEMPORAL: readonly TypeFamily[] = ['date', 'time', 'timestamp'];

function wantedMetrics(family: TypeFamily, comparable: boolean, showValues: boolean): Metric[] {
  const metrics: Metric[] = ['nonnull'];
  if (!comparable) return family === 'string' ? [...metrics, 'min_length', 'max_length', 'avg_length'] : metrics;
  metrics.push('distinct');
  if (NUMERIC.includes(family)) {
    if (showValues) metrics.push('min', 'max');
    metrics.push('mean', 'stddev');
  } else if (TEMPORAL.includes(family)) {
    if (showValues) metrics.push('min', 'max');
  } else if (family === 'string') {
    if (showValues) metrics.push('min', 'max');
    metrics.push('min_length', 'max_length', 'avg_length');
  }
  return metrics;
}

/** Decides the metrics of each target column. */
export function planProfile(
  target: ProfileTarget,
  options: Pick<ProfileOptions, 'topValues'>,
  dialect: ProfileDialect,
): PlannedColumn[] {
  return target.fields.map((field, index) => {
    const family = dialect.family ? dialect.family(field.dataType) : typeFamily(field.dataType);
    const comparable = dialect.comparable(field.dataType);
    const showValues = mayShowValues(field.name);
    const base = { index, name: field.name, dataType: field.dataType, family };
    const metrics = wantedMetrics(family, comparable, showValues).filter(
      (m) => dialect.metric(m, dialect.quoteIdent(field.name), base) !== null,
    );
    return { ...base, metrics, topValues: options.topValues && comparable && showValues };
  });
}

export function metricAlias(column: Pick<PlannedColumn, 'index'>, metric: Metric): string {
  return `c${column.index}_${metric}`;
}

/**
 * `expr AS c0_nonnull, …` for every planned metric. `columnRef` says how a column is referred to
 * (by default its quoted name; a dialect may rename columns in a sample subquery).
 */
export function aggregateSelectList(
  columns: readonly PlannedColumn[],
  dialect: ProfileDialect,
  columnRef: (column: PlannedColumn) => string = (c) => dialect.quoteIdent(c.name),
): string[] {
  const out: string[] = [];
  for (const column of columns) {
    const quoted = columnRef(column);
    for (const metric of column.metrics) {
      out.push(`${dialect.metric(metric, quoted, column)} AS ${metricAlias(column, metric)}`);
    }
  }
  return out;
}

/** Converts a min/max value to what a profile shows: numbers stay numbers when exact, dates become ISO strings. */
export function profileValue(value: unknown, family: TypeFamily): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const s = Buffer.isBuffer(value) ? value.toString('hex') : String(value);
  if (NUMERIC.includes(family)) {
    const n = Number(s);
    if (s.trim() !== '' && Number.isFinite(n) && (family !== 'integer' || Number.isSafeInteger(n))) return n;
  }
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/**
 * Reads the aggregate row back. `total_rows` is the table's row count and `sample_rows` the rows
 * the metrics were computed on; ratios are relative to the profiled rows (distinct: to the
 * non-null ones).
 */
export function readProfile(rawRow: Row, columns: readonly PlannedColumn[]): AssetProfile {
  const row = lowerKeys(rawRow);
  const profiled = numeric(row, 'sample_rows') ?? 0;
  const total = numeric(row, 'total_rows') ?? profiled;
  const get = (c: PlannedColumn, m: Metric) => row[metricAlias(c, m)];
  const num = (c: PlannedColumn, m: Metric) => (c.metrics.includes(m) ? numeric(row, metricAlias(c, m)) : null);

  const profiles: ColumnProfile[] = columns.map((c) => {
    const nonNull = num(c, 'nonnull') ?? 0;
    const nulls = Math.max(0, profiled - nonNull);
    const distinct = num(c, 'distinct') ?? 0;
    const profile: ColumnProfile = {
      name: c.name,
      null_count: nulls,
      null_ratio: ratio(nulls, profiled),
      distinct_count: distinct,
      distinct_ratio: ratio(distinct, nonNull),
    };
    if (c.metrics.includes('min')) profile.min = profileValue(get(c, 'min'), c.family);
    if (c.metrics.includes('max')) profile.max = profileValue(get(c, 'max'), c.family);
    if (c.metrics.includes('mean')) profile.mean = num(c, 'mean');
    if (c.metrics.includes('stddev')) profile.stddev = num(c, 'stddev');
    if (c.metrics.includes('min_length')) profile.min_length = num(c, 'min_length');
    if (c.metrics.includes('max_length')) profile.max_length = num(c, 'max_length');
    if (c.metrics.includes('avg_length')) profile.avg_length = num(c, 'avg_length');
    return profile;
  });
  return { row_count: total, sampled: total > profiled, sample_rows: profiled, columns: profiles };
}

/**
 * Attaches top values read from rows shaped `{col_index, v, n}` (one row per value, any order),
 * keeping the `topN` most frequent per column.
 */
export function attachTopValues(
  profile: AssetProfile,
  columns: readonly PlannedColumn[],
  rows: readonly Row[],
  topN: number,
): void {
  const byIndex = new Map<number, Array<{ value: string | null; count: number }>>();
  for (const raw of rows) {
    const row = lowerKeys(raw);
    const index = numeric(row, 'col_index');
    if (index === null) continue;
    const v = row.v;
    const list = byIndex.get(index) ?? [];
    list.push({
      value: v === null || v === undefined ? null : String(profileValue(v, 'string')),
      count: numeric(row, 'n') ?? 0,
    });
    byIndex.set(index, list);
  }
  for (const column of columns) {
    if (!column.topValues) continue;
    const list = (byIndex.get(column.index) ?? []).sort(
      (a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)),
    );
    const target = profile.columns.find((p) => p.name === column.name);
    if (target) target.top_values = list.slice(0, topN);
  }
}
