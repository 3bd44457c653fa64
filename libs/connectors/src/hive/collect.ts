import { createHash } from 'node:crypto';
import { throwIfAborted } from '../core/errors';
import { isUnchanged } from '../core/change-signals';
import { assetInScope, globToLike, namespaceInScope } from '../core/scope';
import { AssetKind, CatalogAsset, CatalogBatch, CatalogField, CollectOptions, CollectScope } from '../core/types';
import { chunk } from '../core/lists';
import { textOr } from '../sql-shared/row-values';
import { DescribedTable, parseDescribeFormatted } from './describe-formatted';
import { HiveExecutor } from './executor';

/** Table parameters that are statistics or bookkeeping, not shape: they go to statistics or the change signal. */
const VOLATILE_PARAMETERS = new Set([
  'transient_lastDdlTime',
  'numFiles',
  'numRows',
  'rawDataSize',
  'totalSize',
  'numPartitions',
  'numFilesErasureCoded',
  'COLUMN_STATS_ACCURATE',
  'last_modified_by',
  'last_modified_time',
  'comment',
]);

/** A backquoted Hive identifier (a backquote inside is doubled). */
export function hiveIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** The narrowest metadata-call pattern for a set of globs: the glob itself when there is exactly one, else `%`. */
function patternFor(globs: string[] | undefined, exact?: string): string {
  if (exact !== undefined) return globToLike(exact);
  return globs && globs.length === 1 ? globToLike(globs[0]) : '%';
}

function kindOf(d: DescribedTable): AssetKind {
  switch (d.detail.get('Table Type')) {
    case 'VIRTUAL_VIEW':
      return 'view';
    case 'MATERIALIZED_VIEW':
      return 'materialized_view';
    case 'EXTERNAL_TABLE':
      return 'external_table';
    default:
      return d.partitionColumns.length > 0 ? 'partitioned_table' : 'table';
  }
}

function count(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** At most this many partitions are listed with their values; the count covers all. */
export const MAX_LISTED_PARTITIONS = 1000;

/** Undoes the metastore's escaping of partition values (`%2F` for `/`, `%3D` for `=`, …). */
function unescapePartitionValue(v: string): string | null {
  if (v === '__HIVE_DEFAULT_PARTITION__') return null;
  return v.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** `dt=2024-06-01/country=US` (a SHOW PARTITIONS row) as `{ dt: '2024-06-01', country: 'US' }`. */
export function partitionValues(spec: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const part of spec.split('/')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[unescapePartitionValue(part.slice(0, eq)) ?? ''] = unescapePartitionValue(part.slice(eq + 1));
  }
  return out;
}

export function assetFromDescribe(
  namespace: string,
  name: string,
  d: DescribedTable,
  withStatistics: boolean,
  partitions?: string[],
): CatalogAsset {
  const field = (
    c: { name: string; type: string; comment: string | null },
    ordinal: number,
    partition: boolean,
  ): CatalogField => ({
    name: c.name,
    ordinal,
    dataType: c.type,
    // Hive columns accept NULL unless a NOT NULL constraint (Hive 3) says otherwise; constraints are not read.
    nullable: true,
    default: null,
    comment: c.comment,
    primaryKey: false,
    ...(partition ? { properties: { partition_key: true } } : {}),
  });
  const fields = [
    ...d.columns.map((c, i) => field(c, i + 1, false)),
    ...d.partitionColumns.map((c, i) => field(c, d.columns.length + i + 1, true)),
  ];

  const properties: Record<string, unknown> = { table_type: d.detail.get('Table Type') ?? null };
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') properties[key] = value;
  };
  set('location', d.detail.get('Location'));
  set('input_format', d.storage.get('InputFormat'));
  set('output_format', d.storage.get('OutputFormat'));
  set('serde', d.storage.get('SerDe Library'));
  if (d.partitionColumns.length > 0) properties.partition_columns = d.partitionColumns.map((c) => c.name);
  const buckets = Number(d.storage.get('Num Buckets') ?? -1);
  if (buckets > 0) {
    properties.num_buckets = buckets;
    set('bucket_columns', d.storage.get('Bucket Columns'));
    set('sort_columns', d.storage.get('Sort Columns'));
  }
  if (d.storageParameters.size > 0) properties.serde_parameters = Object.fromEntries(d.storageParameters);
  const parameters = [...d.tableParameters].filter(([k]) => !VOLATILE_PARAMETERS.has(k));
  if (parameters.length > 0) properties.parameters = Object.fromEntries(parameters);
  set('view_text', d.view.get('View Original Text'));

  const asset: CatalogAsset = {
    namespace,
    name,
    kind: kindOf(d),
    comment: d.tableParameters.get('comment') || null,
    owner: d.detail.get('Owner') || null,
    properties,
    fields,
    changeSignal: d.tableParameters.get('transient_lastDdlTime') ?? null,
  };
  if (partitions) {
    properties.partition_count = partitions.length;
    properties.partitions = partitions.slice(0, MAX_LISTED_PARTITIONS).map(partitionValues);
    // Adding or dropping a partition leaves transient_lastDdlTime alone: the list is in the signal too.
    const digest = createHash('md5').update(partitions.join('\n')).digest('hex');
    asset.changeSignal = `${asset.changeSignal ?? ''}|partitions:${partitions.length}:${digest}`;
  }
  if (withStatistics && asset.kind !== 'view') {
    asset.statistics = {
      rows: count(d.tableParameters.get('numRows')),
      bytes: count(d.tableParameters.get('totalSize')),
    };
  }
  return asset;
}

