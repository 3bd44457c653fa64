import { throwIfAborted } from '../core/errors';
import {
  AssetKind,
  CatalogAsset,
  CatalogBatch,
  CatalogField,
  CatalogIndex,
  CatalogKey,
  CollectOptions,
} from '../core/types';
import { SignalledObject, splitBySignal } from '../core/change-signals';
import { chunk, groupBy } from '../core/lists';
import { flag, numeric, Row, text, textOr } from '../sql-shared/row-values';
import {
  BoundQuery,
  checkConstraintsQuery,
  columnsQuery,
  databasesQuery,
  dependenciesQuery,
  descriptionsQuery,
  foreignKeysQuery,
  indexesQuery,
  keyConstraintsQuery,
  MAX_BOUND_IDS,
  modulesQuery,
  ObjectFilter,
  objectsQuery,
  schemasQuery,
  sizesQuery,
} from './catalog-sql';
import { SqlServerExecutor } from './executor';

const WITH_LENGTH = new Set(['varchar', 'char', 'varbinary', 'binary']);
const WITH_CHAR_LENGTH = new Set(['nvarchar', 'nchar']);
const WITH_SCALE = new Set(['datetime2', 'time', 'datetimeoffset']);

/** The type as T-SQL writes it, from sys.columns + sys.types: `nvarchar(50)`, `varchar(max)`, `decimal(10,2)`, `datetime2(3)`. */
export function sqlServerType(row: Row): string {
  if (flag(row, 'is_user_defined')) return textOr(row, 'type_name');
  const name = textOr(row, 'base_type_name') || textOr(row, 'type_name');
  const maxLength = numeric(row, 'max_length') ?? 0;
  if (WITH_LENGTH.has(name)) return `${name}(${maxLength === -1 ? 'max' : maxLength})`;
  if (WITH_CHAR_LENGTH.has(name)) return `${name}(${maxLength === -1 ? 'max' : maxLength / 2})`;
  if (name === 'decimal' || name === 'numeric') return `${name}(${numeric(row, 'precision')},${numeric(row, 'scale')})`;
  if (WITH_SCALE.has(name)) return `${name}(${numeric(row, 'scale')})`;
  return name;
}

/** `((0))` → `0`, `(getdate())` → `getdate()`: SQL Server wraps stored default expressions in parentheses. */
export function unwrapDefinition(definition: string | null): string | null {
  if (definition === null) return null;
  let d = definition.trim();
  while (d.startsWith('(') && d.endsWith(')') && balanced(d.slice(1, -1))) d = d.slice(1, -1).trim();
  return d;
}

function balanced(s: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const ch of s) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

interface ObjectEntry extends SignalledObject {
  objectId: number;
  row: Row;
}

interface DatabaseDetail {
  columns: Map<string, Row[]>;
  keys: Map<string, Row[]>;
  foreignKeys: Map<string, Row[]>;
  indexes: Map<string, Row[]>;
  descriptions: Map<string, string>;
  sizes: Map<string, Row>;
  modules: Map<string, Row>;
  checks: Map<string, Row[]>;
}

async function readDetail(
  exec: SqlServerExecutor,
  database: string,
  filter: ObjectFilter,
  withSizes: boolean,
  signal: AbortSignal,
): Promise<DatabaseDetail> {
  const run = (q: BoundQuery) => exec.query(database, q.sql, q.params, signal);
  const [columns, keys, foreignKeys, indexes, descriptions, sizes, modules, checks] = await Promise.all([
    run(columnsQuery(filter)),
    run(keyConstraintsQuery(filter)),
    run(foreignKeysQuery(filter)),
    run(indexesQuery(filter)),
    run(descriptionsQuery(filter)),
    withSizes ? run(sizesQuery(filter)) : Promise.resolve([]),
    run(modulesQuery(filter)),
    run(checkConstraintsQuery(filter)),
  ]);
  const byObject = (rows: Row[]) => groupBy(rows, (r) => textOr(r, 'object_id'));
  return {
    columns: byObject(columns),
    keys: byObject(keys),
    foreignKeys: byObject(foreignKeys),
    indexes: byObject(indexes),
    descriptions: new Map(
      descriptions.map((r) => [`${textOr(r, 'object_id')}:${textOr(r, 'minor_id')}`, textOr(r, 'description')]),
    ),
    sizes: new Map(sizes.map((r) => [textOr(r, 'object_id'), r])),
    modules: new Map(modules.map((r) => [textOr(r, 'object_id'), r])),
    checks: byObject(checks),
  };
}

