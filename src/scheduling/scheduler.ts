import { Principal } from '../auth/role';
import { ExecuteTaskResponseDto } from '../executions/dto/execution.dto';
import { ScheduleInput, ScheduledTask, SchedulerType, TaskSchedule } from './scheduling-types';

/** The ids a task keeps of what an external scheduler holds for it (all null for the builtin one). */
export interface ExternalRefs {
  externalWorkflowCode: string | null;
  externalScheduleId: string | null;
  externalCredentialId: string | null;
}

export const NO_EXTERNAL_REFS: ExternalRefs = {
  externalWorkflowCode: null,
  externalScheduleId: null,
  externalCredentialId: null,
};

export const refsOf = (task: ExternalRefs): ExternalRefs => ({
  externalWorkflowCode: task.externalWorkflowCode,
  externalScheduleId: task.externalScheduleId,
  externalCredentialId: task.externalCredentialId,
});

/**
 * Who decides when a task fires. The builtin scheduler keeps each task's next firing in the
 * store and claims due firings on its tick; an external scheduler (DolphinScheduler) owns the
 * calendar itself and calls back to run the collection.
 *
 * The life-cycle hooks run before the task's new state is stored, under the task's lock when
 * the scheduler is `external` (SchedulerFactory.serialize). Each either completes or undoes what
 * it did and throws (a 502-class SchedulingException when the other system failed), so nothing
 * is left half-made. The builtin scheduler's hooks do nothing: its state is the task row itself.
 */
export interface Scheduler {
  readonly type: SchedulerType;
  /** True when another system holds the schedule: changes go there first, one at a time per task (the factory asks, no one else). */
  readonly external: boolean;
  /** Checks a schedule this scheduler is asked to run and returns it as stored; throws INVALID_SCHEDULE. */
  normalize(input: ScheduleInput, now: Date): TaskSchedule;
  /** The next firing to show (builtin: to claim) when a task becomes active or its schedule changes (null: none). */
  plan(task: Pick<ScheduledTask, 'schedule' | 'lastFiredAt'>, now: Date): Date | null;
  /** The next firing when a paused task resumes. */
  planResume(task: Pick<ScheduledTask, 'schedule' | 'lastFiredAt' | 'nextExecuteAt'>, now: Date): Date | null;
  /** The task moves to another scheduler: this one stops firing it. Returns how to put it back if the move fails. */
  leave(task: ScheduledTask): Promise<() => Promise<void>>;
  /** inactive → active (or taking over an active task): make its schedule fire. Returns the refs to keep. */
  onStart(task: ScheduledTask): Promise<ExternalRefs>;
  /** active → paused: no firings, schedule kept. */
  onPause(task: ScheduledTask): Promise<void>;
  /** paused → active. Returns the refs to keep. */
  onResume(task: ScheduledTask): Promise<ExternalRefs>;
  /** → inactive: no firings; what the scheduler holds is kept for the next start. */
  onStop(task: ScheduledTask): Promise<void>;
  /** The task is deleted or leaves this scheduler: remove what it holds. */
  onDelete(task: ScheduledTask): Promise<void>;
  /** The schedule of an active or paused task changed (`task.schedule` is the new one). Returns the refs to keep. */
  onScheduleChanged(task: ScheduledTask, previous: TaskSchedule): Promise<ExternalRefs>;
  /** A manual run this scheduler starts itself (answered 202), or null to queue it here directly. */
  executeNow(task: ScheduledTask, actor: Principal | null): Promise<ExecuteTaskResponseDto | null>;
}
