import { TaskType } from '@app/connectors';
import { TaskConfig } from '../executions/run-config';

/** The task life cycle (contract.md): created inactive; start → active; pause → paused; resume → active; stop → inactive. */
export enum TaskStatus {
  Inactive = 'inactive',
  Active = 'active',
  Paused = 'paused',
}

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

/** A schedule as a caller gives it, before it is checked. */
export type ScheduleInput = TaskSchedule;

/** The columns of a task row the schedulers read and write (the tasks feature's entity has them all). */
export interface ScheduledTask {
  id: string;
  name: string;
  datasourceId: string;
  type: TaskType;
  status: TaskStatus;
  config: TaskConfig;
  schedule: TaskSchedule;
  schedulerType: SchedulerType;
  nextExecuteAt: Date | null;
  lastFiredAt: Date | null;
  externalWorkflowCode: string | null;
  externalScheduleId: string | null;
  externalCredentialId: string | null;
  syncLock?: string | null;
  syncLockUntil?: Date | null;
}
