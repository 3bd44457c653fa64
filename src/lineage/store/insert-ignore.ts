import { chunk } from '@app/connectors';
import { EntityManager } from 'typeorm';
import { Params, rowsPerStatement } from '../../catalog/store/bulk-sql';
import { SqlDialect } from '../../catalog/store/sql-dialect';

/**
 * Inserts rows, skipping those whose unique key is already stored (a concurrent writer may have
 * added the same dataset or job a moment before): ON CONFLICT DO NOTHING, INSERT OR IGNORE, INSERT IGNORE.
 */
export async function insertIgnoring(
  em: EntityManager,
  dialect: SqlDialect,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  const names = columns.join(', ');
  for (const part of chunk([...rows], rowsPerStatement(dialect, columns.length))) {
    const p = new Params(dialect);
    const tuples = part.map((row) => `(${p.list(row)})`).join(', ');
    const sql =
      dialect.store === 'postgres'
        ? `INSERT INTO ${table} (${names}) VALUES ${tuples} ON CONFLICT DO NOTHING`
        : dialect.store === 'mysql'
          ? `INSERT IGNORE INTO ${table} (${names}) VALUES ${tuples}`
          : `INSERT OR IGNORE INTO ${table} (${names}) VALUES ${tuples}`;
    await em.query(sql, p.values);
  }
}
