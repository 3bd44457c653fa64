import { mayShowValues } from '../core/profile-guard';
import { CatalogAsset } from '../core/types';
import { ServerDescription, statementText } from './flavor';
import { histogramsStatement, ObjectScope } from './object-sql';
import { MysqlSession, Row } from './session';

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
const fromHex = (v: unknown): string | null =>
  v === null || v === undefined ? null : Buffer.from(text(v), 'hex').toString('utf8');

/** Errors that mean the account may not read the statistics table: then there are none to show. */
const NOT_READABLE = new Set([
  'ER_TABLEACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_NO_SUCH_TABLE',
  'ER_UNKNOWN_TABLE',
]);

function codeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ER_')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Column statistics the server already keeps, by table and column, read in one statement per
 * database (not in schema-only runs). An account that may not read them gets none, not an error.
 */
export async function readHistograms(
  session: MysqlSession,
  server: ServerDescription,
  schema: string,
  scope: ObjectScope,
  signal: AbortSignal,
): Promise<Map<string, Map<string, Record<string, unknown>>>> {
  const out = new Map<string, Map<string, Record<string, unknown>>>();
  if (server.flavor === 'doris' || (server.flavor === 'mysql' && Number(server.version.split('.')[0]) < 8)) return out;
  const statement = histogramsStatement(server, schema, scope);
  let rows: Row[];
  try {
    rows = await session.query(statementText(server.flavor, statement), statement.values, signal);
  } catch (err) {
    if (NOT_READABLE.has(codeOf(err) ?? '')) return out;
    throw err;
  }
  for (const row of rows) {
    const table = text(row.table_name);
    const column = text(row.column_name);
    const stats = server.flavor === 'mariadb' ? fromColumnStats(row, column) : fromColumnStatistics(row, column);
    if (!out.has(table)) out.set(table, new Map());
    out.get(table)!.set(column, stats);
  }
  return out;
}

/** Puts a table's column statistics on its fields as `properties.statistics`. */
export function applyHistograms(asset: CatalogAsset, byColumn: Map<string, Record<string, unknown>> | undefined): void {
  if (!byColumn) return;
  for (const field of asset.fields) {
    const stats = byColumn.get(field.name);
    if (stats) field.properties = { ...field.properties, statistics: stats };
  }
}

/**
 * MariaDB's engine-independent statistics. SINGLE_PREC_HB and DOUBLE_PREC_HB histograms store
 * bucket ends as fractions of the way from min to max (one or two bytes each, little-endian);
 * JSON_HB stores buckets with their start value, share of rows and distinct count.
 */
export function fromColumnStats(row: Row, column: string): Record<string, unknown> {
  const values = mayShowValues(column);
  const avgFrequency = num(row.avg_frequency);
  const stats: Record<string, unknown> = {
    estimate: true,
    source: 'mysql.column_stats',
    null_fraction: num(row.nulls_ratio),
    avg_length: num(row.avg_length),
    // Rows per distinct value.
    avg_frequency: avgFrequency,
  };
  if (values) {
    stats.min = fromHex(row.min_hex);
    stats.max = fromHex(row.max_hex);
  }
  const type = row.hist_type === null || row.hist_type === undefined ? null : text(row.hist_type);
  const raw =
    row.histogram_hex === null || row.histogram_hex === undefined ? null : Buffer.from(text(row.histogram_hex), 'hex');
  if (type && raw && raw.length > 0) {
    if (type === 'JSON_HB') {
      const parsed = safeJson(raw.toString('utf8')) as { histogram_hb?: Array<Record<string, unknown>> } | null;
      const buckets = parsed?.histogram_hb ?? [];
      stats.histogram = {
        type,
        buckets: buckets.map((b) => ({
          ...(values ? { start: b.start ?? null, end: b.end ?? null } : {}),
          fraction: num(b.size),
          distinct: num(b.ndv),
        })),
      };
    } else {
      const width = type === 'DOUBLE_PREC_HB' ? 2 : 1;
      const max = width === 2 ? 0xffff : 0xff;
      const ends: number[] = [];
      for (let i = 0; i + width <= raw.length; i += width)
        ends.push(Number(((width === 2 ? raw.readUInt16LE(i) : raw.readUInt8(i)) / max).toFixed(6)));
      stats.histogram = { type, size: num(row.hist_size), bucket_ends: ends };
    }
  }
  return stats;
}

/** MySQL 8's histogram JSON: singleton or equi-height buckets with cumulative frequencies. */
export function fromColumnStatistics(row: Row, column: string): Record<string, unknown> {
  const values = mayShowValues(column);
  const raw = typeof row.histogram === 'string' ? safeJson(row.histogram) : row.histogram;
  const h = (raw ?? {}) as Record<string, unknown>;
  const type = text(h['histogram-type']);
  const buckets = Array.isArray(h.buckets) ? (h.buckets as unknown[][]) : [];
  return {
    estimate: true,
    source: 'information_schema.COLUMN_STATISTICS',
    null_fraction: num(h['null-values']),
    sampling_rate: num(h['sampling-rate']),
    histogram: {
      type,
      size: buckets.length,
      buckets: buckets.map((b) =>
        type === 'singleton'
          ? { ...(values ? { value: b[0] } : {}), cumulative_frequency: num(b[1]) }
          : {
              ...(values ? { start: b[0], end: b[1] } : {}),
              cumulative_frequency: num(b[2]),
              distinct: num(b[3]),
            },
      ),
    },
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
