import { TaskType } from '@app/connectors';
import { TaskConfig } from '../executions/run-config';

export const CONFIG_DEFAULTS = {
  batch_size: 1000,
  timeout: 3600,
  retry_count: 0,
  sample_rows: 10_000,
  top_values: true,
  top_n: 10,
} as const;

export type TaskConfigInput = Partial<TaskConfig>;

/**
 * The stored config: `base` (the current one, on update) merged key by key with `input`,
 * defaults filled in. Profile settings are kept for data_profile tasks only.
 */
export function normalizeConfig(type: TaskType, input: TaskConfigInput | undefined, base?: TaskConfig): TaskConfig {
  const merged: TaskConfigInput = { ...(base ?? {}), ...stripUndefined(input ?? {}) };
  const config: TaskConfig = {
    include_schemas: merged.include_schemas ?? [],
    exclude_schemas: merged.exclude_schemas ?? [],
    include_tables: merged.include_tables ?? [],
    exclude_tables: merged.exclude_tables ?? [],
    batch_size: merged.batch_size ?? CONFIG_DEFAULTS.batch_size,
    timeout: merged.timeout ?? CONFIG_DEFAULTS.timeout,
    retry_count: merged.retry_count ?? CONFIG_DEFAULTS.retry_count,
  };
  // A collection may add the most common values the source's statistics keep; only when asked.
  if ((type === 'full_collection' || type === 'incremental_collection') && merged.top_values !== undefined)
    config.top_values = merged.top_values;
  if (type === 'data_profile') {
    config.sample_rows = merged.sample_rows ?? CONFIG_DEFAULTS.sample_rows;
    config.top_values = merged.top_values ?? CONFIG_DEFAULTS.top_values;
    config.top_n = merged.top_n ?? CONFIG_DEFAULTS.top_n;
  }
  return config;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
