import { chunk } from '@app/connectors';
import { EntityManager } from 'typeorm';
import { SqlDialect, SqlType } from './sql-dialect';

/** Rows per statement: enough to amortise round trips, small enough to keep statements cheap to parse. */
const MAX_ROWS_PER_STATEMENT = 500;

export function rowsPerStatement(dialect: SqlDialect, paramsPerRow: number): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(dialect.maxParams / Math.max(1, paramsPerRow))));
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

/** PostgreSQL ships whole columns as typed arrays: a few parameters per statement, whatever the rows. */
const PG_ARRAY_ROWS = 5000;

const pgArrayType = (t: SqlType) => `${t}[]`;

/** `column IN (…)`, or `column = ANY($n::varchar[])` on PostgreSQL. */
function inList(p: Params, dialect: SqlDialect, column: string, ids: readonly string[]): string {
  return dialect.store === 'postgres'
    ? `${column} = ANY(${p.add([...ids])}::varchar[])`
    : `${column} IN (${p.list(ids)})`;
}

function idChunkSize(dialect: SqlDialect, otherParams: number): number {
  return dialect.store === 'postgres' ? PG_ARRAY_ROWS : rowsPerStatement(dialect, 1 + otherParams);
}

/**
 * Rows carrying large texts (version diffs): quoting them into array literals costs more than
 * binding them one by one, so they go as multi-row VALUES on PostgreSQL too.
 */
function wideRows(rows: readonly unknown[][]): boolean {
  const sample = rows.slice(0, 50);
  let chars = 0;
  for (const row of sample) for (const v of row) if (typeof v === 'string') chars += v.length;
  return chars / sample.length > 1024;
}

/**
 * Inserts many rows: `INSERT … SELECT * FROM unnest(<one array per column>)` on PostgreSQL (several
 * times faster than multi-row VALUES there for narrow rows), multi-row VALUES elsewhere and for
 * wide rows, chunked to stay within the store's parameter limit.
 */
export async function insertRows(
  em: EntityManager,
  dialect: SqlDialect,
  table: string,
  columns: readonly ColumnSpec[],
  rows: readonly unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => c.name).join(', ');
  if (dialect.store === 'postgres' && !wideRows(rows)) {
    for (const part of chunk(rows, PG_ARRAY_ROWS)) {
      const p = new Params(dialect);
      const arrays = columns.map((c, i) => `${p.add(part.map((row) => row[i]))}::${pgArrayType(c.type)}`).join(', ');
      await em.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`, p.values);
    }
    return;
  }
  for (const part of chunk(rows, rowsPerStatement(dialect, columns.length))) {
    const p = new Params(dialect);
    const tuples = part.map((row) => `(${p.list(row)})`).join(', ');
    await em.query(`INSERT INTO ${table} (${names}) VALUES ${tuples}`, p.values);
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
  for (const part of chunk(ids, idChunkSize(dialect, names.length + 1))) {
    const p = new Params(dialect);
    const assignments = names.map((n) => `${n} = ${p.add(set[n])}`).join(', ');
    await em.query(
      `UPDATE ${table} SET ${assignments} WHERE ${inList(p, dialect, 'id', part)}${extraWhere(p)}`,
      p.values,
    );
  }
}

export async function deleteByIds(
  em: EntityManager,
  dialect: SqlDialect,
  table: string,
  ids: readonly string[],
  column = 'id',
): Promise<void> {
  for (const part of chunk(ids, idChunkSize(dialect, 0))) {
    const p = new Params(dialect);
    await em.query(`DELETE FROM ${table} WHERE ${inList(p, dialect, column, part)}`, p.values);
  }
}

/**
 * Different values per row in one statement per chunk: UPDATE … FROM unnest(…) on PostgreSQL,
 * UPDATE … FROM (VALUES …) on SQLite, UPDATE … JOIN (SELECT … UNION ALL …) on MySQL. Each row
 * is `[id, ...values]`.
 */
export async function updateRowsById(
  em: EntityManager,
  dialect: SqlDialect,
  table: string,
  columns: readonly ColumnSpec[],
  rows: readonly unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  if (dialect.store === 'postgres') {
    const all: ColumnSpec[] = [{ name: 'id', type: 'varchar' }, ...columns];
    for (const part of chunk(rows, PG_ARRAY_ROWS)) {
      const p = new Params(dialect);
      const arrays = all.map((c, i) => `${p.add(part.map((row) => row[i]))}::${pgArrayType(c.type)}`).join(', ');
      const set = columns.map((c) => `${c.name} = v.${c.name}`).join(', ');
      await em.query(
        `UPDATE ${table} AS t SET ${set} FROM unnest(${arrays}) AS v(${all.map((c) => c.name).join(', ')}) WHERE t.id = v.id`,
        p.values,
      );
    }
    return;
  }
  for (const part of chunk(rows, rowsPerStatement(dialect, columns.length + 1))) {
    const p = new Params(dialect);
    let sql: string;
    if (dialect.store === 'sqlite') {
      const tuples = part.map((row) => `(${p.list(row)})`).join(', ');
      const set = columns.map((c, i) => `${c.name} = v.column${i + 2}`).join(', ');
      sql = `UPDATE ${table} SET ${set} FROM (VALUES ${tuples}) AS v WHERE ${table}.id = v.column1`;
    } else {
      const names = ['id', ...columns.map((c) => c.name)];
      const selects = part
        .map((row, r) => `SELECT ${row.map((v, i) => (r === 0 ? `${p.add(v)} AS ${names[i]}` : p.add(v))).join(', ')}`)
        .join(' UNION ALL ');
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
  for (const part of chunk(ids, idChunkSize(dialect, 1))) {
    const p = new Params(dialect);
    const rows = (await em.query(`${sqlBefore} ${inList(p, dialect, column, part)}${sqlAfter(p)}`, p.values)) as T[];
    out.push(...rows);
  }
  return out;
}
