import { CollectScope } from '../core/types';
import { NamedBinds, scopeCondition } from '../sql-shared/scope-binds';

/**
 * The dictionary queries, one per view per schema, whatever the number of tables. Every value —
 * the owner, scope globs (as `LIKE … ESCAPE '\'` patterns), names of changed tables — is a bind
 * variable; the SQL text is constant apart from the number of placeholders.
 */
export interface BoundQuery {
  sql: string;
  binds: Record<string, string | number>;
}

/** Which tables of a schema a query covers: those matching the scope globs, or a list of names. */
export type TableFilter = { scope: CollectScope } | { names: readonly string[] };

/** Oracle allows 1000 expressions in an IN list; larger sets of changed tables use the scope and are filtered after. */
export const MAX_BOUND_NAMES = 500;

const DATE_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS'`;

function tableCondition(column: string, filter: TableFilter, binds: NamedBinds): string {
  if ('names' in filter) return `${column} IN (${filter.names.map((n) => binds.add(n)).join(', ')})`;
  return scopeCondition(column, filter.scope.includeTables, filter.scope.excludeTables, binds.add);
}

function build(parts: (binds: NamedBinds) => string): BoundQuery {
  const binds = new NamedBinds('b');
  const sql = parts(binds);
  return { sql, binds: binds.values };
}

/**
 * Schemas: owners with at least one table or view the account can see. Oracle-maintained ones
 * (ALL_USERS.ORACLE_MAINTAINED, 12.1+) are left out unless asked for.
 */
export function ownersQuery(scope: CollectScope, includeSystem: boolean): BoundQuery {
  return build((b) => {
    const conditions = [scopeCondition('u.USERNAME', scope.includeSchemas, scope.excludeSchemas, b.add)];
    if (!includeSystem) conditions.push("u.ORACLE_MAINTAINED = 'N'");
    conditions.push(
      "EXISTS (SELECT 1 FROM ALL_OBJECTS o WHERE o.OWNER = u.USERNAME AND o.OBJECT_TYPE IN ('TABLE', 'VIEW', 'MATERIALIZED VIEW'))",
    );
    return `SELECT u.USERNAME FROM ALL_USERS u WHERE ${conditions.join(' AND ')} ORDER BY u.USERNAME`;
  });
}

/** Tables, views and materialized views with LAST_DDL_TIME and STATUS, the change signal (with their dependencies'). */
export function objectsQuery(owner: string, scope: CollectScope): BoundQuery {
  return build(
    (b) =>
      `SELECT o.OBJECT_NAME, o.OBJECT_TYPE, TO_CHAR(o.LAST_DDL_TIME, ${DATE_FORMAT}) AS LAST_DDL_TIME, o.STATUS ` +
      `FROM ALL_OBJECTS o WHERE o.OWNER = ${b.add(owner)} AND o.OBJECT_TYPE IN ('TABLE', 'VIEW', 'MATERIALIZED VIEW') ` +
      `AND o.SUBOBJECT_NAME IS NULL AND o.GENERATED = 'N' AND o.OBJECT_NAME NOT LIKE 'BIN$%' AND ${tableCondition('o.OBJECT_NAME', { scope }, b)} ` +
      'ORDER BY o.OBJECT_NAME, o.OBJECT_TYPE',
  );
}

/** Heap, index-organized, temporary and external tables; nested, secondary and dropped ones are left out. */
export function tablesQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT t.TABLE_NAME, t.TABLESPACE_NAME, t.NUM_ROWS, t.BLOCKS, t.AVG_ROW_LEN, ' +
      `TO_CHAR(t.LAST_ANALYZED, ${DATE_FORMAT}) AS LAST_ANALYZED, t.PARTITIONED, t.TEMPORARY, t.IOT_TYPE, t.COMPRESSION ` +
      `FROM ALL_TABLES t WHERE t.OWNER = ${b.add(owner)} AND t.NESTED = 'NO' AND t.SECONDARY = 'N' AND t.DROPPED = 'NO' ` +
      `AND (t.IOT_TYPE IS NULL OR t.IOT_TYPE = 'IOT') AND ${tableCondition('t.TABLE_NAME', filter, b)}`,
  );
}

export function partitioningQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT p.TABLE_NAME, p.PARTITIONING_TYPE, p.SUBPARTITIONING_TYPE, p.PARTITION_COUNT, k.COLUMN_NAME, k.COLUMN_POSITION ' +
      "FROM ALL_PART_TABLES p LEFT JOIN ALL_PART_KEY_COLUMNS k ON k.OWNER = p.OWNER AND k.NAME = p.TABLE_NAME AND k.OBJECT_TYPE = 'TABLE' " +
      `WHERE p.OWNER = ${b.add(owner)} AND ${tableCondition('p.TABLE_NAME', filter, b)} ORDER BY p.TABLE_NAME, k.COLUMN_POSITION`,
  );
}

