import { NameRange, rangeStartsStatement } from './catalog-sql';
import { ServerDescription } from './flavor';
import { MysqlSession } from './session';

/** Ranges a full run's table statement is split into on MariaDB. */
const STORAGE_PARTS = 4;

/**
 * MariaDB opens every table for its storage facts (TABLE_ROWS, DATA_LENGTH…), all of them before
 * it sends the first row of a statement. Read in a few ranges of names one after another (a
 * constant number, whatever the database's size), the server opens the tables of the next range
 * while the merge reads this one, instead of the merge waiting for all of them. MySQL and Doris
 * keep these facts in their dictionaries, and need no ranges.
 */
export function splitsStorageRead(server: ServerDescription): boolean {
  const [major, minor] = server.version.split('.').map(Number);
  // Window functions (to find the ranges) came with MariaDB 10.2.
  return server.flavor === 'mariadb' && (major > 10 || (major === 10 && minor >= 2));
}

/** The ranges, from one statement that opens no table. */
export async function storageRanges(
  session: MysqlSession,
  server: ServerDescription,
  schema: string,
  scope: { include?: string[]; exclude?: string[] },
  signal: AbortSignal,
): Promise<NameRange[]> {
  const statement = rangeStartsStatement(schema, scope, server.flavor, STORAGE_PARTS);
  const starts = (await session.query(statement.sql, statement.values, signal)).map((r) => String(r.name));
  return [undefined, ...starts].map((from, i) => ({ from, before: starts[i] }));
}