/** CHECK constraints as keys of type 'check', the definition as the server stores it. */
function checksOf(rows: Row[]): CatalogKey[] {
  return rows.map((r) => {
    const state = [flag(r, 'is_disabled') ? 'DISABLED' : null, flag(r, 'is_not_trusted') ? 'NOT TRUSTED' : null];
    return {
      name: textOr(r, 'name'),
      type: 'check' as const,
      columns: text(r, 'column_name') ? [textOr(r, 'column_name')] : [],
      definition: [`CHECK ${textOr(r, 'definition')}`, ...state.filter(Boolean)].join(' '),
    };
  });
}

/**
 * The change signal: modify_date and the description checksum, then each referenced object's
 * schema, name and modify_date (a rename or change of a referenced table changes what the entry shows).
 */
function signalOf(row: Row, dependencies: Row[] | undefined): string {
  const own = `${textOr(row, 'modify_date')}|${text(row, 'description_checksum') ?? ''}`;
  const deps = (dependencies ?? [])
    .filter((d) => text(d, 'referenced_name') !== null)
    .map(
      (d) => `${textOr(d, 'referenced_schema')}.${textOr(d, 'referenced_name')}@${textOr(d, 'referenced_modify_date')}`,
    );
  return deps.length > 0 ? `${own}|dep:${[...new Set(deps)].sort().join(',')}` : own;
}

function kindOf(row: Row): AssetKind {
  if (text(row, 'type')?.trim() === 'V') return flag(row, 'is_indexed_view') ? 'materialized_view' : 'view';
  return flag(row, 'is_partitioned') ? 'partitioned_table' : 'table';
}

function keysOf(database: string, keyRows: Row[], fkRows: Row[]): CatalogKey[] {
  const keys: CatalogKey[] = [...groupBy(keyRows, (r) => textOr(r, 'name'))].map(([name, group]) => ({
    name,
    type: text(group[0], 'type')?.trim() === 'PK' ? 'primary' : 'unique',
    columns: group.map((r) => textOr(r, 'column_name')),
  }));
  for (const [name, group] of groupBy(fkRows, (r) => textOr(r, 'name'))) {
    const first = group[0];
    const rules = [
      text(first, 'delete_referential_action_desc') !== 'NO_ACTION'
        ? `ON DELETE ${textOr(first, 'delete_referential_action_desc').replace(/_/g, ' ')}`
        : null,
      text(first, 'update_referential_action_desc') !== 'NO_ACTION'
        ? `ON UPDATE ${textOr(first, 'update_referential_action_desc').replace(/_/g, ' ')}`
        : null,
      flag(first, 'is_disabled') ? 'DISABLED' : null,
    ].filter(Boolean);
    keys.push({
      name,
      type: 'foreign',
      columns: group.map((r) => textOr(r, 'column_name')),
      references: {
        namespace: `${database}.${textOr(first, 'referenced_schema')}`,
        table: textOr(first, 'referenced_table'),
        columns: group.map((r) => textOr(r, 'referenced_column')),
      },
      ...(rules.length > 0 ? { definition: rules.join(' ') } : {}),
    });
  }
  return keys;
}

function indexesOf(rows: Row[]): CatalogIndex[] {
  return [...groupBy(rows, (r) => textOr(r, 'name'))].map(([name, group]) => ({
    name,
    columns: group
      .filter((r) => !flag(r, 'is_included_column'))
      .map((r) => (flag(r, 'is_descending_key') ? `${textOr(r, 'column_name')} DESC` : textOr(r, 'column_name'))),
    unique: flag(group[0], 'is_unique'),
    method: textOr(group[0], 'type_desc'),
    predicate: text(group[0], 'filter_definition'),
  }));
}