export function externalTablesQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT e.TABLE_NAME, e.TYPE_NAME, e.DEFAULT_DIRECTORY_NAME FROM ALL_EXTERNAL_TABLES e ' +
      `WHERE e.OWNER = ${b.add(owner)} AND ${tableCondition('e.TABLE_NAME', filter, b)}`,
  );
}

export function mviewsQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT m.MVIEW_NAME, m.REFRESH_MODE, m.REFRESH_METHOD, m.BUILD_MODE, m.FAST_REFRESHABLE, m.UPDATABLE, m.QUERY FROM ALL_MVIEWS m ' +
      `WHERE m.OWNER = ${b.add(owner)} AND ${tableCondition('m.MVIEW_NAME', filter, b)}`,
  );
}

/** Columns of tables, views and materialized views; DATA_DEFAULT is a LONG, fetched as text by the driver. */
export function columnsQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_ID, c.DATA_TYPE, c.DATA_TYPE_OWNER, c.DATA_LENGTH, c.DATA_PRECISION, c.DATA_SCALE, ' +
      'c.CHAR_LENGTH, c.CHAR_USED, c.NULLABLE, c.DATA_DEFAULT, c.IDENTITY_COLUMN FROM ALL_TAB_COLUMNS c ' +
      `WHERE c.OWNER = ${b.add(owner)} AND ${tableCondition('c.TABLE_NAME', filter, b)} ORDER BY c.TABLE_NAME, c.COLUMN_ID`,
  );
}

/** Table and materialized-view comments in one statement. */
export function tableCommentsQuery(owner: string, filter: TableFilter): BoundQuery {
  return build((b) => {
    const ownerBind = b.add(owner);
    return (
      `SELECT c.TABLE_NAME, c.COMMENTS FROM ALL_TAB_COMMENTS c WHERE c.OWNER = ${ownerBind} AND c.COMMENTS IS NOT NULL AND ${tableCondition('c.TABLE_NAME', filter, b)} ` +
      `UNION ALL SELECT m.MVIEW_NAME AS TABLE_NAME, m.COMMENTS FROM ALL_MVIEW_COMMENTS m WHERE m.OWNER = ${ownerBind} AND m.COMMENTS IS NOT NULL AND ${tableCondition('m.MVIEW_NAME', filter, b)}`
    );
  });
}

export function columnCommentsQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COMMENTS FROM ALL_COL_COMMENTS c ' +
      `WHERE c.OWNER = ${b.add(owner)} AND c.COMMENTS IS NOT NULL AND ${tableCondition('c.TABLE_NAME', filter, b)}`,
  );
}

/** Primary, unique and foreign keys with their columns and, for foreign keys, the referenced columns. */
export function constraintsQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, c.DELETE_RULE, c.STATUS, cc.COLUMN_NAME, cc.POSITION, ' +
      'c.R_OWNER, rc.TABLE_NAME AS R_TABLE_NAME, rc.COLUMN_NAME AS R_COLUMN_NAME ' +
      'FROM ALL_CONSTRAINTS c ' +
      'JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND cc.TABLE_NAME = c.TABLE_NAME ' +
      'LEFT JOIN ALL_CONS_COLUMNS rc ON rc.OWNER = c.R_OWNER AND rc.CONSTRAINT_NAME = c.R_CONSTRAINT_NAME AND rc.POSITION = cc.POSITION ' +
      `WHERE c.OWNER = ${b.add(owner)} AND c.CONSTRAINT_TYPE IN ('P', 'U', 'R') AND ${tableCondition('c.TABLE_NAME', filter, b)} ` +
      'ORDER BY c.TABLE_NAME, c.CONSTRAINT_NAME, cc.POSITION',
  );
}

/** Indexes on the schema's tables (whoever owns the index), with their columns; LOB indexes are left out. */
export function indexesQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT i.TABLE_NAME, i.OWNER AS INDEX_OWNER, i.INDEX_NAME, i.INDEX_TYPE, i.UNIQUENESS, ic.COLUMN_NAME, ic.COLUMN_POSITION, ic.DESCEND ' +
      'FROM ALL_INDEXES i JOIN ALL_IND_COLUMNS ic ON ic.INDEX_OWNER = i.OWNER AND ic.INDEX_NAME = i.INDEX_NAME ' +
      `WHERE i.TABLE_OWNER = ${b.add(owner)} AND i.INDEX_TYPE <> 'LOB' AND ${tableCondition('i.TABLE_NAME', filter, b)} ` +
      'ORDER BY i.TABLE_NAME, i.INDEX_NAME, ic.COLUMN_POSITION',
  );
}

