import { Row, MysqlSession } from './session';

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
 */

const PLAIN = /^[A-Za-z0-9_]+$/;

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

export interface DictionaryRead {
  indexes: IndexPart[];
  foreignKeys: ForeignKeyPart[];
  /** Tables whose indexes and foreign keys the dictionary gave in full. */
  covered: Set<string>;
}

export async function readInnodbDictionary(session: MysqlSession, schema: string, tables: string[], signal: AbortSignal): Promise<DictionaryRead> {
  const byDictName = new Map<string, string>();
  for (const t of tables) {
    const n = dictionaryName(schema, t);
    if (n) byDictName.set(n, t);
  }
  const empty: DictionaryRead = { indexes: [], foreignKeys: [], covered: new Set() };
  if (byDictName.size === 0) return empty;
  const dictNames = [...byDictName.keys()];

  const [tableRows, foreignRows] = await Promise.all([
    session.query('SELECT TABLE_ID AS id, NAME AS name FROM information_schema.INNODB_SYS_TABLES WHERE NAME IN (?)', [dictNames], signal),
    session.query('SELECT ID AS id, FOR_NAME AS for_name, REF_NAME AS ref_name, TYPE AS type FROM information_schema.INNODB_SYS_FOREIGN WHERE FOR_NAME IN (?)', [dictNames], signal),
  ]);
  const tableById = new Map(tableRows.map((r) => [text(r.id), byDictName.get(text(r.name))!]));
  if (tableById.size === 0) return empty;

  const [indexRows, foreignColumnRows] = await Promise.all([
    session.query('SELECT TABLE_ID AS table_id, INDEX_ID AS id, NAME AS name, TYPE AS type FROM information_schema.INNODB_SYS_INDEXES WHERE TABLE_ID IN (?)', [[...tableById.keys()]], signal),
    foreignRows.length
      ? session.query('SELECT ID AS id, FOR_COL_NAME AS for_col, REF_COL_NAME AS ref_col, POS AS pos FROM information_schema.INNODB_SYS_FOREIGN_COLS WHERE ID IN (?) ORDER BY ID, POS', [foreignRows.map((r) => text(r.id))], signal)
      : Promise.resolve([] as Row[]),
  ]);
  const visible = indexRows.filter((r) => !HIDDEN_INDEXES.has(text(r.name)) && !((Number(r.type) & DICT_CLUSTERED) && text(r.name) !== 'PRIMARY'));
  const fieldRows = visible.length
    ? await session.query('SELECT INDEX_ID AS index_id, NAME AS name, POS AS pos FROM information_schema.INNODB_SYS_FIELDS WHERE INDEX_ID IN (?) ORDER BY INDEX_ID, POS', [visible.map((r) => text(r.id))], signal)
    : [];

  const covered = new Set(tableById.values());
  const indexById = new Map(visible.map((r) => [text(r.id), r]));
  const indexes: IndexPart[] = [];
  for (const f of fieldRows) {
    const index = indexById.get(text(f.index_id));
    if (!index) continue;
    const table = tableById.get(text(index.table_id))!;
    const column = text(f.name);
    // MariaDB's long UNIQUE keys index a hidden hash column; information_schema shows them as they were declared.
    if (column.startsWith('DB_ROW_HASH_')) covered.delete(table);
    const type = Number(index.type);
    indexes.push({
      table,
      index: text(index.name),
      unique: (type & DICT_UNIQUE) !== 0,
      method: type & DICT_FTS ? 'FULLTEXT' : type & DICT_SPATIAL ? 'SPATIAL' : 'BTREE',
      column,
      seq: Number(f.pos) + 1,
    });
  }

  const foreignById = new Map(foreignRows.map((r) => [text(r.id), r]));
  const foreignKeys: ForeignKeyPart[] = [];
  for (const c of foreignColumnRows) {
    const fk = foreignById.get(text(c.id));
    if (!fk) continue;
    const table = byDictName.get(text(fk.for_name));
    if (!table) continue;
    const ref = decodeDictionaryName(text(fk.ref_name));
    const slash = ref.indexOf('/');
    const id = text(fk.id);
    const type = Number(fk.type);
    foreignKeys.push({
      table,
      name: decodeDictionaryName(id.slice(id.indexOf('/') + 1)),
      column: text(c.for_col),
      seq: Number(c.pos) + 1,
      refSchema: ref.slice(0, slash),
      refTable: ref.slice(slash + 1),
      refColumn: text(c.ref_col),
      updateRule: rule(type, 4, 8, 32),
      deleteRule: rule(type, 1, 2, 16),
    });
  }
  return {
    indexes: indexes.filter((p) => covered.has(p.table)),
    foreignKeys: foreignKeys.filter((p) => covered.has(p.table)),
    covered,
  };
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
