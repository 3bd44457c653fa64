import { globToLike } from '../core/scope';

/**
 * Catalog statements for MySQL-protocol servers. Every user value is a `?` placeholder; mysql2
 * expands an array bound to `IN (?)` into an escaped list. Scope globs become LIKE patterns with
 * `\` escaping wildcards (LIKE's default escape character on MySQL, MariaDB and Doris).
 *
 * Cost on MariaDB, whose information_schema reads table definitions on demand: TABLE_TYPE, ENGINE,
 * TABLE_COLLATION, TABLE_COMMENT and all of COLUMNS come from the table definition alone; ROW_FORMAT,
 * TABLE_ROWS, DATA_LENGTH, CREATE_TIME, AUTO_INCREMENT, STATISTICS and KEY_COLUMN_USAGE open every
 * table. Conditions on TABLE_SCHEMA / TABLE_NAME are applied before a table is opened, so a
 * statement limited to a chunk's names opens only those tables.
 */

export interface Statement {
  sql: string;
  values: unknown[];
}

/** `(col LIKE ? OR col LIKE ?)` for globs, or nothing when there are none. */
function anyLike(column: string, globs: string[] | undefined): Statement | undefined {
  if (!globs || globs.length === 0) return undefined;
  return { sql: `(${globs.map(() => `${column} LIKE ?`).join(' OR ')})`, values: globs.map(globToLike) };
}

function where(parts: Array<Statement | undefined>): Statement {
  const present = parts.filter((p): p is Statement => p !== undefined);
  return { sql: present.length ? `WHERE ${present.map((p) => p.sql).join(' AND ')}` : '', values: present.flatMap((p) => p.values) };
}

const not = (s: Statement | undefined): Statement | undefined => (s ? { sql: `NOT ${s.sql}`, values: s.values } : undefined);

/** Databases in scope; system databases only when named exactly in the include list. */
export function schemataStatement(include: string[] | undefined, exclude: string[] | undefined, systemSchemas: string[]): Statement {
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

/** Names of a database's tables and views in scope (no table is opened for this). */
export function tableNamesStatement(schema: string, include: string[] | undefined, exclude: string[] | undefined): Statement {
  const w = where([{ sql: 'TABLE_SCHEMA = ?', values: [schema] }, anyLike('TABLE_NAME', include), not(anyLike('TABLE_NAME', exclude))]);
  return { sql: `SELECT TABLE_NAME AS name FROM information_schema.TABLES ${w.sql} ORDER BY TABLE_NAME`, values: w.values };
}

const chunk = (schema: string, names: string[]) => [schema, names];

/** Definition-level table facts (cheap: read from the table definition). */
export function tablesStatement(schema: string, names: string[]): Statement {
  return {
    sql: `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine, TABLE_COLLATION AS collation, TABLE_COMMENT AS comment
FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)`,
    values: chunk(schema, names),
  };
}

/** Storage-level facts and statistics (these open each named table on MariaDB). */
export function tableStorageStatement(schema: string, names: string[]): Statement {
  return {
    sql: `SELECT TABLE_NAME AS name, ROW_FORMAT AS row_format, TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length,
       INDEX_LENGTH AS index_length, AUTO_INCREMENT AS auto_increment, CREATE_TIME AS create_time,
       UPDATE_TIME AS update_time, CREATE_OPTIONS AS create_options
FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)`,
    values: chunk(schema, names),
  };
}

export function columnsStatement(schema: string, names: string[], withGeneration: boolean): Statement {
  return {
    sql: `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, ORDINAL_POSITION AS ordinal, COLUMN_DEFAULT AS default_value,
       IS_NULLABLE AS nullable, COLUMN_TYPE AS data_type, CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation,
       COLUMN_KEY AS column_key, EXTRA AS extra, COLUMN_COMMENT AS comment${withGeneration ? ', GENERATION_EXPRESSION AS generation' : ''}
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)
ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    values: chunk(schema, names),
  };
}

export function viewsStatement(schema: string, names: string[]): Statement {
  return {
    sql: `SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition, DEFINER AS definer, CHECK_OPTION AS check_option,
       IS_UPDATABLE AS updatable, SECURITY_TYPE AS security_type
FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)`,
    values: chunk(schema, names),
  };
}

/** Index columns from information_schema (MySQL 8.0.13+ adds EXPRESSION for functional key parts). */
export function statisticsStatement(schema: string, names: string[], withExpression: boolean): Statement {
  return {
    sql: `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq,
       COLUMN_NAME AS column_name, INDEX_TYPE AS method${withExpression ? ', EXPRESSION AS expression' : ''}
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    values: chunk(schema, names),
  };
}

/**
 * Foreign-key columns from information_schema. Their rules come from REFERENTIAL_CONSTRAINTS in a
 * statement of its own: MariaDB joins two information_schema tables by re-reading one per row.
 */
export function foreignKeyColumnsStatement(schema: string, names: string[]): Statement {
  return {
    sql: `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, COLUMN_NAME AS column_name, ORDINAL_POSITION AS seq,
       REFERENCED_TABLE_SCHEMA AS ref_schema, REFERENCED_TABLE_NAME AS ref_table, REFERENCED_COLUMN_NAME AS ref_column
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?) AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
    values: chunk(schema, names),
  };
}

export function foreignKeyRulesStatement(schema: string, names: string[]): Statement {
  return {
    sql: `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, UPDATE_RULE AS update_rule, DELETE_RULE AS delete_rule
FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME IN (?)`,
    values: chunk(schema, names),
  };
}

/** What the connection test reads: how much of the catalog the account can see. */
export function visibleCatalogStatement(systemSchemas: string[]): Statement {
  return {
    sql: `SELECT COUNT(DISTINCT TABLE_SCHEMA) AS n_schemas, COUNT(*) AS n_tables FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN (?)`,
    values: [systemSchemas],
  };
}