/** Expressions of function-based index columns (which ALL_IND_COLUMNS names SYS_NC…$). */
export function indexExpressionsQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT e.INDEX_OWNER, e.INDEX_NAME, e.COLUMN_POSITION, e.COLUMN_EXPRESSION FROM ALL_IND_EXPRESSIONS e ' +
      `WHERE e.TABLE_OWNER = ${b.add(owner)} AND ${tableCondition('e.TABLE_NAME', filter, b)}`,
  );
}

/** View definitions: TEXT is a LONG, fetched as text by the driver. */
export function viewsQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT v.VIEW_NAME, v.TEXT, v.READ_ONLY, v.EDITIONING_VIEW FROM ALL_VIEWS v ' +
      `WHERE v.OWNER = ${b.add(owner)} AND ${tableCondition('v.VIEW_NAME', filter, b)}`,
  );
}

/**
 * CHECK constraints (type 'C') with their columns; SEARCH_CONDITION is a LONG. NOT NULL
 * constraints are type 'C' too; the reader leaves out the ones Oracle generated for NOT NULL.
 */
export function checksQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, c.SEARCH_CONDITION, c.STATUS, c.VALIDATED, c.GENERATED, ' +
      'cc.COLUMN_NAME, cc.POSITION FROM ALL_CONSTRAINTS c ' +
      'LEFT JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND cc.TABLE_NAME = c.TABLE_NAME ' +
      `WHERE c.OWNER = ${b.add(owner)} AND c.CONSTRAINT_TYPE = 'C' AND ${tableCondition('c.TABLE_NAME', filter, b)} ` +
      'ORDER BY c.TABLE_NAME, c.CONSTRAINT_NAME, cc.POSITION',
  );
}

/** Partitions of partitioned tables in order, with their bound (HIGH_VALUE, a LONG) and optimizer statistics. */
export function tablePartitionsQuery(owner: string, filter: TableFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT p.TABLE_NAME, p.PARTITION_NAME, p.PARTITION_POSITION, p.HIGH_VALUE, p.SUBPARTITION_COUNT, p.TABLESPACE_NAME, ' +
      `p.NUM_ROWS, p.AVG_ROW_LEN, TO_CHAR(p.LAST_ANALYZED, ${DATE_FORMAT}) AS LAST_ANALYZED, p.COMPRESSION ` +
      `FROM ALL_TAB_PARTITIONS p WHERE p.TABLE_OWNER = ${b.add(owner)} AND ${tableCondition('p.TABLE_NAME', filter, b)} ` +
      'ORDER BY p.TABLE_NAME, p.PARTITION_POSITION',
  );
}

/**
 * What each object's entry shows of other objects, with their LAST_DDL_TIME: the tables and views
 * a view or materialized view reads (ALL_DEPENDENCIES) and the tables foreign keys reference
 * (ALL_CONSTRAINTS). A change to one of them changes the dependent's signal.
 */
export function dependenciesQuery(owner: string, scope: CollectScope): BoundQuery {
  return build((b) => {
    const ownerBind = b.add(owner);
    return (
      `SELECT d.NAME, r.OWNER AS R_OWNER, r.OBJECT_NAME AS R_NAME, r.OBJECT_TYPE AS R_TYPE, TO_CHAR(r.LAST_DDL_TIME, ${DATE_FORMAT}) AS R_LAST_DDL_TIME ` +
      'FROM (SELECT x.NAME, x.REFERENCED_OWNER AS R_OWNER, x.REFERENCED_NAME AS R_NAME FROM ALL_DEPENDENCIES x ' +
      `WHERE x.OWNER = ${ownerBind} AND x.TYPE IN ('VIEW', 'MATERIALIZED VIEW') ` +
      'UNION SELECT c.TABLE_NAME AS NAME, p.OWNER AS R_OWNER, p.TABLE_NAME AS R_NAME FROM ALL_CONSTRAINTS c ' +
      'JOIN ALL_CONSTRAINTS p ON p.OWNER = c.R_OWNER AND p.CONSTRAINT_NAME = c.R_CONSTRAINT_NAME ' +
      `WHERE c.OWNER = ${ownerBind} AND c.CONSTRAINT_TYPE = 'R') d ` +
      "JOIN ALL_OBJECTS r ON r.OWNER = d.R_OWNER AND r.OBJECT_NAME = d.R_NAME AND r.SUBOBJECT_NAME IS NULL AND r.OBJECT_TYPE IN ('TABLE', 'VIEW', 'MATERIALIZED VIEW', 'TYPE', 'SYNONYM') " +
      `WHERE ${tableCondition('d.NAME', { scope }, b)} ORDER BY d.NAME, r.OWNER, r.OBJECT_NAME, r.OBJECT_TYPE`
    );
  });
}
