import { BSON, Document } from 'mongodb';
import { AssetKind, CatalogAsset, CatalogIndex, CatalogKey, CatalogStatistics } from '../core/types';
import { numericValue } from './bson-types';
import { declaredFields, InferredSchema, toCatalogFields } from './schema-inference';

/** A BSON value as plain JSON (relaxed Extended JSON), so properties store and compare as text. */
export function toPlain(value: unknown): unknown {
  if (value === undefined) return undefined;
  return BSON.EJSON.serialize(value, { relaxed: true });
}

function record(value: unknown): Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Document) : {};
}

function num(value: unknown): number | undefined {
  return numericValue(value);
}

/** `listCollections` reports `type` collection, view or timeseries. */
export function collectionKind(info: Document): AssetKind {
  if (info.type === 'view') return 'view';
  if (info.type === 'timeseries') return 'timeseries_collection';
  return 'collection';
}

function uuidText(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { toUUID?: () => { toHexString(): string }; toHexString?: () => string };
  if (typeof v.toUUID === 'function') return v.toUUID().toHexString();
  if (typeof v.toHexString === 'function') return v.toHexString();
  return undefined;
}

const defined = (entries: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));

/** Properties from a `listCollections` entry: capped limits, time series, view, validator, collation. */
export function collectionProperties(info: Document): Record<string, unknown> {
  const options = record(info.options);
  const details = record(info.info);
  const validator = options.validator === undefined ? undefined : record(options.validator);
  const timeseries = options.timeseries === undefined ? undefined : record(options.timeseries);
  return defined({
    capped: options.capped === true,
    max_size_bytes: options.capped === true ? num(options.size) : undefined,
    max_documents: options.capped === true ? num(options.max) : undefined,
    timeseries: timeseries
      ? defined({
          time_field: timeseries.timeField,
          meta_field: timeseries.metaField,
          granularity: timeseries.granularity,
          bucket_max_span_seconds: num(timeseries.bucketMaxSpanSeconds),
          bucket_rounding_seconds: num(timeseries.bucketRoundingSeconds),
        })
      : undefined,
    expire_after_seconds: num(options.expireAfterSeconds),
    view_on: typeof options.viewOn === 'string' ? options.viewOn : undefined,
    pipeline: Array.isArray(options.pipeline) ? toPlain(options.pipeline) : undefined,
    validator: validator ? toPlain(validator) : undefined,
    json_schema: validator?.$jsonSchema !== undefined ? toPlain(validator.$jsonSchema) : undefined,
    validation_level: options.validationLevel,
    validation_action: options.validationAction,
    collation: options.collation ? toPlain(options.collation) : undefined,
    clustered_index: options.clusteredIndex ? toPlain(options.clusteredIndex) : undefined,
    change_stream_pre_and_post_images: options.changeStreamPreAndPostImages
      ? toPlain(options.changeStreamPreAndPostImages)
      : undefined,
    uuid: uuidText(details.uuid),
    read_only: typeof details.readOnly === 'boolean' ? details.readOnly : undefined,
  });
}

const SPECIAL_INDEX_TYPES = new Set(['text', '2dsphere', '2d', 'hashed', 'geoHaystack', 'columnstore']);

/** The index method: a special type when a key says so, `wildcard` for `$**` keys, else `btree`. */
export function indexMethod(key: Document): string {
  for (const [field, direction] of Object.entries(key)) {
    if (typeof direction === 'string' && SPECIAL_INDEX_TYPES.has(direction)) return direction;
    if (field === '$**' || field.endsWith('.$**')) return 'wildcard';
  }
  return 'btree';
}

export interface MongoIndexes {
  indexes: CatalogIndex[];
  keys: CatalogKey[];
  /** Everything `listIndexes` says, for the asset's properties. */
  details: Array<Record<string, unknown>>;
}

