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
import { isoDate, numeric, Row, text, textOr } from '../sql-shared/row-values';
import {
  BoundQuery,
  checksQuery,
  columnCommentsQuery,
  columnsQuery,
  constraintsQuery,
  dependenciesQuery,
  externalTablesQuery,
  indexesQuery,
  indexExpressionsQuery,
  MAX_BOUND_NAMES,
  mviewsQuery,
  objectsQuery,
  ownersQuery,
  partitioningQuery,
  TableFilter,
  tableCommentsQuery,
  tablePartitionsQuery,
  tablesQuery,
  viewsQuery,
} from './catalog-sql';
import { OracleExecutor } from './executor';

/**
 * The type as Oracle's DESCRIBE writes it, from ALL_TAB_COLUMNS: `VARCHAR2(40)`,
 * `VARCHAR2(40 CHAR)`, `NUMBER(10,2)`, `NUMBER(9)`, `NUMBER`, `FLOAT(126)`, `RAW(16)`,
 * `TIMESTAMP(6) WITH TIME ZONE` (already complete), `MDSYS.SDO_GEOMETRY` for object types.
 */
export function oracleType(row: Row): string {
  const type = textOr(row, 'DATA_TYPE');
  const precision = numeric(row, 'DATA_PRECISION');
  const scale = numeric(row, 'DATA_SCALE');
  const charLength = numeric(row, 'CHAR_LENGTH');
  const owner = text(row, 'DATA_TYPE_OWNER');
  switch (type) {
    case 'VARCHAR2':
    case 'CHAR':
      return `${type}(${charLength ?? numeric(row, 'DATA_LENGTH')}${text(row, 'CHAR_USED') === 'C' ? ' CHAR' : ''})`;
    case 'NVARCHAR2':
    case 'NCHAR':
      return `${type}(${charLength ?? numeric(row, 'DATA_LENGTH')})`;
    case 'NUMBER':
      if (precision === null) return scale === null ? 'NUMBER' : `NUMBER(*,${scale})`;
      return scale === null || scale === 0 ? `NUMBER(${precision})` : `NUMBER(${precision},${scale})`;
    case 'FLOAT':
      return precision === null ? 'FLOAT' : `FLOAT(${precision})`;
    case 'RAW':
    case 'UROWID':
      return `${type}(${numeric(row, 'DATA_LENGTH')})`;
    default:
      return owner && owner !== 'SYS' && owner !== 'PUBLIC' ? `${owner}.${type}` : type;
  }
}

interface ObjectEntry extends SignalledObject {
  types: Set<string>;
}

/**
 * One entry per object name; a materialized view shows up as both TABLE and MATERIALIZED VIEW.
 * The signal is each object row's LAST_DDL_TIME (and STATUS when not VALID: a view whose tables
 * changed is invalid until recompiled), then the LAST_DDL_TIME of every object it depends on.
 */
function objectEntries(owner: string, rows: Row[], dependencies: Map<string, Row[]>): ObjectEntry[] {
  return [...groupBy(rows, (r) => textOr(r, 'OBJECT_NAME'))].map(([name, group]) => {
    const own = group.map((r) => {
      const status = text(r, 'STATUS');
      return `${textOr(r, 'OBJECT_TYPE')}@${textOr(r, 'LAST_DDL_TIME')}${status && status !== 'VALID' ? `#${status}` : ''}`;
    });
    const deps = (dependencies.get(name) ?? []).map(
      (d) => `${textOr(d, 'R_OWNER')}.${textOr(d, 'R_NAME')}:${textOr(d, 'R_TYPE')}@${textOr(d, 'R_LAST_DDL_TIME')}`,
    );
    return {
      namespace: owner,
      name,
      types: new Set(group.map((r) => textOr(r, 'OBJECT_TYPE'))),
      signal: [...own, ...(deps.length > 0 ? [`dep:${[...new Set(deps)].sort().join(',')}`] : [])].join('|'),
    };
  });
}

interface SchemaDetail {
  tables: Map<string, Row>;
  partitioning: Map<string, Row[]>;
  external: Map<string, Row>;
  mviews: Map<string, Row>;
  columns: Map<string, Row[]>;
  tableComments: Map<string, string>;
  columnComments: Map<string, string>;
  constraints: Map<string, Row[]>;
  indexes: Map<string, Row[]>;
  expressions: Map<string, string>;
  views: Map<string, Row>;
  checks: Map<string, Row[]>;
  partitions: Map<string, Row[]>;
}

