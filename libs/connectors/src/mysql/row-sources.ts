import { Statement, TableFilter, tableNamesStatement } from './catalog-sql';
import { ServerFlavor, statementText, streamedStatementText } from './flavor';
import { rowsAsStream, RowStream } from './row-stream';
import { MysqlSession, Row } from './session';

/** A statement over the tables a filter names; undefined when it has nothing to read for them. */
export type StatementFor = (filter: TableFilter) => Statement | undefined;

/** Opens the rows of one kind of catalog statement over a database's tables in scope, in table-name order. */
export interface RowSources {
  /** `tableOf` names the table a row belongs to. */
  open(statementFor: StatementFor, tableOf: (row: Row) => string): Promise<RowStream>;
}

/** One statement per kind for the whole database, streamed on a connection of its own. */
export function streamedSources(
  session: MysqlSession,
  flavor: ServerFlavor,
  scope: TableFilter,
  signal: AbortSignal,
): RowSources {
  return {
    async open(statementFor) {
      const statement = statementFor(scope);
      return statement
        ? session.stream(streamedStatementText(flavor, statement), statement.values, signal)
        : rowsAsStream([]);
    },
  };
}

/**
 * For pools too small to hold a connection per stream: the database's table names first, then
 * per kind one statement per chunk of names, sent when the merge reaches that chunk. Statements
 * grow with the chunks; memory holds the names and one chunk per kind.
 */
export async function chunkedSources(
  session: MysqlSession,
  flavor: ServerFlavor,
  schema: string,
  scope: { include?: string[]; exclude?: string[] },
  chunkSize: number,
  signal: AbortSignal,
): Promise<RowSources> {
  const names = tableNamesStatement(schema, scope.include, scope.exclude, flavor);
  const all = (await session.query(names.sql, names.values, signal)).map((r) => String(r.name));
  const chunks: string[][] = [];
  for (let i = 0; i < all.length; i += chunkSize) chunks.push(all.slice(i, i + chunkSize));
  return {
    async open(statementFor, tableOf) {
      let next = 0;
      const stop = () => void (next = chunks.length);
      return {
        async next() {
          while (next < chunks.length) {
            const names = chunks[next++];
            const statement = statementFor({ names });
            if (!statement) continue;
            // The server matched the names ignoring case and accents: keep the chunk's own.
            const asked = new Set(names);
            const rows = (await session.query(statementText(flavor, statement), statement.values, signal)).filter((r) =>
              asked.has(tableOf(r)),
            );
            if (rows.length > 0) return rows;
          }
          return undefined;
        },
        drain: async () => stop(),
        close: stop,
      };
    },
  };
}
