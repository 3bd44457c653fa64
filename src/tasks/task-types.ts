import { TASK_TYPES, TaskType } from '@app/connectors';

export { TASK_TYPES };
export type { TaskType };

/** The task life cycle (contract.md): created inactive; start → active; pause → paused; resume → active; stop → inactive. */
export enum TaskStatus {
  Inactive = 'inactive',
  Active = 'active',
  Paused = 'paused',
}

export enum ExecutionStatus {
  Pending = 'pending',
  Running = 'running',
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const FINISHED_STATUSES: readonly ExecutionStatus[] = [ExecutionStatus.Completed, ExecutionStatus.Failed, ExecutionStatus.Cancelled];

export enum ScheduleType {
  Immediate = 'immediate',
  Once = 'once',
  Cron = 'cron',
  Interval = 'interval',
}

export enum SchedulerType {
  Builtin = 'builtin',
  DolphinScheduler = 'dolphinscheduler',
}

/** What created an execution. */
export enum ExecutionTrigger {
  Manual = 'manual',
  Schedule = 'schedule',
  Retry = 'retry',
}

/** The catalog mode each collection task type runs in; data_profile profiles instead of collecting. */
export function collectModeOf(type: TaskType): 'full' | 'schema_only' | 'incremental' | null {
  switch (type) {
    case 'full_collection':
      return 'full';
    case 'schema_only':
      return 'schema_only';
    case 'incremental_collection':
      return 'incremental';
    case 'data_profile':
      return null;
  }
}

/** A task's schedule as stored and returned (snake_case like the API). */
export interface TaskSchedule {
  type: ScheduleType;
  /** cron: five fields (minute hour day month weekday) or six with seconds first. */
  cron_expr?: string;
  /** cron: IANA time zone the expression is read in; UTC when absent. */
  timezone?: string;
  /** interval: seconds between firings. */
  interval?: number;
  /** once: when to run; cron/interval: no firing before it. ISO 8601. */
  start_time?: string;
  /** No firing after it. ISO 8601. */
  end_time?: string;
}

/** A task's config as stored and returned, defaults applied. */
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