async function readDetail(
  exec: OracleExecutor,
  owner: string,
  filter: TableFilter,
  signal: AbortSignal,
): Promise<SchemaDetail> {
  const run = (q: BoundQuery) => exec.query(q.sql, q.binds, signal);
  // Independent dictionary reads; the pool runs them side by side.
  const [
    tables,
    partitioning,
    external,
    mviews,
    columns,
    tableComments,
    columnComments,
    constraints,
    indexes,
    expressions,
    views,
    checks,
    partitions,
  ] = await Promise.all([
    run(tablesQuery(owner, filter)),
    run(partitioningQuery(owner, filter)),
    run(externalTablesQuery(owner, filter)),
    run(mviewsQuery(owner, filter)),
    run(columnsQuery(owner, filter)),
    run(tableCommentsQuery(owner, filter)),
    run(columnCommentsQuery(owner, filter)),
    run(constraintsQuery(owner, filter)),
    run(indexesQuery(owner, filter)),
    run(indexExpressionsQuery(owner, filter)),
    run(viewsQuery(owner, filter)),
    run(checksQuery(owner, filter)),
    run(tablePartitionsQuery(owner, filter)),
  ]);
  const byTable = (rows: Row[], key = 'TABLE_NAME') => groupBy(rows, (r) => textOr(r, key));
  return {
    tables: new Map(tables.map((r) => [textOr(r, 'TABLE_NAME'), r])),
    partitioning: byTable(partitioning),
    external: new Map(external.map((r) => [textOr(r, 'TABLE_NAME'), r])),
    mviews: new Map(mviews.map((r) => [textOr(r, 'MVIEW_NAME'), r])),
    columns: byTable(columns),
    tableComments: new Map(tableComments.map((r) => [textOr(r, 'TABLE_NAME'), textOr(r, 'COMMENTS')])),
    columnComments: new Map(
      columnComments.map((r) => [`${textOr(r, 'TABLE_NAME')}.${textOr(r, 'COLUMN_NAME')}`, textOr(r, 'COMMENTS')]),
    ),
    constraints: byTable(constraints),
    indexes: byTable(indexes),
    expressions: new Map(
      expressions.map((r) => [
        `${textOr(r, 'INDEX_OWNER')}.${textOr(r, 'INDEX_NAME')}.${numeric(r, 'COLUMN_POSITION')}`,
        textOr(r, 'COLUMN_EXPRESSION').trim(),
      ]),
    ),
    views: new Map(views.map((r) => [textOr(r, 'VIEW_NAME'), r])),
    checks: byTable(checks.filter((r) => text(r, 'CONSTRAINT_TYPE') === 'C' && !isNotNullCheck(r))),
    partitions: byTable(partitions),
  };
}

/** The CHECK Oracle generates for a NOT NULL column (`"COL" IS NOT NULL`), shown as the column's nullability instead. */
function isNotNullCheck(row: Row): boolean {
  return (
    text(row, 'GENERATED') === 'GENERATED NAME' &&
    /^\s*"[^"]+"\s+IS\s+NOT\s+NULL\s*$/i.test(textOr(row, 'SEARCH_CONDITION'))
  );
}

/** CHECK constraints as keys of type 'check', the condition as written, with DISABLED / NOVALIDATE when so. */
function checksOf(rows: Row[]): CatalogKey[] {
  return [...groupBy(rows, (r) => textOr(r, 'CONSTRAINT_NAME'))].map(([name, group]) => {
    const first = group[0];
    const state = [
      text(first, 'STATUS') === 'DISABLED' ? 'DISABLE' : null,
      text(first, 'VALIDATED') === 'NOT VALIDATED' ? 'NOVALIDATE' : null,
    ].filter(Boolean);
    return {
      name,
      type: 'check' as const,
      columns: group.map((r) => text(r, 'COLUMN_NAME')).filter((c): c is string => c !== null),
      definition: [`CHECK (${textOr(first, 'SEARCH_CONDITION').trim()})`, ...state].join(' '),
    };
  });
}

/** ALL_TAB_PARTITIONS in position order: name, bound, subpartitions, tablespace and (with statistics) rows. */
function partitionList(rows: Row[], withStatistics: boolean): Array<Record<string, unknown>> {
  return rows.map((r) => {
    const entry: Record<string, unknown> = {
      name: textOr(r, 'PARTITION_NAME'),
      position: numeric(r, 'PARTITION_POSITION'),
      high_value: text(r, 'HIGH_VALUE')?.trim() ?? null,
      subpartition_count: numeric(r, 'SUBPARTITION_COUNT'),
      tablespace: text(r, 'TABLESPACE_NAME'),
      compression: text(r, 'COMPRESSION'),
    };
    if (withStatistics) {
      const rowsCount = numeric(r, 'NUM_ROWS');
      const avg = numeric(r, 'AVG_ROW_LEN');
      entry.rows = rowsCount;
      entry.bytes = rowsCount !== null && avg !== null ? rowsCount * avg : null;
      entry.last_analyzed = text(r, 'LAST_ANALYZED') ? isoDate(r, 'LAST_ANALYZED') : null;
    }
    return entry;
  });
}

