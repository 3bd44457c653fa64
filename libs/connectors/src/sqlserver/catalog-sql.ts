import { globToLike } from '../core/scope';
import { CollectScope } from '../core/types';
import { NamedBinds, scopeCondition } from '../sql-shared/scope-binds';

/**
 * The catalog queries, run inside each database: one per catalog view family whatever the number
 * of tables. Scope globs are bound `@parameters` compared with a binary collation (globs are
 * case-sensitive) and `\` as the LIKE escape; `[` is escaped too, since SQL Server's LIKE reads it
 * as a character class. A namespace is `<database>.<schema>`, so schema globs match that path.
 */
export interface BoundQuery {
  sql: string;
  params: Record<string, string | number>;
}

/** Which objects a detail query covers: those in scope, or a list of object ids. */
export type ObjectFilter = { scope: CollectScope } | { objectIds: readonly number[] };

/** SQL Server allows 2100 parameters per request; more changed objects read the scope and filter after. */
export const MAX_BOUND_IDS = 500;

const BIN = 'COLLATE Latin1_General_BIN2';
export const sqlServerLike = (glob: string) => globToLike(glob).replace(/\[/g, '\\[');

function build(parts: (b: NamedBinds) => string): BoundQuery {
  const binds = new NamedBinds('p', '@');
  const sql = parts(binds);
  return { sql, params: binds.values };
}

function like(column: string, include: string[] | undefined, exclude: string[] | undefined, b: NamedBinds): string {
  return scopeCondition(`${column} ${BIN}`, include, exclude, b.add, " ESCAPE '\\'", sqlServerLike);
}

/** `DB_NAME() + N'.' + s.name` in scope, and the table name in scope. */
function objectScope(scope: CollectScope, b: NamedBinds): string {
  return [
    like("(DB_NAME() + N'.' + s.name)", scope.includeSchemas, scope.excludeSchemas, b),
    like('o.name', scope.includeTables, scope.excludeTables, b),
  ].join(' AND ');
}

const USER_OBJECTS = "o.type IN ('U', 'V') AND o.is_ms_shipped = 0";

function objectFilter(column: string, filter: ObjectFilter, b: NamedBinds): string {
  if ('objectIds' in filter) return `${column} IN (${filter.objectIds.map((id) => b.add(id)).join(', ')})`;
  return `${column} IN (SELECT o.object_id FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id WHERE ${USER_OBJECTS} AND ${objectScope(filter.scope, b)})`;
}

/** Online databases the login may open, system ones excluded (server level). */
export function databasesQuery(onlyDatabase: string | undefined): BoundQuery {
  return build((b) => {
    const conditions = ['d.database_id > 4', 'd.state = 0', 'd.source_database_id IS NULL', 'HAS_DBACCESS(d.name) = 1'];
    if (onlyDatabase !== undefined) conditions.push(`d.name = ${b.add(onlyDatabase)}`);
    return `SELECT d.name, d.collation_name, d.compatibility_level FROM sys.databases d WHERE ${conditions.join(' AND ')} ORDER BY d.name`;
  });
}

/** User schemas in scope: not sys, INFORMATION_SCHEMA or the fixed database-role schemas; guest only when it holds objects. */
export function schemasQuery(scope: CollectScope): BoundQuery {
  return build(
    (b) =>
      'SELECT s.schema_id, s.name AS schema_name, p.name AS owner_name FROM sys.schemas s LEFT JOIN sys.database_principals p ON p.principal_id = s.principal_id ' +
      "WHERE s.name NOT IN (N'sys', N'INFORMATION_SCHEMA') AND s.schema_id < 16384 " +
      "AND (s.name <> N'guest' OR EXISTS (SELECT 1 FROM sys.objects g WHERE g.schema_id = s.schema_id AND g.is_ms_shipped = 0)) " +
      `AND ${like("(DB_NAME() + N'.' + s.name)", scope.includeSchemas, scope.excludeSchemas, b)} ORDER BY s.name`,
  );
}

/**
 * Tables and views with the change signal: modify_date (moved by ALTER and by index changes)
 * plus a checksum of their MS_Description properties, which sp_addextendedproperty and
 * sp_updateextendedproperty change without touching modify_date.
 */
export function objectsQuery(scope: CollectScope): BoundQuery {
  return build(
    (b) =>
      'SELECT o.object_id, s.name AS schema_name, o.name, o.type, CONVERT(varchar(33), o.modify_date, 126) AS modify_date, ep.description_checksum, ' +
      "CASE WHEN o.type = 'V' AND EXISTS (SELECT 1 FROM sys.indexes vi WHERE vi.object_id = o.object_id AND vi.index_id = 1) THEN 1 ELSE 0 END AS is_indexed_view, " +
      'CASE WHEN EXISTS (SELECT 1 FROM sys.indexes pi JOIN sys.partition_schemes ps ON ps.data_space_id = pi.data_space_id WHERE pi.object_id = o.object_id AND pi.index_id IN (0, 1)) THEN 1 ELSE 0 END AS is_partitioned ' +
      'FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id ' +
      "OUTER APPLY (SELECT CHECKSUM_AGG(CHECKSUM(x.minor_id, CAST(x.value AS nvarchar(4000)))) AS description_checksum FROM sys.extended_properties x WHERE x.class = 1 AND x.major_id = o.object_id AND x.name = N'MS_Description') ep " +
      `WHERE ${USER_OBJECTS} AND ${objectScope(scope, b)} ORDER BY s.name, o.name`,
  );
}

export function columnsQuery(filter: ObjectFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT c.object_id, c.column_id, c.name, t.name AS type_name, TYPE_NAME(c.system_type_id) AS base_type_name, t.is_user_defined, ' +
      'c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity, c.is_computed, c.collation_name, ' +
      'dc.definition AS default_definition, cc.definition AS computed_definition, cc.is_persisted ' +
      'FROM sys.columns c JOIN sys.types t ON t.user_type_id = c.user_type_id ' +
      'LEFT JOIN sys.default_constraints dc ON dc.object_id = c.default_object_id ' +
      'LEFT JOIN sys.computed_columns cc ON cc.object_id = c.object_id AND cc.column_id = c.column_id ' +
      `WHERE ${objectFilter('c.object_id', filter, b)} ORDER BY c.object_id, c.column_id`,
  );
}

