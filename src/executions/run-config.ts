import { CollectScope } from '@app/connectors';

/** A task's config as stored and returned, defaults applied: what each of its runs reads. */
export interface TaskConfig {
  include_schemas: string[];
  exclude_schemas: string[];
  include_tables: string[];
  exclude_tables: string[];
  batch_size: number;
  /** Seconds a run may take before it fails with TIMEOUT. */
  timeout: number;
  /** Further attempts after a failed one. */
  retry_count: number;
  /** data_profile only. */
  sample_rows?: number;
  top_values?: boolean;
  top_n?: number;
}

/** The config's globs as the connectors take them. */
export function scopeOf(config: TaskConfig): CollectScope {
  return {
    includeSchemas: config.include_schemas,
    excludeSchemas: config.exclude_schemas,
    includeTables: config.include_tables,
    excludeTables: config.exclude_tables,
  };
}
