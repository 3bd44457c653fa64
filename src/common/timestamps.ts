import { Column, ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Instants are stored as epoch milliseconds in a BIGINT: one type that sorts, compares and
 * round-trips identically on SQLite, PostgreSQL and MySQL, free of session time zones.
 */
export const epochMs: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : (value ?? null)),
  from: (value: string | number | null) => (value === null || value === undefined ? null : new Date(Number(value))),
};

export function TimestampColumn(options: Omit<ColumnOptions, 'type' | 'transformer'> = {}): PropertyDecorator {
  return Column({ ...options, type: 'bigint', transformer: epochMs });
}

/** ISO 8601 UTC with `Z`, seconds precision as in the seed (`2024-01-01T00:00:00Z`), or null. */
export function iso(date: Date | null | undefined): string | null {
  if (!date) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
