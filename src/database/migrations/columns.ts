import { TableColumnOptions } from 'typeorm';

// Column shapes shared by migrations, portable across SQLite, PostgreSQL and MySQL.
export const idColumn = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '40', isPrimary: true });
export const refColumn = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '40',
  isNullable: nullable,
});
export const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const text = (name: string, nullable = true): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
/** Epoch milliseconds (see common/timestamps.ts). */
export const instant = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'bigint',
  isNullable: nullable,
});
export const integer = (name: string, nullable = false, def?: number): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: nullable,
  default: def,
});
export const bigint = (name: string, nullable = true): TableColumnOptions => ({
  name,
  type: 'bigint',
  isNullable: nullable,
});
export const bool = (name: string, def: boolean): TableColumnOptions => ({
  name,
  type: 'boolean',
  isNullable: false,
  default: def,
});
export const real = (name: string, nullable = true): TableColumnOptions => ({
  name,
  type: 'double precision',
  isNullable: nullable,
});