function inScope(scope: CollectScope, onlyDatabase: string | undefined, database: string): boolean {
  return (onlyDatabase === undefined || database === onlyDatabase) && namespaceInScope(scope, database);
}

/**
 * Streams the catalog: GetSchemas and GetTables list databases and tables in bulk (their patterns
 * narrowed by the scope, then checked exactly here), and one `DESCRIBE FORMATTED` per table reads
 * columns, partition columns, storage and parameters, and one `SHOW PARTITIONS` per partitioned
 * table its partition values — HiveServer2 offers nothing set-based for those. The same statement yields `transient_lastDdlTime`, so incremental runs report unchanged
 * tables without re-writing them, but still describe every table.
 */
export async function* collectHive(
  exec: HiveExecutor,
  options: CollectOptions,
  onlyDatabase: string | undefined,
): AsyncGenerator<CatalogBatch> {
  const { signal, scope } = options;
  throwIfAborted(signal);
  const schemaPattern = patternFor(scope.includeSchemas, onlyDatabase);
  const databases = (await exec.schemas(schemaPattern, signal))
    .map((r) => textOr(r, 'TABLE_SCHEM'))
    .filter((d) => inScope(scope, onlyDatabase, d));
  yield { namespaces: databases.map((name) => ({ name, kind: 'database' })), assets: [] };
  if (databases.length === 0) return;

  const wanted = new Set(databases);
  const tables = (await exec.tables(schemaPattern, patternFor(scope.includeTables), signal))
    .map((r) => ({ namespace: textOr(r, 'TABLE_SCHEM'), name: textOr(r, 'TABLE_NAME') }))
    .filter((t) => wanted.has(t.namespace) && assetInScope(scope, t.namespace, t.name));
  options.onProgress?.(0, tables.length);

  let done = 0;
  for (const group of chunk(tables, options.batchSize)) {
    const assets: CatalogAsset[] = [];
    const unchanged: CatalogBatch['unchanged'] = [];
    for (const t of group) {
      throwIfAborted(signal);
      const described = parseDescribeFormatted(
        await exec.statement(`DESCRIBE FORMATTED ${hiveIdent(t.namespace)}.${hiveIdent(t.name)}`, signal),
      );
      // Partition values: one SHOW PARTITIONS per partitioned table (HiveServer2 has nothing set-based).
      const partitions =
        described.partitionColumns.length > 0 && kindOf(described) !== 'view'
          ? (await exec.statement(`SHOW PARTITIONS ${hiveIdent(t.namespace)}.${hiveIdent(t.name)}`, signal)).map((r) =>
              textOr(r, 'partition'),
            )
          : undefined;
      const asset = assetFromDescribe(t.namespace, t.name, described, options.mode !== 'schema_only', partitions);
      if (asset.changeSignal && isUnchanged(options, t.namespace, t.name, asset.changeSignal))
        unchanged.push({ namespace: t.namespace, name: t.name });
      else assets.push(asset);
    }
    done += group.length;
    options.onProgress?.(done, tables.length);
    yield unchanged.length > 0 ? { assets, unchanged } : { assets };
  }
}
