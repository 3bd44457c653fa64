import { TaskType } from '@app/connectors';

export enum ExecutionStatus {
  Pending = 'pending',
  Running = 'running',
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const FINISHED_STATUSES: readonly ExecutionStatus[] = [
  ExecutionStatus.Completed,
  ExecutionStatus.Failed,
  ExecutionStatus.Cancelled,
];

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
