import { globToLike } from '../core/scope';
import { ServerFlavor } from './flavor';

/**
 * Catalog statements for MySQL-protocol servers. Every user value is a `?` placeholder; mysql2
 * expands an array bound to `IN (?)` into an escaped list. Scope globs become LIKE patterns with
 * `\` escaping wildcards (LIKE's default escape character on MySQL, MariaDB and Doris).
 *
 * Cost on MariaDB, whose information_schema reads table definitions on demand: TABLE_TYPE, ENGINE,
 * TABLE_COLLATION, TABLE_COMMENT and all of COLUMNS come from the table definition alone; ROW_FORMAT,
 * TABLE_ROWS, DATA_LENGTH, CREATE_TIME, AUTO_INCREMENT, STATISTICS and KEY_COLUMN_USAGE open every
 * table. Conditions on TABLE_SCHEMA / TABLE_NAME alone (equality, IN lists, LIKE) are applied
 * before a table is opened, so tables out of scope are never opened.
 */

export interface Statement {
  sql: string;
  values: unknown[];
  /** Session variables this statement needs for itself (MariaDB's `SET STATEMENT … FOR`). */
  settings?: string[];
}

/** `(col LIKE ? OR col LIKE ?)` for globs, or nothing when there are none. */
export function anyLike(column: string, globs: string[] | undefined): Statement | undefined {
  if (!globs || globs.length === 0) return undefined;
  return { sql: `(${globs.map(() => `${column} LIKE ?`).join(' OR ')})`, values: globs.map(globToLike) };
}

export function where(parts: Array<Statement | undefined>): Statement {
  const present = parts.filter((p): p is Statement => p !== undefined);
  return {
    sql: present.length ? `WHERE ${present.map((p) => p.sql).join(' AND ')}` : '',
    values: present.flatMap((p) => p.values),
  };
}

export const not = (s: Statement | undefined): Statement | undefined =>
  s ? { sql: `NOT ${s.sql}`, values: s.values } : undefined;

/** Databases in scope; system databases only when named exactly in the include list. */
export function schemataStatement(
  include: string[] | undefined,
  exclude: string[] | undefined,
  systemSchemas: string[],
): Statement {
  const named = new Set(include ?? []);
  const hidden = systemSchemas.filter((s) => !named.has(s));
  const w = where([
    anyLike('SCHEMA_NAME', include),
    not(anyLike('SCHEMA_NAME', exclude)),
    hidden.length ? { sql: 'SCHEMA_NAME NOT IN (?)', values: [hidden] } : undefined,
  ]);
  return {
    sql: `SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation
FROM information_schema.SCHEMATA ${w.sql} ORDER BY SCHEMA_NAME`,
    values: w.values,
  };
}

/**
 * Which of a database's tables a statement reads: those in scope (globs, one statement for the
 * whole database, or a range of it) or a chunk's names.
 */
export type TableFilter = { include?: string[]; exclude?: string[]; range?: NameRange } | { names: string[] };

/** Names from `from` (included) to `before` (excluded), in byte order; open where absent. */
export interface NameRange {
  from?: string;
  before?: string;
}

/**
 * Every statement read alongside others orders its rows by table name as bytes (UTF-8, so in
 * code-point order), never by information_schema's collation, which ignores case and accents:
 * under it `Abc`, `abc` and `ábc` tie. Doris compares strings by their bytes already and has no
 * BINARY.
 */
export function byNameBytes(column: string, flavor: ServerFlavor): string {
  return flavor === 'doris' ? column : `CAST(${column} AS BINARY)`;
}

/**
 * A chunk's names match under that collation too (and the connection's character set): `IN ('abc')`
 * also returns `Abc` and `ábc`. Readers keep the rows of the names they asked for.
 */
function tableCondition(filter: TableFilter, flavor: ServerFlavor): Array<Statement | undefined> {
  if ('names' in filter) return [{ sql: 'TABLE_NAME IN (?)', values: [filter.names] }];
  return [
    anyLike('TABLE_NAME', filter.include),
    not(anyLike('TABLE_NAME', filter.exclude)),
    ...rangeCondition(filter.range, flavor),
  ];
}

