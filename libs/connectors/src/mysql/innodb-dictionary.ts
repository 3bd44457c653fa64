import { Statement, TableFilter } from './catalog-sql';
import { MysqlSession, Row } from './session';

/** One column of one index, from whichever source read it. */
export interface IndexPart {
  table: string;
  index: string;
  unique: boolean;
  method: string;
  column: string;
  seq: number;
}

/** One column of one foreign key. */
export interface ForeignKeyPart {
  table: string;
  name: string;
  column: string;
  seq: number;
  refSchema: string;
  refTable: string;
  refColumn: string;
  updateRule: string;
  deleteRule: string;
}

/**
 * MariaDB's InnoDB data dictionary (INNODB_SYS_* tables, readable with the PROCESS privilege)
 * gives indexes and foreign keys without opening any table, where information_schema.STATISTICS
 * and KEY_COLUMN_USAGE open every one. It covers InnoDB tables whose database and table names
 * need no file-name encoding and are not partitioned; the rest are read from information_schema.
 * Its tables are filled whole whatever the condition, so one statement per database costs no more
 * than one per chunk.
 */

const PLAIN = /^[A-Za-z0-9_]+$/;

/** Whether the dictionary names this database's entries unencoded (else it covers none of its tables). */
export function dictionaryNamesDatabase(schema: string): boolean {
  return PLAIN.test(schema);
}

/** The dictionary's `db/table` name, when both parts are stored unencoded. */
export function dictionaryName(schema: string, table: string): string | undefined {
  return PLAIN.test(schema) && PLAIN.test(table) ? `${schema}/${table}` : undefined;
}

