import { Inject, Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';
import { TASK_ROWS } from '../ports';
import { Principal } from '../../auth/role';
import { ExecuteTaskResponseDto } from '../../executions/dto/execution.dto';
import {
  ScheduleInput,
  ScheduledTask,
  ScheduleType,
  SchedulerType,
  TaskSchedule,
  TaskStatus,
} from '../scheduling-types';
import { SchedulingException } from '../scheduling.exception';
import { planNextFiring } from '../next-firing';
import { normalizeSchedule } from '../schedule-rules';
import { ExternalRefs, refsOf, Scheduler } from '../scheduler';
import { DsCallbacksService } from './ds-callbacks.service';
import { DsConnectionService } from './ds-connection.service';
import { DsProvisionerService } from './ds-provisioner.service';
import { DsReconcilerService } from './ds-reconciler.service';
import { CronTranslationError, toQuartzCron } from './quartz-cron';

/** A cron expression with the same firings as an interval, when one exists (the interval divides a minute, hour or day). */
export function cronForInterval(seconds: number): string | null {
  if (seconds < 60 && 60 % seconds === 0) return `*/${seconds} * * * * *`;
  if (seconds % 60 === 0 && seconds < 3600 && 3600 % seconds === 0) return `0 */${seconds / 60} * * * *`;
  if (seconds % 3600 === 0 && seconds < 86400 && 86400 % seconds === 0) return `0 0 */${seconds / 3600} * * *`;
  if (seconds === 86400) return '0 0 0 * * *';
  return null;
}

/**
 * Apache DolphinScheduler as the scheduler of a task (scheduler_type "dolphinscheduler"): the task
 * becomes a workflow whose single HTTP task calls back this service's execute route, and a
 * schedule with the task's cron expression and time zone. DolphinScheduler fires; this service
 * runs the collection as an ordinary execution marked with the workflow instance id.
 *
 * Only cron schedules can be given to DolphinScheduler (interval, once and immediate are refused
 * with 400, naming an equivalent cron expression when one exists).
 */
@Injectable()
export class DolphinSchedulerScheduler implements Scheduler {
  readonly type = SchedulerType.DolphinScheduler;
  readonly external = true;

  constructor(
    private readonly conn: DsConnectionService,
    private readonly provisioner: DsProvisionerService,
    private readonly callbacks: DsCallbacksService,
    private readonly reconciler: DsReconcilerService,
    @Inject(TASK_ROWS) private readonly tasks: Repository<ScheduledTask>,
  ) {}

  get available(): boolean {
    return this.conn.enabled;
  }

  normalize(input: ScheduleInput, now: Date): TaskSchedule {
    if (input.type !== ScheduleType.Cron) {
      const equivalent =
        input.type === ScheduleType.Interval && input.interval ? cronForInterval(input.interval) : null;
      throw SchedulingException.invalidSchedule(
        `DolphinScheduler runs cron schedules only; a ${input.type} schedule cannot be given to it`,
        equivalent
          ? `Use {"type": "cron", "cron_expr": "${equivalent}"} (the same firings, aligned to the clock) or scheduler_type "builtin"`
          : 'Use a cron schedule, or scheduler_type "builtin" for immediate, once and interval schedules',
      );
    }
    const schedule = normalizeSchedule(input, now);
    try {
      toQuartzCron(schedule.cron_expr!);
    } catch (err) {
      if (err instanceof CronTranslationError) {
        throw SchedulingException.invalidSchedule(
          `schedule.cron_expr "${schedule.cron_expr}" cannot be given to DolphinScheduler: ${err.message}`,
          'Restrict either the day of the month or the day of the week',
        );
      }
      throw err;
    }
    return schedule;
  }

  /** The next firing shown on the task (computed here from the same cron; DolphinScheduler keeps the calendar). */
  plan(task: Pick<ScheduledTask, 'schedule' | 'lastFiredAt'>, now: Date): Date | null {
    return planNextFiring({ schedule: task.schedule, reason: 'activate', now, lastFiredAt: task.lastFiredAt });
  }

  /** DolphinScheduler keeps no pause state of its own to resume from: planned from now. */
  planResume(task: Pick<ScheduledTask, 'schedule' | 'lastFiredAt'>, now: Date): Date | null {
    return this.plan(task, now);
  }

  /** Removes the workflow; undoing makes it again for a live task and stores its new refs. */
  async leave(task: ScheduledTask): Promise<() => Promise<void>> {
    await this.onDelete(task);
    return async () => {
      if (task.status !== TaskStatus.Inactive) await this.tasks.update({ id: task.id }, await this.onStart(task));
    };
  }

  /** Workflow and schedule created or updated, online (offline for a paused task taken over). */
  onStart(task: ScheduledTask): Promise<ExternalRefs> {
    return this.provisioner.provision(task, task.status !== TaskStatus.Paused);
  }

  onPause(task: ScheduledTask): Promise<void> {
    return this.provisioner.offline(task);
  }

  onResume(task: ScheduledTask): Promise<ExternalRefs> {
    return this.provisioner.provision(task, true);
  }

  onStop(task: ScheduledTask): Promise<void> {
    return this.provisioner.offline(task);
  }

  onDelete(task: ScheduledTask): Promise<void> {
    return this.provisioner.remove(task);
  }

  /** Pushes the new cron and time zone to the task's schedule (an inactive task's on its next start). */
  async onScheduleChanged(task: ScheduledTask): Promise<ExternalRefs> {
    if (task.status === TaskStatus.Inactive) return refsOf(task);
    return this.provisioner.provision(task, task.status === TaskStatus.Active);
  }

  /** An active task's manual run starts a workflow instance; a paused or inactive one runs here (nothing is online there). */
  async executeNow(task: ScheduledTask, actor: Principal | null): Promise<ExecuteTaskResponseDto | null> {
    if (task.status !== TaskStatus.Active || !task.externalWorkflowCode) return null;
    const started = await this.callbacks.startManual(task, actor);
    this.reconciler.kick();
    return started;
  }
}
