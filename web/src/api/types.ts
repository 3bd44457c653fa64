/** The shapes of the REST API the console reads (see /api/docs-json). */
export type Role = 'admin' | 'operator' | 'viewer' | 'steward';

export interface User {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  created_at: string;
  updated_at: string;
  last_login_at?: string;
}

export interface ConfigField {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'string[]' | 'object';
  required: boolean;
  default?: unknown;
  secret: boolean;
  description: string;
  enum?: string[];
  min?: number;
  max?: number;
  one_of?: string[];
}

export interface DataSourceType {
  type: string;
  display_name: string;
  config_fields: ConfigField[];
  capabilities: { task_types: string[]; incremental: string; change_signal?: string; profile: string[] };
}

export interface DataSource {
  id: string;
  name: string;
  type: string;
  description: string;
  status: 'active' | 'inactive' | 'error' | 'testing';
  config: Record<string, unknown>;
  tags: string[];
  last_test_at?: string;
  last_latency_ms?: number;
  last_error?: string;
  status_changed_at: string;
  created_at: string;
  updated_at: string;
}

export interface TestStep {
  name: string;
  ok: boolean;
  duration_ms: number;
  message?: string;
}

export interface TestResult {
  success: boolean;
  message: string;
  latency: number;
  server_info?: string;
  version?: string;
  details?: string;
  error_code?: string;
  steps: TestStep[];
}

export interface Statistics {
  rows: number | null;
  bytes: number | null;
  as_of: string | null;
}

export interface AssetSummary {
  id: string;
  data_source_id: string;
  namespace: string;
  name: string;
  type: string;
  comment: string | null;
  owner: string | null;
  field_count: number;
  statistics: Statistics | null;
  changed_at: string | null;
  removed_at: string | null;
}

export interface Annotations {
  version: number;
  description: string | null;
  tags: string[];
  owners: Array<{ user?: string; team?: string; type?: string }>;
  terms: string[];
  certification: { status: string; note?: string } | null;
  properties: Record<string, unknown>;
  updated_by: string | null;
  updated_at: string | null;
}

export interface Field {
  id: string;
  name: string;
  path: string;
  ordinal: number;
  data_type: string;
  nullable: boolean;
  default: string | null;
  comment: string | null;
  primary_key: boolean;
  annotations?: Annotations | null;
}

export interface Key {
  name: string;
  type: string;
  columns: string[];
  references?: { namespace?: string; table: string; columns: string[] };
  definition?: string;
}

export interface Index {
  name: string;
  columns: string[];
  unique: boolean;
  method?: string;
  predicate?: string;
}

export interface ColumnProfile {
  name: string;
  null_count: number;
  null_ratio: number;
  distinct_count: number;
  distinct_ratio: number;
  min?: unknown;
  max?: unknown;
  mean?: number;
  top_values?: Array<{ value: string; count: number }>;
}

export interface Profile {
  id: string;
  created_at: string;
  row_count: number;
  sampled: boolean;
  sample_rows: number;
  columns: ColumnProfile[];
}

export interface AssetDetail extends AssetSummary {
  fields: Field[];
  keys: Key[];
  indexes: Index[];
  properties: Record<string, unknown>;
  latest_profile: Profile | null;
  annotations: Annotations | null;
  first_seen_at: string;
  last_seen_at: string;
}

export interface Version {
  id: string;
  execution_id: string | null;
  change: 'added' | 'removed' | 'altered';
  fields_added: number;
  fields_removed: number;
  fields_altered: number;
  diff: Record<string, unknown>;
  created_at: string;
}

export interface SearchResult {
  type: 'asset' | 'field';
  id: string;
  asset_id: string;
  data_source_id: string;
  namespace: string;
  asset_name: string;
  asset_type: string;
  field_name: string | null;
  data_type: string | null;
  name: string;
  match: string;
  matched_in: string;
  matched_text: string | null;
}

export interface NamespaceNode {
  name: string;
  kind: string;
  asset_count: number;
  counts: Record<string, number>;
}

export interface MetadataTree {
  data_source_id: string;
  data_source_name: string;
  asset_count: number;
  counts: Record<string, number>;
  last_collected_at: string | null;
  namespaces: NamespaceNode[];
}

export interface TaskSchedule {
  type: 'immediate' | 'once' | 'cron' | 'interval';
  cron_expr?: string;
  timezone?: string;
  interval?: number;
  start_time?: string;
  end_time?: string;
}

export interface Task {
  id: string;
  name: string;
  description: string;
  datasource_id: string;
  type: string;
  status: 'inactive' | 'active' | 'paused';
  config: Record<string, unknown>;
  schedule: TaskSchedule;
  last_executed_at: string | null;
  next_execute_at: string | null;
}

export interface Execution {
  id: string;
  task_id: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  trigger: string;
  attempt: number;
  max_attempts: number;
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  progress: { assets_done: number; assets_known: number; percent: number; phase: string } | null;
  result: { tables_processed: number; records_processed: number; errors_count: number; warnings_count: number } | null;
  error: { code: string; message: string; details: string } | null;
}

export interface ExecutionLog {
  seq: number;
  time: string;
  level: string;
  message: string;
}

export interface Webhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  datasource_id: string | null;
  active: boolean;
  consecutive_failures: number;
  disabled_reason: string | null;
  secret?: string;
}

export interface Delivery {
  id: string;
  event: string;
  status: string;
  status_code: number | null;
  latency_ms: number | null;
  attempts: number;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface AuditEntry {
  id: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  actor_id?: string | null;
  actor_username?: string | null;
  username?: string | null;
  result?: string;
  created_at: string;
  [key: string]: unknown;
}
