import { EntityManager } from 'typeorm';
import { SqlDialect, SqlType } from './sql-dialect';

/** Rows per statement: enough to amortise round trips, small enough to keep statements cheap to parse. */
const MAX_ROWS_PER_STATEMENT = 500;

export function rowsPerStatement(dialect: SqlDialect, paramsPerRow: number): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(dialect.maxParams / Math.max(1, paramsPerRow))));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Collects bound values and hands out their placeholders (PostgreSQL's $n, `?` elsewhere). */
export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.param(this.values.length);
  }

  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

export interface ColumnSpec {
  name: string;
  type: SqlType;
}

/** Multi-row INSERTs, chunked to stay within the store's parameter limit. */
export async function insertRows(em: EntityManager, dialect: SqlDialect, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  for (const part of chunks(rows, rowsPerStatement(dialect, columns.length))) {
    const p = new Params(dialect);
    const tuples = part.map((row) => `(${p.list(row)})`).join(', ');
    await em.query(head + tuples, p.values);
  }
}

/** `UPDATE table SET …same values… WHERE id IN (…)`, chunked. */
export async function updateByIds(
  em: EntityManager,
  dialect: SqlDialect,
  table: string,
  set: Record<string, unknown>,
  ids: readonly string[],
  extraWhere: (p: Params) => string = () => '',
): Promise<void> {
  if (ids.length === 0) return;
  const names = Object.keys(set);
  for (const part of chunks(ids, rowsPerStatement(dialect, 1 + names.length))) {
    const p = new Params(dialect);
    const assignments = names.map((n) => `${n} = ${p.add(set[n])}`).join(', ');
    await em.query(`UPDATE ${table} SET ${assignments} WHERE id IN (${p.list(part)})${extraWhere(p)}`, p.values);
  }
}

export async function deleteByIds(em: EntityManager, dialect: SqlDialect, table: string, ids: readonly string[], column = 'id'): Promise<void> {
  for (const part of chunks(ids, rowsPerStatement(dialect, 1))) {
    const p = new Params(dialect);
    await em.query(`DELETE FROM ${table} WHERE ${column} IN (${p.list(part)})`, p.values);
  }
}

/**
 * Different values per row in one statement per chunk: UPDATE … FROM (VALUES …) on PostgreSQL and
 * SQLite, UPDATE … JOIN (SELECT … UNION ALL …) on MySQL. Each row is `[id, ...values]`.
 */
export async function updateRowsById(em: EntityManager, dialect: SqlDialect, table: string, columns: readonly ColumnSpec[], rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  for (const part of chunks(rows, rowsPerStatement(dialect, columns.length + 1))) {
    const p = new Params(dialect);
    let sql: string;
    if (dialect.store === 'postgres') {
      const types: SqlType[] = ['varchar', ...columns.map((c) => c.type)];
      const tuples = part.map((row) => `(${row.map((v, i) => `${p.add(v)}::${types[i]}`).join(', ')})`).join(', ');
      const alias = ['id', ...columns.map((c) => c.name)].join(', ');
      const set = columns.map((c) => `${c.name} = v.${c.name}`).join(', ');
      sql = `UPDATE ${table} AS t SET ${set} FROM (VALUES ${tuples}) AS v(${alias}) WHERE t.id = v.id`;
    } else if (dialect.store === 'sqlite') {
      const tuples = part.map((row) => `(${p.list(row)})`).join(', ');
      const set = columns.map((c, i) => `${c.name} = v.column${i + 2}`).join(', ');
      sql = `UPDATE ${table} SET ${set} FROM (VALUES ${tuples}) AS v WHERE ${table}.id = v.column1`;
    } else {
      const names = ['id', ...columns.map((c) => c.name)];
      const selects = part.map((row, r) => `SELECT ${row.map((v, i) => (r === 0 ? `${p.add(v)} AS ${names[i]}` : p.add(v))).join(', ')}`).join(' UNION ALL ');
      const set = columns.map((c) => `t.${c.name} = v.${c.name}`).join(', ');
      sql = `UPDATE ${table} AS t JOIN (${selects}) AS v ON t.id = v.id SET ${set}`;
    }
    await em.query(sql, p.values);
  }
}

/** Runs `SELECT … WHERE <column> IN (…)` over chunks of ids and concatenates the rows. */
export async function selectByIds<T>(
  em: EntityManager,
  dialect: SqlDialect,
  sqlBefore: string,
  column: string,
  ids: readonly string[],
  sqlAfter: (p: Params) => string = () => '',
): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks(ids, rowsPerStatement(dialect, 1))) {
    const p = new Params(dialect);
    const rows = (await em.query(`${sqlBefore} ${column} IN (${p.list(part)})${sqlAfter(p)}`, p.values)) as T[];
    out.push(...rows);
  }
  return out;
}
