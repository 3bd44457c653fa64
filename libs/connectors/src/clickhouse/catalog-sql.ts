import { CollectScope } from '../core/types';
import { scopeCondition } from '../sql-shared/scope-binds';
import { chString, chStringList } from './sql-literal';

/**
 * The set-based catalog queries: one each over system.databases, system.tables, system.columns
 * and system.parts for all databases in scope, whatever the number of tables. Scope globs become
 * LIKE patterns written as escaped literals (ClickHouse's LIKE treats `\` as its escape).
 */

/** Which optional columns the server's system tables have (they grew over the releases). */
export interface ServerFeatures {
  tables: ReadonlySet<string>;
  columns: ReadonlySet<string>;
}

export const FEATURES_SQL =
  "SELECT table, name FROM system.columns WHERE database = 'system' AND table IN ('tables', 'columns')";

export const SYSTEM_DATABASES = ['system', 'INFORMATION_SCHEMA', 'information_schema'];

const like = (column: string, include?: string[], exclude?: string[]) =>
  scopeCondition(column, include, exclude, chString, '');

export function databasesSql(scope: CollectScope, onlyDatabase?: string): string {
  const conditions = [like('name', scope.includeSchemas, scope.excludeSchemas)];
  if (onlyDatabase !== undefined) conditions.push(`name = ${chString(onlyDatabase)}`);
  // System databases are left out unless the scope names one of them outright.
  const named = new Set([...(scope.includeSchemas ?? []), ...(onlyDatabase ? [onlyDatabase] : [])]);
  const hidden = SYSTEM_DATABASES.filter((d) => !named.has(d));
  if (hidden.length > 0) conditions.push(`name NOT IN ${chStringList(hidden)}`);
  return `SELECT name, engine FROM system.databases WHERE ${conditions.join(' AND ')} ORDER BY name`;
}

function optional(available: ReadonlySet<string>, column: string, fallback: string): string {
  return available.has(column) ? column : `${fallback} AS ${column}`;
}

export function tablesSql(databases: readonly string[], scope: CollectScope, features: ServerFeatures): string {
  const t = features.tables;
  const select = [
    'database',
    'name',
    'engine',
    // The change signal: when the metadata file was last written, and a hash of the DDL so two
    // changes within the same second are still told apart.
    'toString(toUnixTimestamp(metadata_modification_time)) AS mtime',
    `toString(cityHash64(${t.has('create_table_query') ? 'create_table_query' : "''"})) AS ddl_hash`,
    optional(t, 'engine_full', "''"),
    optional(t, 'partition_key', "''"),
    optional(t, 'sorting_key', "''"),
    optional(t, 'primary_key', "''"),
    optional(t, 'sampling_key', "''"),
    t.has('create_table_query')
      ? "if(engine IN ('View', 'MaterializedView', 'LiveView'), create_table_query, '') AS view_query"
      : "'' AS view_query",
    optional(t, 'comment', "''"),
    // CHECK constraints are only in the DDL; it is read for the tables that have any.
    t.has('create_table_query')
      ? "if(position(create_table_query, 'CONSTRAINT') > 0, create_table_query, '') AS constrained_query"
      : "'' AS constrained_query",
    t.has('total_rows') ? 'toString(total_rows) AS total_rows' : 'NULL AS total_rows',
    t.has('total_bytes') ? 'toString(total_bytes) AS total_bytes' : 'NULL AS total_bytes',
  ];
  const conditions = [
    `database IN ${chStringList(databases)}`,
    like('name', scope.includeTables, scope.excludeTables),
    // Storage of materialized views: reported through the view itself.
    "NOT startsWith(name, '.inner')",
  ];
  if (t.has('is_temporary')) conditions.push('is_temporary = 0');
  return `SELECT ${select.join(', ')} FROM system.tables WHERE ${conditions.join(' AND ')} ORDER BY database, name`;
}

/**
 * Columns of the tables in scope, ordered by table and position. Servers before 20.x have no
 * `position` column; their system.columns lists a table's columns in table order, which
 * `rowNumberInAllBlocks()` captures before the sort.
 */
export function columnsSql(
  databases: readonly string[],
  scope: CollectScope,
  features: ServerFeatures,
  onlyTables?: ReadonlyArray<readonly [string, string]>,
  withSizes = false,
): string {
  const c = features.columns;
  // Compressed and uncompressed bytes per column (not in schema-only runs): what the server keeps, no data read.
  const sizes = (column: string) => (c.has(column) ? `toString(${column}) AS ${column}` : `NULL AS ${column}`);
  const select = [
    'database',
    'table',
    'name',
    'type',
    optional(c, 'default_kind', "''"),
    optional(c, 'default_expression', "''"),
    optional(c, 'comment', "''"),
    optional(c, 'compression_codec', "''"),
    optional(c, 'is_in_partition_key', '0'),
    optional(c, 'is_in_sorting_key', '0'),
    optional(c, 'is_in_primary_key', '0'),
    optional(c, 'is_in_sampling_key', '0'),
    c.has('position') ? 'toUInt64(position) AS ord' : 'rowNumberInAllBlocks() AS ord',
    ...(withSizes ? [sizes('data_compressed_bytes'), sizes('data_uncompressed_bytes')] : []),
  ];
  const conditions = [
    `database IN ${chStringList(databases)}`,
    like('table', scope.includeTables, scope.excludeTables),
  ];
  if (onlyTables) {
    conditions.push(
      `(database, table) IN (${onlyTables.map(([d, n]) => `(${chString(d)}, ${chString(n)})`).join(', ')})`,
    );
  }
  return `SELECT * FROM (SELECT ${select.join(', ')} FROM system.columns WHERE ${conditions.join(' AND ')}) ORDER BY database, table, ord`;
}

/** Active parts, rows and bytes per partition of each table (MergeTree family); tables add them up. */
export function partsSql(databases: readonly string[]): string {
  return (
    'SELECT database, table, partition, toString(count()) AS parts, toString(sum(rows)) AS rows, ' +
    'toString(sum(bytes_on_disk)) AS bytes FROM system.parts ' +
    `WHERE active AND database IN ${chStringList(databases)} GROUP BY database, table, partition ` +
    'ORDER BY database, table, partition'
  );
}
