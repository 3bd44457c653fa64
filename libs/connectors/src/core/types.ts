/** The 13 source kinds the service can register. */
export const DATA_SOURCE_TYPES = [
  'mysql',
  'postgresql',
  'oracle',
  'sqlserver',
  'mongodb',
  'redis',
  'kafka',
  'rabbitmq',
  'minio',
  'clickhouse',
  'doris',
  'hive',
  'elasticsearch',
] as const;
export type DataSourceType = (typeof DATA_SOURCE_TYPES)[number];

export const TASK_TYPES = ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** A plain configuration object as a user stores it (after secrets are decrypted). */
export type ConnectorConfig = Record<string, unknown>;

export type ConfigFieldType = 'string' | 'integer' | 'number' | 'boolean' | 'string[]' | 'object';

/** One configuration field of a source type: drives validation, masking and the `/datasources/types` listing. */
export interface ConfigField {
  name: string;
  type: ConfigFieldType;
  required: boolean;
  default?: unknown;
  /** Encrypted at rest and shown as "******". */
  secret: boolean;
  description: string;
  enum?: readonly string[];
  min?: number;
  max?: number;
  /** Names of fields of which at least one must be present (e.g. oracle service_name | sid). */
  oneOf?: readonly string[];
  /**
   * Says where the secrets go: the server's address, the TLS trust that proves its identity, or the
   * auth mechanism. When one changes, a stored secret is not carried over ("******" or left out):
   * the request must send it again, so a secret never reaches a server it was not given for.
   */
  addressing?: boolean;
}

export interface ConnectorCapabilities {
  taskTypes: readonly TaskType[];
  /**
   * How an incremental run decides what to re-read: `native` when the source exposes a cheap
   * change signal per object (see `signal`), `fingerprint` when every object is re-read and
   * compared by shape.
   */
  incremental: 'native' | 'fingerprint';
  /** What the native change signal is, in words (e.g. "pg_class row version (xmin)"). */
  changeSignal?: string;
  /** What `profile` computes, or an empty list when profiling is unsupported. */
  profile: readonly string[];
}

// ---- connection test ----------------------------------------------------------------------

export type TestStepName = 'resolve' | 'tcp' | 'tls' | 'authenticate' | 'catalog';

export interface TestStep {
  name: TestStepName;
  ok: boolean;
  duration_ms: number;
  message?: string;
}

export interface TestResult {
  success: boolean;
  message: string;
  /** Milliseconds the whole test took. */
  latency: number;
  server_info?: string;
  version?: string;
  /** On failure: what to try. */
  details?: string;
  error_code?: string;
  steps: TestStep[];
}

// ---- catalog model ------------------------------------------------------------------------

export type NamespaceKind = 'database' | 'schema' | 'vhost' | 'keyspace' | 'bucket' | 'cluster';

export type AssetKind =
  | 'table'
  | 'view'
  | 'materialized_view'
  | 'partitioned_table'
  | 'foreign_table'
  | 'external_table'
  | 'collection'
  | 'timeseries_collection'
  | 'topic'
  | 'queue'
  | 'exchange'
  | 'bucket'
  | 'prefix'
  | 'index'
  | 'data_stream'
  | 'key_pattern'
  | 'database'
  // Database objects beside tables (fields carry arguments, enum labels or composite members).
  | 'sequence'
  | 'function'
  | 'procedure'
  | 'trigger'
  | 'user_type'
  // Search-engine and stream configuration objects.
  | 'index_template'
  | 'component_template'
  | 'ingest_pipeline'
  | 'lifecycle_policy'
  | 'search_index'
  // Lake table formats and partitioned file datasets in object storage.
  | 'file'
  | 'dataset'
  | 'iceberg_table'
  | 'delta_table'
  // Seen only through lineage (an OpenLineage dataset not matched to a registered source).
  | 'external';

export interface CatalogNamespace {
  /** Unique within the source; for two-level sources (database.schema) the dotted path. */
  name: string;
  kind: NamespaceKind;
  properties?: Record<string, unknown>;
}

export interface CatalogField {
  name: string;
  /** 1-based position. */
  ordinal: number;
  /** The type as the source writes it, e.g. `character varying(64)`. */
  dataType: string;
  nullable: boolean;
  default?: string | null;
  comment?: string | null;
  primaryKey?: boolean;
  /** Dotted path for nested document/mapping fields (`address.city`); absent for flat columns. */
  path?: string;
  properties?: Record<string, unknown>;
}

export interface CatalogKey {
  name: string;
  type: 'primary' | 'unique' | 'foreign' | 'check';
  columns: string[];
  references?: { namespace?: string; table: string; columns: string[] };
  definition?: string;
}

export interface CatalogIndex {
  name: string;
  columns: string[];
  unique: boolean;
  method?: string;
  predicate?: string | null;
}

export interface CatalogStatistics {
  rows?: number | null;
  bytes?: number | null;
}

