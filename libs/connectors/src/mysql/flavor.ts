import { ServerIdentity } from '../core/diagnostics';

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
  const doris = /doris-(\d+(?:\.\d+)*)/i.exec(comment ?? '') ?? (/doris/i.test(comment ?? '') ? /(\d+(?:\.\d+)+)/.exec(comment ?? '') : null);
  if (doris) return { flavor: 'doris', serverInfo: `Doris ${doris[1]}`, version: doris[1] };
  const number = /^\d+(?:\.\d+)*/.exec(version)?.[0] ?? version;
  if (/mariadb/i.test(version)) return { flavor: 'mariadb', serverInfo: `MariaDB ${number}`, version: number };
  return { flavor: 'mysql', serverInfo: `MySQL ${number}`, version: number };
}

/**
 * Statements run once on each new session, per flavor: the source's timeout as the server-side
 * statement limit, and on MariaDB no rewriting of long IN lists into subqueries (a chunk's
 * `TABLE_NAME IN (…)` must stay a filter applied before tables are opened, or every table is).
 */
export function sessionSetup(flavor: ServerFlavor, timeoutMs: number): Array<{ sql: string; values: number[] }> {
  switch (flavor) {
    case 'mariadb':
      return [
        { sql: 'SET SESSION max_statement_time = ?', values: [timeoutMs / 1000] },
        { sql: 'SET SESSION in_predicate_conversion_threshold = ?', values: [0] },
      ];
    case 'mysql':
      return [{ sql: 'SET SESSION max_execution_time = ?', values: [timeoutMs] }];
    case 'doris':
      return [{ sql: 'SET query_timeout = ?', values: [Math.max(1, Math.ceil(timeoutMs / 1000))] }];
  }
}