/** A range's bounds compared as bytes, the given names converted from the connection's character set first. */
function rangeCondition(range: NameRange | undefined, flavor: ServerFlavor): Array<Statement | undefined> {
  const name = byNameBytes('TABLE_NAME', flavor);
  const bound = flavor === 'doris' ? '?' : 'CAST(CONVERT(? USING utf8mb4) AS BINARY)';
  return [
    range?.from === undefined ? undefined : { sql: `${name} >= ${bound}`, values: [range.from] },
    range?.before === undefined ? undefined : { sql: `${name} < ${bound}`, values: [range.before] },
  ];
}

function inSchema(schemaColumn: string, schema: string, filter: TableFilter, flavor: ServerFlavor): Statement {
  return where([{ sql: `${schemaColumn} = ?`, values: [schema] }, ...tableCondition(filter, flavor)]);
}

/**
 * The first names of `parts` ranges of about equal size over a database's tables in scope (the
 * first range's is left out: it starts at the beginning). No table is opened for this.
 */
export function rangeStartsStatement(
  schema: string,
  scope: { include?: string[]; exclude?: string[] },
  flavor: ServerFlavor,
  parts: number,
): Statement {
  const w = inSchema('TABLE_SCHEMA', schema, scope, flavor);
  const order = byNameBytes('TABLE_NAME', flavor);
  return {
    sql: `SELECT name FROM (
  SELECT TABLE_NAME AS name, ROW_NUMBER() OVER (ORDER BY ${order}) - 1 AS position, COUNT(*) OVER () AS total
  FROM information_schema.TABLES ${w.sql}
) ranked
WHERE position > 0 AND MOD(position, CEIL(total / ?)) = 0 ORDER BY position`,
    values: [...w.values, parts],
  };
}

/** Names of a database's tables and views in scope (no table is opened for this). */
export function tableNamesStatement(
  schema: string,
  include: string[] | undefined,
  exclude: string[] | undefined,
  flavor: ServerFlavor = 'mysql',
): Statement {
  const w = inSchema('TABLE_SCHEMA', schema, { include, exclude }, flavor);
  return {
    sql: `SELECT TABLE_NAME AS name FROM information_schema.TABLES ${w.sql} ORDER BY ${byNameBytes('TABLE_NAME', flavor)}`,
    values: w.values,
  };
}

const STORAGE_COLUMNS = `ROW_FORMAT AS row_format, TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length,
       INDEX_LENGTH AS index_length, AUTO_INCREMENT AS auto_increment, CREATE_TIME AS create_time,
       UPDATE_TIME AS update_time, CREATE_OPTIONS AS create_options`;

/**
 * Table facts: definition-level ones (cheap: read from the table definition) and, when asked,
 * storage facts and statistics (these open every table on MariaDB).
 */
export function tablesStatement(
  schema: string,
  filter: TableFilter,
  flavor: ServerFlavor,
  withStorage: boolean,
): Statement {
  const w = inSchema('TABLE_SCHEMA', schema, filter, flavor);
  return {
    sql: `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine, TABLE_COLLATION AS collation, TABLE_COMMENT AS comment${withStorage ? `,\n       ${STORAGE_COLUMNS}` : ''}
FROM information_schema.TABLES ${w.sql}
ORDER BY ${byNameBytes('TABLE_NAME', flavor)}`,
    values: w.values,
  };
}

/** Storage facts and statistics of named tables (incremental runs read them for re-read tables only). */
export function tableStorageStatement(schema: string, names: string[], flavor: ServerFlavor): Statement {
  const w = inSchema('TABLE_SCHEMA', schema, { names }, flavor);
  return {
    sql: `SELECT TABLE_NAME AS name, ${STORAGE_COLUMNS}\nFROM information_schema.TABLES ${w.sql}`,
    values: w.values,
  };
}

