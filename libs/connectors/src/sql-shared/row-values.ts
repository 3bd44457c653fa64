/** Typed reads of driver rows, whose values arrive as strings, numbers, bigints, Dates or nulls. */
export type Row = Record<string, unknown>;

export function text(row: Row, key: string): string | null {
  const v = row[key];
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/** A string column that must be present; empty string when null. */
export function textOr(row: Row, key: string, fallback = ''): string {
  return text(row, key) ?? fallback;
}

/** Numbers may come as strings (64-bit integers, decimals) or bigints; non-numeric gives null. */
export function numeric(row: Row, key: string): number | null {
  const v = row[key];
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function flag(row: Row, key: string): boolean {
  const v = row[key];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return ['1', 'true', 'y', 'yes'].includes(v.trim().toLowerCase());
  return false;
}

/** Dates as ISO-8601 UTC strings; strings are passed through. */
export function isoDate(row: Row, key: string): string | null {
  const v = row[key];
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  return String(v);
}

/** Lower-cases a row's keys (Oracle returns upper-case names, Hive may prefix them). */
export function lowerKeys(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k.toLowerCase()] = v;
  return out;
}