/** Undoes the `@XXXX` escapes of MySQL's file-name encoding (enough for referenced names). */
export function decodeDictionaryName(encoded: string): string {
  return encoded.replace(/@([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// dict0mem.h: index type bits and foreign-key rule bits.
const DICT_CLUSTERED = 1;
const DICT_UNIQUE = 2;
const DICT_FTS = 32;
const DICT_SPATIAL = 64;
/** InnoDB's own indexes, never shown by information_schema.STATISTICS. */
const HIDDEN_INDEXES = new Set(['GEN_CLUST_INDEX', 'FTS_DOC_ID_INDEX']);

function rule(type: number, cascade: number, setNull: number, noAction: number): string {
  if (type & cascade) return 'CASCADE';
  if (type & setNull) return 'SET NULL';
  if (type & noAction) return 'NO ACTION';
  return 'RESTRICT';
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

const LIKE_WILDCARDS = /[\\%_]/g;

/**
 * The dictionary names a statement reads: every `schema/…` entry (a whole database, in one
 * statement) or a chunk's tables. Compared as bytes (plain names are ASCII in any character set):
 * the column's collation ignores case, and `Sales/…` is another database's entry. Undefined when
 * the dictionary names none of them.
 */
function dictionaryFilter(
  column: string,
  schema: string,
  filter: TableFilter,
): { sql: string; value: unknown } | undefined {
  if (!dictionaryNamesDatabase(schema)) return undefined;
  if (!('names' in filter))
    return { sql: `CAST(${column} AS BINARY) LIKE ?`, value: `${schema.replace(LIKE_WILDCARDS, '\\$&')}/%` };
  const names = filter.names.map((t) => dictionaryName(schema, t)).filter((n): n is string => n !== undefined);
  return names.length ? { sql: `CAST(${column} AS BINARY) IN (?)`, value: names } : undefined;
}

/**
 * Information_schema tables are read into temporary tables without keys; kept as derived tables
 * (no merging) they get keys on their join columns, where a plain join compares every pair of rows.
 */
const KEYED_JOIN = ["optimizer_switch = 'derived_merge=off'"];

/**
 * Every index column of every dictionary table in the filter, in table-name order (the entry's
 * bytes, as `byTableName` orders the other statements). A table without any index still has one
 * row, with no index: it is in the dictionary, so the dictionary covers it.
 */
export function dictionaryIndexesStatement(schema: string, filter: TableFilter): Statement | undefined {
  const names = dictionaryFilter('NAME', schema, filter);
  if (!names) return undefined;
  return {
    sql: `SELECT t.NAME AS dict_name, i.NAME AS index_name, i.TYPE AS type, f.NAME AS column_name, f.POS AS pos
FROM (SELECT TABLE_ID, NAME FROM information_schema.INNODB_SYS_TABLES WHERE ${names.sql}) t
LEFT JOIN (SELECT TABLE_ID, INDEX_ID, NAME, TYPE FROM information_schema.INNODB_SYS_INDEXES) i ON i.TABLE_ID = t.TABLE_ID
LEFT JOIN (SELECT INDEX_ID, NAME, POS FROM information_schema.INNODB_SYS_FIELDS) f ON f.INDEX_ID = i.INDEX_ID
ORDER BY CAST(t.NAME AS BINARY), i.INDEX_ID, f.POS`,
    values: [names.value],
    settings: KEYED_JOIN,
  };
}

/** Every foreign-key column of the dictionary tables in the filter, in table-name order. */
export function dictionaryForeignKeysStatement(schema: string, filter: TableFilter): Statement | undefined {
  const names = dictionaryFilter('FOR_NAME', schema, filter);
  if (!names) return undefined;
  return {
    sql: `SELECT f.FOR_NAME AS dict_name, f.ID AS id, f.REF_NAME AS ref_name, f.TYPE AS type, c.FOR_COL_NAME AS for_col, c.REF_COL_NAME AS ref_col, c.POS AS pos
FROM (SELECT ID, FOR_NAME, REF_NAME, TYPE FROM information_schema.INNODB_SYS_FOREIGN WHERE ${names.sql}) f
JOIN (SELECT ID, FOR_COL_NAME, REF_COL_NAME, POS FROM information_schema.INNODB_SYS_FOREIGN_COLS) c ON c.ID = f.ID
ORDER BY CAST(f.FOR_NAME AS BINARY), f.ID, c.POS`,
    values: [names.value],
    settings: KEYED_JOIN,
  };
}

/**
 * The table a dictionary row belongs to: its entry without `schema/`, which every row of a
 * statement shares exactly (the filter compares bytes), so rows order by it as by the entry.
 */
export function dictionaryTableOf(row: Row): string {
  const entry = text(row.dict_name);
  return entry.slice(entry.indexOf('/') + 1);
}

/**
 * One table's indexes from its rows of `dictionaryIndexesStatement`; undefined when the
 * dictionary does not describe them as information_schema would (no rows: not an InnoDB table
 * the dictionary names plainly; MariaDB's long UNIQUE keys, which index a hidden hash column).
 */
export function indexPartsFromDictionary(table: string, rows: Row[]): IndexPart[] | undefined {
  if (rows.length === 0) return undefined;
  const parts: IndexPart[] = [];
  for (const r of rows) {
    if (r.column_name === null || r.column_name === undefined) continue;
    const name = text(r.index_name);
    const type = Number(r.type);
    if (HIDDEN_INDEXES.has(name) || ((type & DICT_CLUSTERED) !== 0 && name !== 'PRIMARY')) continue;
    const column = text(r.column_name);
    if (column.startsWith('DB_ROW_HASH_')) return undefined;
    parts.push({
      table,
      index: name,
      unique: (type & DICT_UNIQUE) !== 0,
      method: type & DICT_FTS ? 'FULLTEXT' : type & DICT_SPATIAL ? 'SPATIAL' : 'BTREE',
      column,
      seq: Number(r.pos) + 1,
    });
  }
  return parts;
}

/** One table's foreign keys from its rows of `dictionaryForeignKeysStatement`. */
export function foreignKeyPartsFromDictionary(table: string, rows: Row[]): ForeignKeyPart[] {
  return rows.map((r) => {
    const ref = decodeDictionaryName(text(r.ref_name));
    const slash = ref.indexOf('/');
    const id = text(r.id);
    const type = Number(r.type);
    return {
      table,
      name: decodeDictionaryName(id.slice(id.indexOf('/') + 1)),
      column: text(r.for_col),
      seq: Number(r.pos) + 1,
      refSchema: ref.slice(0, slash),
      refTable: ref.slice(slash + 1),
      refColumn: text(r.ref_col),
      updateRule: rule(type, 4, 8, 32),
      deleteRule: rule(type, 1, 2, 16),
    };
  });
}

/** Whether this account may read the InnoDB dictionary (MariaDB needs PROCESS for it). */
export async function canReadInnodbDictionary(session: MysqlSession, signal: AbortSignal): Promise<boolean> {
  try {
    // LIMIT 1, not 0: the privilege is checked when the table is filled.
    await session.query('SELECT ID FROM information_schema.INNODB_SYS_FOREIGN LIMIT 1', [], signal);
    await session.query('SELECT TABLE_ID FROM information_schema.INNODB_SYS_TABLES LIMIT 1', [], signal);
    return true;
  } catch {
    return false;
  }
}
