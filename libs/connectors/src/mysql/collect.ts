import { assetKey } from '../core/scope';
import { AssetRef, CatalogAsset, CatalogBatch, CollectOptions } from '../core/types';
import {
  columnsStatement,
  foreignKeyColumnsStatement,
  foreignKeyRulesStatement,
  schemataStatement,
  Statement,
  statisticsStatement,
  tableNamesStatement,
  tablesStatement,
  tableStorageStatement,
  viewsStatement,
} from './catalog-sql';
import { applyStorage, changeSignal, foreignKeyPartsFromInformationSchema, indexPartsFromStatistics, isView, TableFacts, toAsset, toNamespace } from './catalog-rows';
import { ServerDescription } from './flavor';
import { canReadInnodbDictionary, ForeignKeyPart, IndexPart, readInnodbDictionary } from './innodb-dictionary';
import { MysqlSession, Row } from './session';

/** Tables read per chunk: bounds memory (a chunk's columns, indexes and keys) whatever the source's size. */
export const DEFAULT_CHUNK_SIZE = 2000;

export interface EnrichContext {
  session: MysqlSession;
  server: ServerDescription;
  schema: string;
  /** Base tables about to be emitted (views excluded); enrich them in place. */
  tables: CatalogAsset[];
  signal: AbortSignal;
}

/** What differs between the MySQL-protocol source types sharing this reader. */
export interface MysqlFamily {
  /** Databases left out unless a task names them exactly. */
  systemSchemas: string[];
  /** Adds type-specific facts (Doris: data model, partitions, buckets) to emitted tables. */
  enrich?(context: EnrichContext): Promise<void>;
}