function assetOf(
  database: string,
  entry: ObjectEntry,
  owner: string | null,
  d: DatabaseDetail,
  withStatistics: boolean,
): CatalogAsset {
  const id = String(entry.objectId);
  const keyRows = d.keys.get(id) ?? [];
  const primary = new Set(keyRows.filter((r) => text(r, 'type')?.trim() === 'PK').map((r) => textOr(r, 'column_name')));
  const fields: CatalogField[] = (d.columns.get(id) ?? []).map((r) => {
    const name = textOr(r, 'name');
    const properties: Record<string, unknown> = {};
    if (flag(r, 'is_identity')) properties.identity = true;
    if (flag(r, 'is_computed')) {
      properties.computed = unwrapDefinition(text(r, 'computed_definition'));
      if (flag(r, 'is_persisted')) properties.persisted = true;
    }
    if (text(r, 'collation_name')) properties.collation = text(r, 'collation_name');
    return {
      name,
      ordinal: numeric(r, 'column_id') ?? 0,
      dataType: sqlServerType(r),
      nullable: flag(r, 'is_nullable'),
      default: unwrapDefinition(text(r, 'default_definition')),
      comment: d.descriptions.get(`${id}:${numeric(r, 'column_id')}`) ?? null,
      primaryKey: primary.has(name),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  });
  const asset: CatalogAsset = {
    namespace: entry.namespace,
    name: entry.name,
    kind: kindOf(entry.row),
    comment: d.descriptions.get(`${id}:0`) ?? null,
    owner,
    properties: {},
    fields,
    keys: [...keysOf(database, keyRows, d.foreignKeys.get(id) ?? []), ...checksOf(d.checks.get(id) ?? [])],
    indexes: indexesOf(d.indexes.get(id) ?? []),
    changeSignal: entry.signal,
  };
  const module = d.modules.get(id);
  if (module && asset.kind !== 'table' && asset.kind !== 'partitioned_table') {
    asset.properties = {
      definition: text(module, 'definition'),
      schema_bound: flag(module, 'is_schema_bound'),
      ansi_nulls: flag(module, 'uses_ansi_nulls'),
      quoted_identifier: flag(module, 'uses_quoted_identifier'),
    };
  }
  if (withStatistics && asset.kind !== 'view') {
    const size = d.sizes.get(id);
    asset.statistics = {
      rows: size ? numeric(size, 'row_count') : null,
      bytes: size ? numeric(size, 'total_bytes') : null,
    };
  }
  return asset;
}

/**
 * Streams the catalog database by database: one server-level query lists the databases, then in
 * each database one query lists schemas, one lists tables and views and one what they reference, for their change signal, and
 * eight read the details of the objects to (re)read. Memory holds one database's rows at a time.
 */
export async function* collectSqlServer(
  exec: SqlServerExecutor,
  options: CollectOptions,
  onlyDatabase: string | undefined,
): AsyncGenerator<CatalogBatch> {
  const { signal, scope } = options;
  throwIfAborted(signal);
  const dbQ = databasesQuery(onlyDatabase);
  const databases = (await exec.query(null, dbQ.sql, dbQ.params, signal)).map((r) => textOr(r, 'name'));
  let done = 0;
  for (const database of databases) {
    throwIfAborted(signal);
    const run = (q: BoundQuery) => exec.query(database, q.sql, q.params, signal);
    const schemas = await run(schemasQuery(scope));
    const owners = new Map(schemas.map((s) => [textOr(s, 'schema_name'), text(s, 'owner_name')]));
    const [objectRows, dependencyRows] = await Promise.all([run(objectsQuery(scope)), run(dependenciesQuery(scope))]);
    const dependencies = groupBy(dependencyRows, (r) => textOr(r, 'object_id'));
    const entries: ObjectEntry[] = objectRows.map((row) => ({
      namespace: `${database}.${textOr(row, 'schema_name')}`,
      name: textOr(row, 'name'),
      objectId: numeric(row, 'object_id') ?? 0,
      signal: signalOf(row, dependencies.get(textOr(row, 'object_id'))),
      row,
    }));
    const { changed, unchanged } = splitBySignal(entries, options);
    yield {
      namespaces: schemas.map((s) => ({
        name: `${database}.${textOr(s, 'schema_name')}`,
        kind: 'schema',
        properties: { database, schema: textOr(s, 'schema_name'), owner: text(s, 'owner_name') },
      })),
      assets: [],
    };
    for (const refs of chunk(unchanged, options.batchSize)) yield { assets: [], unchanged: refs };
    done += unchanged.length;
    if (changed.length === 0) continue;

    const filter: ObjectFilter =
      unchanged.length > 0 && changed.length <= MAX_BOUND_IDS
        ? { objectIds: changed.map((e) => e.objectId) }
        : { scope };
    const detail = await readDetail(exec, database, filter, options.mode !== 'schema_only', signal);
    for (const batch of chunk(changed, options.batchSize)) {
      throwIfAborted(signal);
      const assets = batch.map((e) =>
        assetOf(database, e, owners.get(textOr(e.row, 'schema_name')) ?? null, detail, options.mode !== 'schema_only'),
      );
      done += assets.length;
      options.onProgress?.(done);
      yield { assets };
    }
  }
}