/** Maps `listIndexes` output: key fields, unique, sparse, partial filter, TTL, hidden, collation. */
export function mapIndexes(indexDocs: readonly Document[]): MongoIndexes {
  const indexes: CatalogIndex[] = [];
  const keys: CatalogKey[] = [];
  const details: Array<Record<string, unknown>> = [];
  for (const doc of indexDocs) {
    const name = String(doc.name);
    const key = record(doc.key);
    const method = indexMethod(key);
    // A text index stores its fields as weights; `_fts`/`_ftsx` are internal key parts.
    const textFields = method === 'text' ? Object.keys(record(doc.weights)) : [];
    const keyFields = Object.keys(key).filter((f) => f !== '_fts' && f !== '_ftsx');
    const columns = method === 'text' ? [...keyFields, ...textFields] : keyFields;
    const unique = doc.unique === true || name === '_id_';
    const partial = doc.partialFilterExpression === undefined ? undefined : toPlain(doc.partialFilterExpression);
    indexes.push({ name, columns, unique, method, predicate: partial === undefined ? null : JSON.stringify(partial) });
    if (name === '_id_') keys.push({ name, type: 'primary', columns: ['_id'] });
    else if (doc.unique === true) keys.push({ name, type: 'unique', columns });
    details.push(
      defined({
        name,
        key: toPlain(key),
        unique,
        sparse: doc.sparse === true ? true : undefined,
        hidden: doc.hidden === true ? true : undefined,
        ttl_seconds: num(doc.expireAfterSeconds),
        partial_filter: partial,
        collation: doc.collation ? toPlain(doc.collation) : undefined,
        weights: doc.weights ? toPlain(doc.weights) : undefined,
        wildcard_projection: doc.wildcardProjection ? toPlain(doc.wildcardProjection) : undefined,
        version: num(doc.v),
      }),
    );
  }
  return { indexes, keys, details };
}

export interface MongoStorage {
  statistics: CatalogStatistics;
  properties: Record<string, unknown>;
}

/**
 * Sums `$collStats` storageStats over shards. Rows are its `count` (collection metadata, no
 * scan); time series collections report no count there, so their rows stay unknown and the
 * bucket count is kept instead.
 */
export function mapStorage(statsDocs: readonly Document[]): MongoStorage {
  let rows: number | undefined;
  let size = 0;
  let storageSize = 0;
  let indexSize = 0;
  let buckets: number | undefined;
  for (const doc of statsDocs) {
    const s = record(doc.storageStats);
    const count = num(s.count);
    if (count !== undefined) rows = (rows ?? 0) + count;
    size += num(s.size) ?? 0;
    storageSize += num(s.storageSize) ?? 0;
    indexSize += num(s.totalIndexSize) ?? 0;
    const bucketCount = num(record(s.timeseries).bucketCount);
    if (bucketCount !== undefined) buckets = (buckets ?? 0) + bucketCount;
  }
  return {
    statistics: { rows: rows ?? null, bytes: statsDocs.length > 0 ? storageSize : null },
    properties: defined({
      data_size: size,
      storage_size: storageSize,
      total_index_size: indexSize,
      avg_obj_size: rows ? Math.round(size / rows) : undefined,
      bucket_count: buckets,
      shards: statsDocs.some((d) => d.shard !== undefined) ? statsDocs.map((d) => String(d.shard)) : undefined,
    }),
  };
}

export interface CollectionInput {
  database: string;
  info: Document;
  indexDocs: readonly Document[];
  /** Absent when statistics were not read (schema_only) or not readable. */
  storage?: MongoStorage;
  /** Why storage is absent although it was asked for. */
  storageError?: string;
  schema: InferredSchema;
  sampleSize: number;
}

/** Assembles one catalog asset from what the server said about a collection or view. */
export function buildCollectionAsset(input: CollectionInput): CatalogAsset {
  const { info, schema } = input;
  const properties = collectionProperties(info);
  const { indexes, keys, details } = mapIndexes(input.indexDocs);
  const validator = record(record(info.options).validator);
  const declared = validator.$jsonSchema === undefined ? [] : declaredFields(validator.$jsonSchema);
  const jsonSchemaDescription = record(validator.$jsonSchema).description;
  return {
    namespace: input.database,
    name: String(info.name),
    kind: collectionKind(info),
    comment: typeof jsonSchemaDescription === 'string' ? jsonSchemaDescription : null,
    properties: {
      type: info.type ?? 'collection',
      ...properties,
      ...(details.length > 0 ? { indexes: details } : {}),
      ...(input.storage?.properties ?? {}),
      ...(input.storageError ? { statistics_error: input.storageError } : {}),
      sample: { requested: input.sampleSize, sampled: schema.sampled, truncated: schema.truncated },
    },
    ...(input.storage ? { statistics: input.storage.statistics } : {}),
    fields: toCatalogFields(schema, declared),
    keys,
    indexes,
  };
}