/** Primary keys and unique constraints with their columns in key order. */
export function keyConstraintsQuery(filter: ObjectFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT kc.parent_object_id AS object_id, kc.name, kc.type, COL_NAME(ic.object_id, ic.column_id) AS column_name, ic.key_ordinal ' +
      'FROM sys.key_constraints kc JOIN sys.index_columns ic ON ic.object_id = kc.parent_object_id AND ic.index_id = kc.unique_index_id ' +
      `WHERE ${objectFilter('kc.parent_object_id', filter, b)} ORDER BY kc.parent_object_id, kc.name, ic.key_ordinal`,
  );
}

export function foreignKeysQuery(filter: ObjectFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT fk.parent_object_id AS object_id, fk.name, fkc.constraint_column_id, COL_NAME(fkc.parent_object_id, fkc.parent_column_id) AS column_name, ' +
      'OBJECT_SCHEMA_NAME(fk.referenced_object_id) AS referenced_schema, OBJECT_NAME(fk.referenced_object_id) AS referenced_table, ' +
      'COL_NAME(fkc.referenced_object_id, fkc.referenced_column_id) AS referenced_column, fk.delete_referential_action_desc, fk.update_referential_action_desc, fk.is_disabled ' +
      'FROM sys.foreign_keys fk JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id ' +
      `WHERE ${objectFilter('fk.parent_object_id', filter, b)} ORDER BY fk.parent_object_id, fk.name, fkc.constraint_column_id`,
  );
}