export function columnsStatement(schema: string, filter: TableFilter, flavor: ServerFlavor): Statement {
  const w = inSchema('TABLE_SCHEMA', schema, filter, flavor);
  return {
    sql: `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, ORDINAL_POSITION AS ordinal, COLUMN_DEFAULT AS default_value,
       IS_NULLABLE AS nullable, COLUMN_TYPE AS data_type, CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation,
       COLUMN_KEY AS column_key, EXTRA AS extra, COLUMN_COMMENT AS comment${flavor === 'doris' ? '' : ', GENERATION_EXPRESSION AS generation'}
FROM information_schema.COLUMNS ${w.sql}
ORDER BY ${byNameBytes('TABLE_NAME', flavor)}, ORDINAL_POSITION`,
    values: w.values,
  };
}

export function viewsStatement(schema: string, filter: TableFilter, flavor: ServerFlavor): Statement {
  const w = inSchema('TABLE_SCHEMA', schema, filter, flavor);
  return {
    sql: `SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition, DEFINER AS definer, CHECK_OPTION AS check_option,
       IS_UPDATABLE AS updatable, SECURITY_TYPE AS security_type
FROM information_schema.VIEWS ${w.sql}
ORDER BY ${byNameBytes('TABLE_NAME', flavor)}`,
    values: w.values,
  };
}

/** Index columns from information_schema (MySQL 8.0.13+ adds EXPRESSION for functional key parts). */
export function statisticsStatement(
  schema: string,
  filter: TableFilter,
  flavor: ServerFlavor,
  withExpression: boolean,
): Statement {
  const w = inSchema('TABLE_SCHEMA', schema, filter, flavor);
  return {
    sql: `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq,
       COLUMN_NAME AS column_name, INDEX_TYPE AS method${withExpression ? ', EXPRESSION AS expression' : ''}
FROM information_schema.STATISTICS ${w.sql}
ORDER BY ${byNameBytes('TABLE_NAME', flavor)}, INDEX_NAME, SEQ_IN_INDEX`,
    values: w.values,
  };
}

/**
 * Foreign-key columns from information_schema. Their rules come from REFERENTIAL_CONSTRAINTS in a
 * statement of its own: MariaDB joins two information_schema tables by re-reading one per row.
 */
export function foreignKeyColumnsStatement(schema: string, filter: TableFilter, flavor: ServerFlavor): Statement {
  const w = inSchema('TABLE_SCHEMA', schema, filter, flavor);
  return {
    sql: `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, COLUMN_NAME AS column_name, ORDINAL_POSITION AS seq,
       REFERENCED_TABLE_SCHEMA AS ref_schema, REFERENCED_TABLE_NAME AS ref_table, REFERENCED_COLUMN_NAME AS ref_column
FROM information_schema.KEY_COLUMN_USAGE ${w.sql} AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY ${byNameBytes('TABLE_NAME', flavor)}, CONSTRAINT_NAME, ORDINAL_POSITION`,
    values: w.values,
  };
}

export function foreignKeyRulesStatement(schema: string, filter: TableFilter, flavor: ServerFlavor): Statement {
  const w = inSchema('CONSTRAINT_SCHEMA', schema, filter, flavor);
  return {
    sql: `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, UPDATE_RULE AS update_rule, DELETE_RULE AS delete_rule
FROM information_schema.REFERENTIAL_CONSTRAINTS ${w.sql}
ORDER BY ${byNameBytes('TABLE_NAME', flavor)}, CONSTRAINT_NAME`,
    values: w.values,
  };
}

/** What the connection test reads: how much of the catalog the account can see. */
export function visibleCatalogStatement(systemSchemas: string[]): Statement {
  return {
    sql: `SELECT COUNT(DISTINCT TABLE_SCHEMA) AS n_schemas, COUNT(*) AS n_tables FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN (?)`,
    values: [systemSchemas],
  };
}
