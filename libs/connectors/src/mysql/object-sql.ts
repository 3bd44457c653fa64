import { anyLike, not, Statement, where } from './catalog-sql';
import { ServerDescription } from './flavor';

/**
 * Statements for what a MySQL/MariaDB database holds beside tables' columns and keys: CHECK
 * constraints, partitions, routines with their parameters, triggers and column histograms. Each
 * reads one kind of object for a whole database, so their number does not grow with its tables.
 * Tables and triggers are scoped by the task's table globs on their table's name, routines on
 * their own name.
 */

export interface ObjectScope {
  include?: string[];
  exclude?: string[];
}

function scoped(schemaColumn: string, nameColumn: string, schema: string, scope: ObjectScope): Statement {
  return where([
    { sql: `${schemaColumn} = ?`, values: [schema] },
    anyLike(nameColumn, scope.include),
    not(anyLike(nameColumn, scope.exclude)),
  ]);
}

const major = (server: ServerDescription) => server.version.split('.').map(Number);

/** MariaDB 10.2 and MySQL 8.0.16 keep CHECK constraints (older servers parse and drop them). */
export function hasCheckConstraints(server: ServerDescription): boolean {
  const [a, b = 0, c = 0] = major(server);
  if (server.flavor === 'mariadb') return a > 10 || (a === 10 && b >= 2);
  if (server.flavor === 'mysql') return a > 8 || (a === 8 && (b > 0 || c >= 16));
  return false;
}

/**
 * CHECK constraints of the database's tables. MariaDB names the table in CHECK_CONSTRAINTS (and
 * whether a constraint was written on a column); MySQL only in TABLE_CONSTRAINTS, with ENFORCED.
 */
export function checkConstraintsStatement(server: ServerDescription, schema: string, scope: ObjectScope): Statement {
  if (server.flavor === 'mariadb') {
    const w = scoped('CONSTRAINT_SCHEMA', 'TABLE_NAME', schema, scope);
    return {
      sql: `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause, LEVEL AS level, 'YES' AS enforced
FROM information_schema.CHECK_CONSTRAINTS ${w.sql}
ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
      values: w.values,
    };
  }
  const w = scoped('tc.CONSTRAINT_SCHEMA', 'tc.TABLE_NAME', schema, scope);
  return {
    sql: `SELECT tc.TABLE_NAME AS table_name, tc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause, NULL AS level, tc.ENFORCED AS enforced
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
${w.sql} AND tc.CONSTRAINT_TYPE = 'CHECK'
ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME`,
    values: w.values,
  };
}

/**
 * Partitions (and subpartitions) of the database's partitioned tables, with their rows and
 * bytes. information_schema.PARTITIONS opens each table, like the storage facts of a full run.
 */
export function partitionsStatement(schema: string, scope: ObjectScope): Statement {
  const w = scoped('TABLE_SCHEMA', 'TABLE_NAME', schema, scope);
  return {
    sql: `SELECT TABLE_NAME AS table_name, PARTITION_NAME AS name, SUBPARTITION_NAME AS subpartition,
       PARTITION_ORDINAL_POSITION AS ordinal, SUBPARTITION_ORDINAL_POSITION AS sub_ordinal,
       PARTITION_METHOD AS method, SUBPARTITION_METHOD AS sub_method, PARTITION_EXPRESSION AS expression,
       SUBPARTITION_EXPRESSION AS sub_expression, PARTITION_DESCRIPTION AS description, TABLE_ROWS AS table_rows,
       DATA_LENGTH AS data_length, INDEX_LENGTH AS index_length, PARTITION_COMMENT AS comment
FROM information_schema.PARTITIONS ${w.sql} AND PARTITION_NAME IS NOT NULL
ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION`,
    values: w.values,
  };
}

/** Stored functions and procedures; ROUTINE_DEFINITION is NULL where the account may not read it. */
export function routinesStatement(schema: string, scope: ObjectScope): Statement {
  const w = scoped('ROUTINE_SCHEMA', 'ROUTINE_NAME', schema, scope);
  return {
    sql: `SELECT ROUTINE_NAME AS name, SPECIFIC_NAME AS specific_name, ROUTINE_TYPE AS type, DTD_IDENTIFIER AS return_type,
       ROUTINE_BODY AS body, ROUTINE_DEFINITION AS definition, EXTERNAL_LANGUAGE AS language, IS_DETERMINISTIC AS is_deterministic,
       SQL_DATA_ACCESS AS data_access, SECURITY_TYPE AS security_type, SQL_MODE AS sql_mode, ROUTINE_COMMENT AS comment,
       DEFINER AS definer, CREATED AS created, LAST_ALTERED AS last_altered
FROM information_schema.ROUTINES ${w.sql}
ORDER BY ROUTINE_TYPE, ROUTINE_NAME`,
    values: w.values,
  };
}

/** Parameters of the database's routines in scope; a function's return value is position 0, left out. */
export function parametersStatement(schema: string, scope: ObjectScope): Statement {
  const w = scoped('SPECIFIC_SCHEMA', 'SPECIFIC_NAME', schema, scope);
  return {
    sql: `SELECT SPECIFIC_NAME AS specific_name, ROUTINE_TYPE AS routine_type, ORDINAL_POSITION AS ordinal,
       PARAMETER_MODE AS mode, PARAMETER_NAME AS name, DTD_IDENTIFIER AS data_type,
       CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation
FROM information_schema.PARAMETERS ${w.sql} AND ORDINAL_POSITION > 0
ORDER BY ROUTINE_TYPE, SPECIFIC_NAME, ORDINAL_POSITION`,
    values: w.values,
  };
}

/** Triggers of the database's tables in scope. */
export function triggersStatement(schema: string, scope: ObjectScope): Statement {
  const w = scoped('EVENT_OBJECT_SCHEMA', 'EVENT_OBJECT_TABLE', schema, scope);
  return {
    sql: `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS table_name, EVENT_MANIPULATION AS event,
       ACTION_TIMING AS timing, ACTION_ORIENTATION AS level, ACTION_ORDER AS action_order,
       ACTION_STATEMENT AS body, SQL_MODE AS sql_mode, DEFINER AS definer, CREATED AS created,
       CHARACTER_SET_CLIENT AS charset_client, COLLATION_CONNECTION AS collation_connection
FROM information_schema.TRIGGERS ${w.sql}
ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME`,
    values: w.values,
  };
}

/**
 * Column histograms the server keeps: MariaDB's engine-independent statistics (mysql.column_stats,
 * filled by ANALYZE TABLE … PERSISTENT FOR), MySQL 8's information_schema.COLUMN_STATISTICS
 * (ANALYZE TABLE … UPDATE HISTOGRAM). Neither reads table data.
 */
export function histogramsStatement(server: ServerDescription, schema: string, scope: ObjectScope): Statement {
  if (server.flavor === 'mariadb') {
    const w = scoped('db_name', 'table_name', schema, scope);
    return {
      sql: `SELECT table_name, column_name, HEX(min_value) AS min_hex, HEX(max_value) AS max_hex, nulls_ratio,
       avg_length, avg_frequency, hist_size, hist_type, HEX(histogram) AS histogram_hex
FROM mysql.column_stats ${w.sql}
ORDER BY table_name, column_name`,
      values: w.values,
    };
  }
  const w = scoped('SCHEMA_NAME', 'TABLE_NAME', schema, scope);
  return {
    sql: `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, HISTOGRAM AS histogram
FROM information_schema.COLUMN_STATISTICS ${w.sql}
ORDER BY TABLE_NAME, COLUMN_NAME`,
    values: w.values,
  };
}
