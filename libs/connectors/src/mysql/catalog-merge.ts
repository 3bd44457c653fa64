import {
  columnsStatement,
  foreignKeyColumnsStatement,
  foreignKeyRulesStatement,
  NameRange,
  statisticsStatement,
  tablesStatement,
  viewsStatement,
} from './catalog-sql';
import { foreignKeyPartsFromInformationSchema, indexPartsFromStatistics, isView, TableFacts } from './catalog-rows';
import { ServerDescription, statementText } from './flavor';
import {
  dictionaryForeignKeysStatement,
  dictionaryIndexesStatement,
  dictionaryName,
  dictionaryTableOf,
  ForeignKeyPart,
  foreignKeyPartsFromDictionary,
  IndexPart,
  indexPartsFromDictionary,
} from './innodb-dictionary';
import { RowSources, StatementFor } from './row-sources';
import { rowsInSequence, RowStream } from './row-stream';
import { MysqlSession, Row } from './session';
import { TableCursor } from './table-cursor';

/** Where a database's indexes and foreign keys are read from. */
export type KeySource = 'innodb-dictionary' | 'information-schema' | 'none';

export interface CatalogMergeContext {
  session: MysqlSession;
  server: ServerDescription;
  schema: string;
  keys: KeySource;
  /** Read storage facts with the tables (full runs). */
  withStorage: boolean;
  /** Ranges of names the tables are read in, one statement after another (see storageRanges). */
  tableRanges: NameRange[];
  /** Most tables held back for their keys (those the dictionary does not cover), read by name together. */
  groupSize: number;
  signal: AbortSignal;
}

/** Statements read side by side for one database: tables, columns, views, and the key source's. */
export function streamCount(keys: KeySource): number {
  return 3 + (keys === 'innodb-dictionary' ? 2 : keys === 'information-schema' ? 3 : 0);
}

interface KeyParts {
  indexes: IndexPart[];
  foreignKeys: ForeignKeyPart[];
}

/** One table's keys as the merge reaches it; undefined when they are to be read by name later. */
interface KeyReader {
  keysOf(table: string): Promise<KeyParts | undefined>;
  cursors: TableCursor[];
}

type OpenCursor = (statement: StatementFor, tableOf: (row: Row) => string) => Promise<TableCursor>;

const NO_KEYS: KeyParts = { indexes: [], foreignKeys: [] };
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const byName = (row: Row) => text(row.name);
const byTableName = (row: Row) => text(row.table_name);

/** Waits for every promise before throwing the first failure, so nothing opened goes unseen. */
async function settled<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * The facts of every table of a database in scope, one table at a time in name order: a merge
 * join of statements that each read one kind of fact for the whole database (or chunk after chunk,
 * see RowSources), sorted alike. Memory holds one table's facts, the streams' buffers, and at most
 * `groupSize` tables whose keys the InnoDB dictionary does not give, read by name together.
 */
export async function* mergeTableFacts(context: CatalogMergeContext, sources: RowSources): AsyncGenerator<TableFacts> {
  const { schema, server } = context;
  const flavor = server.flavor;
  const streams: RowStream[] = [];
  const openStream = async (statement: StatementFor, tableOf: (row: Row) => string) => {
    const stream = await sources.open(statement, tableOf);
    streams.push(stream);
    return stream;
  };
  const openCursor: OpenCursor = async (statement, tableOf) =>
    new TableCursor(await openStream(statement, tableOf), tableOf);
  const tablesIn =
    (range: NameRange): StatementFor =>
    (f) =>
      tablesStatement(schema, 'names' in f ? f : { ...f, range }, flavor, context.withStorage);
  const openTables = async () => {
    if (context.tableRanges.length <= 1) return openStream(tablesIn({}), byName);
    const stream = rowsInSequence(context.tableRanges.map((range) => () => sources.open(tablesIn(range), byName)));
    streams.push(stream);
    return stream;
  };
  let finished = false;
  try {
    const [tables, columns, views, keys] = await settled<[RowStream, TableCursor, TableCursor, KeyReader]>([
      openTables(),
      openCursor((f) => columnsStatement(schema, f, flavor), byTableName),
      openCursor((f) => viewsStatement(schema, f, flavor), byName),
      openKeyReader(context, openCursor),
    ]);

    let held: TableFacts[] = [];
    for (let rows = await tables.next(); rows; rows = await tables.next()) {
      for (const table of rows) {
        const name = text(table.name);
        const view = isView(table);
        const facts: TableFacts = {
          table,
          columns: await columns.take(name),
          indexes: [],
          foreignKeys: [],
          view: view ? (await views.take(name))[0] : undefined,
        };
        const parts = view ? NO_KEYS : await keys.keysOf(name);
        if (parts) {
          yield { ...facts, ...parts };
          continue;
        }
        held.push(facts);
        if (held.length >= context.groupSize) {
          yield* withKeysReadByName(context, held);
          held = [];
        }
      }
    }
    yield* withKeysReadByName(context, held);
    await Promise.all([columns, views, ...keys.cursors].map((c) => c.finish()));
    finished = true;
  } finally {
    if (!finished) for (const s of streams) s.close();
  }
}