export interface MysqlCollectTuning {
  chunkSize?: number;
  /** Read MariaDB's InnoDB dictionary for indexes and foreign keys where the account may (default true). */
  innodbDictionary?: boolean;
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

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

const dictionaryReadable = new WeakMap<MysqlSession, Promise<boolean>>();

/**
 * Streams the catalog of every database in scope. Per database: one statement for its table
 * names; per chunk of names: tables and columns, then indexes, foreign keys and view definitions
 * (from MariaDB's InnoDB dictionary where readable, else information_schema), then storage facts
 * and statistics for the tables that are emitted. Statements grow with chunks, never per table;
 * memory holds the current chunk and the one read ahead.
 */
export async function* collectMysqlFamily(
  session: MysqlSession,
  family: MysqlFamily,
  options: CollectOptions,
  tuning: MysqlCollectTuning = {},
): AsyncGenerator<CatalogBatch> {
  const { signal, scope } = options;
  const chunkSize = tuning.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const batchSize = Math.max(1, options.batchSize || 500);
  const server = await session.describe(signal);
  let dictionary = false;
  if (server.flavor === 'mariadb' && tuning.innodbDictionary !== false) {
    if (!dictionaryReadable.has(session)) dictionaryReadable.set(session, canReadInnodbDictionary(session, signal));
    dictionary = await dictionaryReadable.get(session)!;
  }
  const run = (s: Statement) => session.query(s.sql, s.values, signal);

  // A configured database narrows an unscoped task to that database.
  const include = scope.includeSchemas?.length ? scope.includeSchemas : session.settings.database ? [session.settings.database] : undefined;
  const schemata = await run(schemataStatement(include, scope.excludeSchemas, family.systemSchemas));
  yield { namespaces: schemata.map(toNamespace), assets: [] };

  let done = 0;
  for (const schemaRow of schemata) {
    const schema = text(schemaRow.name);
    const names = (await run(tableNamesStatement(schema, scope.includeTables, scope.excludeTables))).map((r) => text(r.name));
    const all = [...chunks(names, chunkSize)];
    // A full run needs every table's storage facts: read them alongside the definitions.
    const start = (chunk: string[]) => {
      const storage = options.mode === 'full' ? run(tableStorageStatement(schema, chunk)) : undefined;
      const facts = readChunk(session, server, schema, chunk, dictionary, signal);
      storage?.catch(() => undefined);
      facts.catch(() => undefined);
      return { storage, facts };
    };
    let next = all.length > 0 ? start(all[0]) : undefined;
    for (let k = 0; k < all.length; k++) {
      const chunk = all[k];
      const current = next!;
      const facts = await current.facts;
      const storageAhead = current.storage;
      // Read the next chunk while this one is finished and consumed (one chunk ahead at most).
      next = k + 1 < all.length ? start(all[k + 1]) : undefined;
      const emitted: CatalogAsset[] = [];
      const unchanged: AssetRef[] = [];
      for (const f of facts) {
        const signalValue = changeSignal(f);
        const name = text(f.table.name);
        const previous = options.mode === 'incremental' ? options.previousSignals?.get(assetKey(schema, name)) : undefined;
        if (previous !== undefined && previous === signalValue) unchanged.push({ namespace: schema, name });
        else emitted.push(toAsset(schema, f, server.flavor, signalValue));
      }
      const tables = emitted.filter((a) => a.kind === 'table');
      if (options.mode !== 'schema_only' && tables.length > 0) {
        const rows = storageAhead ? await storageAhead : await run(tableStorageStatement(schema, tables.map((t) => t.name)));
        const storage = new Map(rows.map((r) => [text(r.name), r]));
        for (const t of tables) {
          const row = storage.get(t.name);
          if (row) applyStorage(t, row);
        }
      }
      if (family.enrich && tables.length > 0) await family.enrich({ session, server, schema, tables, signal });

      const batches = [...chunks(emitted, batchSize)];
      if (batches.length === 0 && unchanged.length > 0) batches.push([]);
      for (let i = 0; i < batches.length; i++) {
        const batch: CatalogBatch = { assets: batches[i] };
        if (i === batches.length - 1 && unchanged.length > 0) batch.unchanged = unchanged;
        yield batch;
      }
      done += chunk.length;
      options.onProgress?.(done);
    }
  }
}

/** Reads what defines each table of a chunk: tables and columns, then indexes, foreign keys, views. */
async function readChunk(session: MysqlSession, server: ServerDescription, schema: string, names: string[], dictionary: boolean, signal: AbortSignal): Promise<TableFacts[]> {
  const run = (s: Statement) => session.query(s.sql, s.values, signal);
  const withGeneration = server.flavor !== 'doris';
  const [tables, columns] = await Promise.all([run(tablesStatement(schema, names)), run(columnsStatement(schema, names, withGeneration))]);
  const baseTables = tables.filter((t) => !isView(t)).map((t) => text(t.name));
  const views = tables.filter(isView).map((t) => text(t.name));

  const [keys, viewRows] = await Promise.all([readKeys(session, server, schema, baseTables, dictionary, signal), views.length ? run(viewsStatement(schema, views)) : Promise.resolve([] as Row[])]);

  const columnsByTable = groupBy(columns, (c) => text(c.table_name));
  const indexesByTable = groupBy(keys.indexes, (p) => p.table);
  const foreignByTable = groupBy(keys.foreignKeys, (p) => p.table);
  const viewByName = new Map(viewRows.map((v) => [text(v.name), v]));
  return tables
    .sort((a, b) => (text(a.name) < text(b.name) ? -1 : 1))
    .map((table) => {
      const name = text(table.name);
      return {
        table,
        columns: columnsByTable.get(name) ?? [],
        indexes: indexesByTable.get(name) ?? [],
        foreignKeys: foreignByTable.get(name) ?? [],
        view: viewByName.get(name),
      };
    });
}

async function readKeys(
  session: MysqlSession,
  server: ServerDescription,
  schema: string,
  tables: string[],
  dictionary: boolean,
  signal: AbortSignal,
): Promise<{ indexes: IndexPart[]; foreignKeys: ForeignKeyPart[] }> {
  // Doris has neither foreign keys nor MySQL-style indexes in information_schema.
  if (tables.length === 0 || server.flavor === 'doris') return { indexes: [], foreignKeys: [] };
  const fromDictionary = dictionary ? await readInnodbDictionary(session, schema, tables, signal) : { indexes: [], foreignKeys: [], covered: new Set<string>() };
  const rest = tables.filter((t) => !fromDictionary.covered.has(t));
  if (rest.length === 0) return fromDictionary;
  const withExpression = server.flavor === 'mysql' && Number(server.version.split('.')[0]) >= 8;
  const run = (s: Statement) => session.query(s.sql, s.values, signal);
  const [statistics, foreignColumns, foreignRules] = await Promise.all([
    run(statisticsStatement(schema, rest, withExpression)),
    run(foreignKeyColumnsStatement(schema, rest)),
    run(foreignKeyRulesStatement(schema, rest)),
  ]);
  return {
    indexes: [...fromDictionary.indexes, ...indexPartsFromStatistics(statistics)],
    foreignKeys: [...fromDictionary.foreignKeys, ...foreignKeyPartsFromInformationSchema(foreignColumns, foreignRules)],
  };
}
