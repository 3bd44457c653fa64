import { ServerIdentity } from '../core/diagnostics';
import type { Statement } from './catalog-sql';

/** Which server speaks the MySQL protocol on the other end. */
export type ServerFlavor = 'mysql' | 'mariadb' | 'doris';

export interface ServerDescription extends ServerIdentity {
  flavor: ServerFlavor;
  serverInfo: string;
  version: string;
}

/**
 * From `SELECT VERSION(), @@version_comment`: MariaDB says so in VERSION() ("10.11.19-MariaDB-0+deb12u1"),
 * Doris answers a MySQL-compatible VERSION() ("5.7.99") and names itself in the comment
 * ("Doris version doris-2.1.7-rc03-443e87e203"); anything else is MySQL.
 */
export function describeMysqlServer(version: string, comment: string | null): ServerDescription {
  const doris =
    /doris-(\d+(?:\.\d+)*)/i.exec(comment ?? '') ??
    (/doris/i.test(comment ?? '') ? /(\d+(?:\.\d+)+)/.exec(comment ?? '') : null);
  if (doris) return { flavor: 'doris', serverInfo: `Doris ${doris[1]}`, version: doris[1] };
  const number = /^\d+(?:\.\d+)*/.exec(version)?.[0] ?? version;
  if (/mariadb/i.test(version)) return { flavor: 'mariadb', serverInfo: `MariaDB ${number}`, version: number };
  return { flavor: 'mysql', serverInfo: `MySQL ${number}`, version: number };
}

/** How long the server waits for a streamed statement's reader to take more rows. */
const READER_STALL_SECONDS = 86_400;

/**
 * Statements run once on each new session, per flavor: the source's timeout as the server-side
 * statement limit, and on MariaDB no rewriting of long IN lists into subqueries (a list of table
 * names must stay a filter applied before tables are opened, or every table is).
 */
export function sessionSetup(flavor: ServerFlavor, timeoutMs: number): Array<{ sql: string; values: number[] }> {
  switch (flavor) {
    case 'mariadb':
      return [
        { sql: 'SET SESSION max_statement_time = ?', values: [timeoutMs / 1000] },
        { sql: 'SET SESSION in_predicate_conversion_threshold = ?', values: [0] },
      ];
    case 'mysql':
      // net_write_timeout for streamed statements (see streamedStatementText); it only bounds the server's wait on a reader.
      return [
        { sql: 'SET SESSION max_execution_time = ?, net_write_timeout = ?', values: [timeoutMs, READER_STALL_SECONDS] },
      ];
    case 'doris':
      return [{ sql: 'SET query_timeout = ?', values: [Math.max(1, Math.ceil(timeoutMs / 1000))] }];
  }
}

/**
 * The text of a statement read as a stream, alongside others, for a whole database. It may run
 * longer than the source's timeout while rows keep coming (the client bounds each wait for rows
 * instead), and its reader may leave it paused for long (a sparse stream such as views waits
 * while the tables before them are read), so the server-side statement limit is lifted and the
 * server's wait on the reader raised: on MariaDB for this statement alone, with its own settings;
 * on MySQL with a hint (net_write_timeout is set for the session); on Doris with SET_VAR.
 */
export function streamedStatementText(flavor: ServerFlavor, statement: Statement): string {
  switch (flavor) {
    case 'mariadb':
      return `SET STATEMENT ${['max_statement_time = 0', `net_write_timeout = ${READER_STALL_SECONDS}`, ...(statement.settings ?? [])].join(', ')} FOR ${statement.sql}`;
    case 'mysql':
      return statement.sql.replace(/^SELECT\b/, `SELECT /*+ MAX_EXECUTION_TIME(${READER_STALL_SECONDS * 1000}) */`);
    case 'doris':
      return statement.sql.replace(/^SELECT\b/, `SELECT /*+ SET_VAR(query_timeout = ${READER_STALL_SECONDS}) */`);
  }
}

/** The text of a statement read whole, within the source's timeout. */
export function statementText(flavor: ServerFlavor, statement: Statement): string {
  return flavor === 'mariadb' && statement.settings?.length
    ? `SET STATEMENT ${statement.settings.join(', ')} FOR ${statement.sql}`
    : statement.sql;
}