function keysOf(rows: Row[]): CatalogKey[] {
  return [...groupBy(rows, (r) => textOr(r, 'CONSTRAINT_NAME'))].map(([name, group]) => {
    const first = group[0];
    const type = textOr(first, 'CONSTRAINT_TYPE');
    const key: CatalogKey = {
      name,
      type: type === 'P' ? 'primary' : type === 'U' ? 'unique' : 'foreign',
      columns: group.map((r) => textOr(r, 'COLUMN_NAME')),
    };
    if (type === 'R') {
      key.references = {
        namespace: textOr(first, 'R_OWNER'),
        table: textOr(first, 'R_TABLE_NAME'),
        columns: group.map((r) => textOr(r, 'R_COLUMN_NAME')),
      };
      const rule = text(first, 'DELETE_RULE');
      if (rule && rule !== 'NO ACTION') key.definition = `ON DELETE ${rule}`;
    }
    if (text(first, 'STATUS') === 'DISABLED') key.definition = [key.definition, 'DISABLED'].filter(Boolean).join(' ');
    return key;
  });
}

function indexesOf(rows: Row[], expressions: Map<string, string>): CatalogIndex[] {
  return [...groupBy(rows, (r) => `${textOr(r, 'INDEX_OWNER')}.${textOr(r, 'INDEX_NAME')}`)].map(
    ([qualified, group]) => {
      const first = group[0];
      return {
        name: textOr(first, 'INDEX_NAME'),
        columns: group.map((r) => {
          const column = expressions.get(`${qualified}.${numeric(r, 'COLUMN_POSITION')}`) ?? textOr(r, 'COLUMN_NAME');
          return text(r, 'DESCEND') === 'DESC' ? `${column} DESC` : column;
        }),
        unique: text(first, 'UNIQUENESS') === 'UNIQUE',
        method: textOr(first, 'INDEX_TYPE'),
      };
    },
  );
}

function kindOf(entry: ObjectEntry, table: Row | undefined, external: boolean): AssetKind | null {
  if (entry.types.has('MATERIALIZED VIEW')) return 'materialized_view';
  if (entry.types.has('VIEW')) return 'view';
  // TABLE objects absent from the filtered ALL_TABLES (nested, overflow, dropped) are not collected.
  if (!table) return null;
  if (external) return 'external_table';
  return text(table, 'PARTITIONED') === 'YES' ? 'partitioned_table' : 'table';
}