export interface CatalogAsset {
  namespace: string;
  name: string;
  kind: AssetKind;
  comment?: string | null;
  owner?: string | null;
  /** Typed properties per kind: engine, partitions, replication, retention, … */
  properties?: Record<string, unknown>;
  statistics?: CatalogStatistics;
  fields: CatalogField[];
  keys?: CatalogKey[];
  indexes?: CatalogIndex[];
  /** The source's native change token for this object (compared by incremental runs). */
  changeSignal?: string | null;
  /** Where this asset's data comes from, as the source declares it (views, bindings, aliases). */
  lineage?: AssetLineage;
}

// ---- lineage ------------------------------------------------------------------------------

/** How data reaches a downstream asset: declared by the source, reported by a job, or entered by a user. */
export type LineageKind = 'view' | 'materialized_view' | 'binding' | 'alias' | 'job' | 'manual';

/** One downstream field and the upstream fields it is computed from. */
export interface LineageFieldMapping {
  /** The downstream field (column name or dotted path). */
  field: string;
  /** Upstream fields it reads; several when it is an expression. */
  from: string[];
  /** `identity` when the value is copied unchanged, `expression` when computed. */
  transformation: 'identity' | 'expression';
}

/** An asset this one reads from. */
export interface LineageUpstream {
  namespace: string;
  name: string;
  /**
   * Set when the upstream lives on another server: its address in OpenLineage naming form
   * (e.g. `postgres://host:5432`), matched against registered sources' addresses.
   */
  address?: string;
  kind: LineageKind;
  fields?: LineageFieldMapping[];
}

/** The lineage of a collected asset. Edges ride on the downstream asset, so an unchanged asset keeps its own. */
export interface AssetLineage {
  upstream: LineageUpstream[];
  /** Why the definition could not be (fully) resolved; the asset is counted as unresolved. */
  unresolved?: string;
}

/** Identifies an asset within a source. */
export interface AssetRef {
  namespace: string;
  name: string;
}

export interface CatalogBatch {
  namespaces?: CatalogNamespace[];
  assets: CatalogAsset[];
  /**
   * Incremental runs: assets that still exist but whose change signal matched the previous run,
   * so their details were not read. They must not be treated as removed.
   */
  unchanged?: AssetRef[];
}

export interface CollectScope {
  includeSchemas?: string[];
  excludeSchemas?: string[];
  includeTables?: string[];
  excludeTables?: string[];
}

export interface CollectOptions {
  mode: 'full' | 'schema_only' | 'incremental';
  scope: CollectScope;
  /** Preferred number of assets per batch. */
  batchSize: number;
  signal: AbortSignal;
  /** Incremental runs: change signals from the last successful run, keyed by `assetKey()`. */
  previousSignals?: ReadonlyMap<string, string>;
  /** The task asks for top values: sources that keep most-common values may add them (never for secret-looking columns). */
  topValues?: boolean;
  /** Called with (done, known) asset counts while collecting, where the source can tell. */
  onProgress?: (done: number, known?: number) => void;
}

// ---- profiling ----------------------------------------------------------------------------

export interface ProfileOptions {
  /** Upper bound on rows read per table; larger tables are sampled. */
  sampleRows: number;
  /** Compute top values (never for columns whose names look secret). */
  topValues: boolean;
  topN: number;
  signal: AbortSignal;
}

export interface ProfileTarget {
  namespace: string;
  name: string;
  fields: Array<{ name: string; dataType: string }>;
}

export interface ColumnProfile {
  name: string;
  null_count: number;
  null_ratio: number;
  distinct_count: number;
  distinct_ratio: number;
  min?: string | number | null;
  max?: string | number | null;
  mean?: number | null;
  stddev?: number | null;
  min_length?: number | null;
  max_length?: number | null;
  avg_length?: number | null;
  top_values?: Array<{ value: string | null; count: number }>;
}

export interface AssetProfile {
  row_count: number;
  /** True when the metrics were computed on a sample rather than the whole table. */
  sampled: boolean;
  sample_rows?: number;
  columns: ColumnProfile[];
}

// ---- the connector contract ---------------------------------------------------------------

/** Checks a host the user typed against the outbound-address policy; throws ConnectorError. */
export type AddressGuard = (host: string) => Promise<string[]>;

export interface ConnectContext {
  /** Resolves the host and refuses it when the policy says so. Connectors call it before connecting. */
  guardAddress: AddressGuard;
  /** Structured log sink; never receives secrets. */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>) => void;
}

/** A live connection (or pool) to one data source. */
export interface Connector {
  test(signal: AbortSignal): Promise<TestResult>;
  collect(options: CollectOptions): AsyncIterable<CatalogBatch>;
  profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile>;
  close(): Promise<void>;
}

/** Everything the service needs to know about one source type. */
export interface ConnectorDefinition {
  readonly type: DataSourceType;
  readonly displayName: string;
  readonly configSpec: readonly ConfigField[];
  readonly capabilities: ConnectorCapabilities;
  /** Creates a connector bound to one config; pools open lazily and are released by close(). */
  create(config: ConnectorConfig, context: ConnectContext): Connector;
}