/** Indexes (heaps and hypothetical ones left out) with their key columns; included columns come after. */
export function indexesQuery(filter: ObjectFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT i.object_id, i.name, i.index_id, i.type_desc, i.is_unique, i.is_primary_key, i.is_unique_constraint, i.filter_definition, ' +
      'COL_NAME(ic.object_id, ic.column_id) AS column_name, ic.key_ordinal, ic.is_descending_key, ic.is_included_column ' +
      'FROM sys.indexes i JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id ' +
      `WHERE i.type > 0 AND i.is_hypothetical = 0 AND ${objectFilter('i.object_id', filter, b)} ` +
      'ORDER BY i.object_id, i.name, ic.is_included_column, ic.key_ordinal, ic.index_column_id',
  );
}

/** MS_Description of tables (minor_id 0) and columns (minor_id = column_id). */
export function descriptionsQuery(filter: ObjectFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT ep.major_id AS object_id, ep.minor_id, CAST(ep.value AS nvarchar(4000)) AS description FROM sys.extended_properties ep ' +
      `WHERE ep.class = 1 AND ep.name = N'MS_Description' AND ${objectFilter('ep.major_id', filter, b)}`,
  );
}

/** Rows (heap or clustered index) and reserved bytes per object from sys.partitions and sys.allocation_units. */
export function sizesQuery(filter: ObjectFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT p.object_id, SUM(CASE WHEN p.index_id IN (0, 1) THEN p.rows ELSE 0 END) AS row_count, SUM(au.total_pages) * 8192 AS total_bytes ' +
      'FROM sys.partitions p OUTER APPLY (SELECT SUM(a.total_pages) AS total_pages FROM sys.allocation_units a WHERE a.container_id = p.partition_id) au ' +
      `WHERE ${objectFilter('p.object_id', filter, b)} GROUP BY p.object_id`,
  );
}

/** View definitions (sys.sql_modules; NULL where the login lacks VIEW DEFINITION or the view is encrypted). */
export function modulesQuery(filter: ObjectFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT m.object_id, m.definition, m.is_schema_bound, m.uses_ansi_nulls, m.uses_quoted_identifier FROM sys.sql_modules m ' +
      `WHERE ${objectFilter('m.object_id', filter, b)}`,
  );
}

/** CHECK constraints with the column of a column-level one. */
export function checkConstraintsQuery(filter: ObjectFilter): BoundQuery {
  return build(
    (b) =>
      'SELECT cc.parent_object_id AS object_id, cc.name, cc.definition, cc.is_disabled, cc.is_not_trusted, ' +
      'COL_NAME(cc.parent_object_id, cc.parent_column_id) AS column_name FROM sys.check_constraints cc ' +
      `WHERE ${objectFilter('cc.parent_object_id', filter, b)} ORDER BY cc.parent_object_id, cc.name`,
  );
}

/**
 * What each object's entry shows of other objects: the objects a view's definition references
 * (sys.sql_expression_dependencies) and the tables its foreign keys reference, each with its
 * schema, name and modify_date. One statement per database; a change to one of them changes
 * the dependent's signal.
 */
export function dependenciesQuery(scope: CollectScope): BoundQuery {
  return build(
    (b) =>
      'SELECT d.object_id, SCHEMA_NAME(r.schema_id) AS referenced_schema, r.name AS referenced_name, ' +
      'CONVERT(varchar(33), r.modify_date, 126) AS referenced_modify_date FROM (' +
      'SELECT x.referencing_id AS object_id, x.referenced_id FROM sys.sql_expression_dependencies x WHERE x.referenced_id IS NOT NULL ' +
      'UNION SELECT f.parent_object_id, f.referenced_object_id FROM sys.foreign_keys f) d ' +
      'JOIN sys.objects r ON r.object_id = d.referenced_id ' +
      `WHERE ${objectFilter('d.object_id', { scope }, b)}`,
  );
}