function assetOf(entry: ObjectEntry, d: SchemaDetail, withStatistics: boolean): CatalogAsset | null {
  const name = entry.name;
  const table = d.tables.get(name);
  const external = d.external.get(name);
  const kind = kindOf(entry, table, external !== undefined);
  if (kind === null) return null;

  const constraints = d.constraints.get(name) ?? [];
  const primary = new Set(
    constraints.filter((r) => text(r, 'CONSTRAINT_TYPE') === 'P').map((r) => textOr(r, 'COLUMN_NAME')),
  );
  const fields: CatalogField[] = (d.columns.get(name) ?? []).map((r) => {
    const column = textOr(r, 'COLUMN_NAME');
    const field: CatalogField = {
      name: column,
      ordinal: numeric(r, 'COLUMN_ID') ?? 0,
      dataType: oracleType(r),
      nullable: text(r, 'NULLABLE') !== 'N',
      // Oracle keeps the default's text as typed, often with a trailing newline.
      default: text(r, 'DATA_DEFAULT')?.trim() || null,
      comment: d.columnComments.get(`${name}.${column}`) ?? null,
      primaryKey: primary.has(column),
    };
    if (text(r, 'IDENTITY_COLUMN') === 'YES') field.properties = { identity: true };
    return field;
  });

  const properties: Record<string, unknown> = {};
  if (table && kind !== 'materialized_view') {
    if (text(table, 'TABLESPACE_NAME')) properties.tablespace = text(table, 'TABLESPACE_NAME');
    if (text(table, 'TEMPORARY') === 'Y') properties.temporary = true;
    if (text(table, 'IOT_TYPE')) properties.organization = 'INDEX';
    if (text(table, 'COMPRESSION') === 'ENABLED') properties.compression = true;
    if (text(table, 'LAST_ANALYZED')) properties.last_analyzed = isoDate(table, 'LAST_ANALYZED');
  }
  const partitioning = d.partitioning.get(name);
  if (partitioning) {
    const first = partitioning[0];
    properties.partitioning = {
      type: textOr(first, 'PARTITIONING_TYPE'),
      ...(text(first, 'SUBPARTITIONING_TYPE') && text(first, 'SUBPARTITIONING_TYPE') !== 'NONE'
        ? { subpartitioning: text(first, 'SUBPARTITIONING_TYPE') }
        : {}),
      columns: partitioning.map((r) => text(r, 'COLUMN_NAME')).filter((c): c is string => c !== null),
    };
  }
  const partitions = d.partitions.get(name);
  if (partitions && partitions.length > 0) {
    properties.partitioning = {
      ...(properties.partitioning as Record<string, unknown> | undefined),
      partition_count: partitions.length,
      partitions: partitionList(partitions, withStatistics),
    };
  }
  const view = d.views.get(name);
  if (view && kind === 'view') {
    properties.definition = text(view, 'TEXT')?.trim() ?? null;
    properties.read_only = text(view, 'READ_ONLY') === 'Y';
    if (text(view, 'EDITIONING_VIEW') === 'Y') properties.editioning = true;
  }
  if (external) {
    properties.external_type = textOr(external, 'TYPE_NAME');
    properties.default_directory = textOr(external, 'DEFAULT_DIRECTORY_NAME');
  }
  const mview = d.mviews.get(name);
  if (mview) {
    properties.refresh_mode = textOr(mview, 'REFRESH_MODE');
    properties.refresh_method = textOr(mview, 'REFRESH_METHOD');
    properties.build_mode = textOr(mview, 'BUILD_MODE');
    if (text(mview, 'QUERY')) properties.definition = text(mview, 'QUERY')!.trim();
  }

  const asset: CatalogAsset = {
    namespace: entry.namespace,
    name,
    kind,
    comment: d.tableComments.get(name) ?? null,
    owner: entry.namespace,
    properties,
    fields,
    keys: [...keysOf(constraints), ...checksOf(d.checks.get(name) ?? [])],
    indexes: indexesOf(d.indexes.get(name) ?? [], d.expressions),
    changeSignal: entry.signal,
  };
  if (withStatistics && table) {
    const rows = numeric(table, 'NUM_ROWS');
    const avg = numeric(table, 'AVG_ROW_LEN');
    // Optimizer statistics as of LAST_ANALYZED: rows and rows × average row length.
    asset.statistics = { rows, bytes: rows !== null && avg !== null ? rows * avg : null };
  }
  return asset;
}

/**
 * Streams the catalog schema by schema: one query lists the owners, one lists each owner's
 * objects with LAST_DDL_TIME and one what they depend on, and thirteen dictionary queries read the details of the objects that
 * changed (all of them in a full run). Memory holds one schema's dictionary rows at a time.
 */
export async function* collectOracle(
  exec: OracleExecutor,
  options: CollectOptions,
  includeSystemSchemas: boolean,
): AsyncGenerator<CatalogBatch> {
  const { signal, scope } = options;
  throwIfAborted(signal);
  const ownersQ = ownersQuery(scope, includeSystemSchemas);
  const owners = (await exec.query(ownersQ.sql, ownersQ.binds, signal)).map((r) => textOr(r, 'USERNAME'));
  yield { namespaces: owners.map((name) => ({ name, kind: 'schema' })), assets: [] };

  let done = 0;
  for (const owner of owners) {
    throwIfAborted(signal);
    const objectsQ = objectsQuery(owner, scope);
    const dependsQ = dependenciesQuery(owner, scope);
    const [objectRows, dependencyRows] = await Promise.all([
      exec.query(objectsQ.sql, objectsQ.binds, signal),
      exec.query(dependsQ.sql, dependsQ.binds, signal),
    ]);
    const dependencies = groupBy(dependencyRows, (r) => textOr(r, 'NAME'));
    const entries = objectEntries(owner, objectRows, dependencies);
    const { changed, unchanged } = splitBySignal(entries, options);
    for (const refs of chunk(unchanged, options.batchSize)) yield { assets: [], unchanged: refs };
    done += unchanged.length;
    if (changed.length === 0) continue;

    // Few changed tables: bind their names; many: read the scope and keep the changed ones.
    const filter: TableFilter =
      unchanged.length > 0 && changed.length <= MAX_BOUND_NAMES ? { names: changed.map((e) => e.name) } : { scope };
    const detail = await readDetail(exec, owner, filter, signal);
    const assets = changed
      .map((e) => assetOf(e, detail, options.mode !== 'schema_only'))
      .filter((a): a is CatalogAsset => a !== null);
    for (const batch of chunk(assets, options.batchSize)) {
      throwIfAborted(signal);
      done += batch.length;
      options.onProgress?.(done);
      yield { assets: batch };
    }
  }
}