async function openKeyReader(context: CatalogMergeContext, open: OpenCursor): Promise<KeyReader> {
  const { schema, server } = context;
  const flavor = server.flavor;
  switch (context.keys) {
    case 'none':
      return { keysOf: async () => NO_KEYS, cursors: [] };
    case 'information-schema': {
      const [statistics, columns, rules] = await settled<[TableCursor, TableCursor, TableCursor]>([
        open((f) => statisticsStatement(schema, f, flavor, withExpression(server)), byTableName),
        open((f) => foreignKeyColumnsStatement(schema, f, flavor), byTableName),
        open((f) => foreignKeyRulesStatement(schema, f, flavor), byTableName),
      ]);
      return {
        keysOf: async (table) => ({
          indexes: indexPartsFromStatistics(await statistics.take(table)),
          foreignKeys: foreignKeyPartsFromInformationSchema(await columns.take(table), await rules.take(table)),
        }),
        cursors: [statistics, columns, rules],
      };
    }
    case 'innodb-dictionary': {
      const [indexes, foreignKeys] = await settled<[TableCursor, TableCursor]>([
        open((f) => dictionaryIndexesStatement(schema, f), dictionaryTableOf),
        open((f) => dictionaryForeignKeysStatement(schema, f), dictionaryTableOf),
      ]);
      return {
        keysOf: async (table) => {
          // Names the dictionary stores encoded sort elsewhere there: read their keys by name.
          if (!dictionaryName(schema, table)) return undefined;
          const indexParts = indexPartsFromDictionary(table, await indexes.take(table));
          return (
            indexParts && {
              indexes: indexParts,
              foreignKeys: foreignKeyPartsFromDictionary(table, await foreignKeys.take(table)),
            }
          );
        },
        cursors: [indexes, foreignKeys],
      };
    }
  }
}

/** MySQL 8.0.13+ reports functional key parts as expressions. */
function withExpression(server: ServerDescription): boolean {
  return server.flavor === 'mysql' && Number(server.version.split('.')[0]) >= 8;
}

/** Tables the dictionary does not cover, with keys from information_schema: one statement per kind for them all. */
async function* withKeysReadByName(context: CatalogMergeContext, held: TableFacts[]): AsyncGenerator<TableFacts> {
  if (held.length === 0) return;
  const { session, schema, server, signal } = context;
  const flavor = server.flavor;
  const names = { names: held.map((f) => text(f.table.name)) };
  const run = (statement: ReturnType<StatementFor>) =>
    statement ? session.query(statementText(flavor, statement), statement.values, signal) : Promise.resolve([]);
  const [statistics, columns, rules] = await Promise.all([
    run(statisticsStatement(schema, names, flavor, withExpression(server))),
    run(foreignKeyColumnsStatement(schema, names, flavor)),
    run(foreignKeyRulesStatement(schema, names, flavor)),
  ]);
  const indexes = groupBy(indexPartsFromStatistics(statistics), (p) => p.table);
  const foreignKeys = groupBy(foreignKeyPartsFromInformationSchema(columns, rules), (p) => p.table);
  for (const facts of held) {
    const name = text(facts.table.name);
    yield { ...facts, indexes: indexes.get(name) ?? [], foreignKeys: foreignKeys.get(name) ?? [] };
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
