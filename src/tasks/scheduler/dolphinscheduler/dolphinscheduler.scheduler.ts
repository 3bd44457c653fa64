import { Injectable } from '@nestjs/common';
import { Principal } from '../../../auth/role';
import { ExecuteTaskResponseDto } from '../../dto/execution.dto';
import { TaskScheduleDto } from '../../dto/task-schedule.dto';
import { TaskEntity } from '../../task.entity';
import { TaskException } from '../../task.exception';
import { ScheduleType, SchedulerType, TaskSchedule, TaskStatus } from '../../task-types';
import { planNextFiring } from '../next-firing';
import { normalizeSchedule } from '../schedule-rules';
import { ExternalRefs, refsOf, Scheduler } from '../scheduler';
import { DsCallbacks } from './ds-callbacks.service';
import { DsConnection } from './ds-connection.service';
import { DsProvisioner } from './ds-provisioner.service';
import { DsReconciler } from './ds-reconciler.service';
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
    private readonly conn: DsConnection,
    private readonly provisioner: DsProvisioner,
    private readonly callbacks: DsCallbacks,
    private readonly reconciler: DsReconciler,
  ) {}

  get available(): boolean {
    return this.conn.enabled;
  }

  normalize(input: TaskScheduleDto, now: Date): TaskSchedule {
    if (input.type !== ScheduleType.Cron) {
      const equivalent = input.type === ScheduleType.Interval && input.interval ? cronForInterval(input.interval) : null;
      throw TaskException.invalidSchedule(
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
        throw TaskException.invalidSchedule(`schedule.cron_expr "${schedule.cron_expr}" cannot be given to DolphinScheduler: ${err.message}`, 'Restrict either the day of the month or the day of the week');
      }
      throw err;
    }
    return schedule;
  }

  /** The next firing shown on the task (computed here from the same cron; DolphinScheduler keeps the calendar). */
  plan(task: Pick<TaskEntity, 'schedule' | 'lastFiredAt'>, now: Date): Date | null {
    return planNextFiring({ schedule: task.schedule, reason: 'activate', now, lastFiredAt: task.lastFiredAt });
  }

  /** Workflow and schedule created or updated, online (offline for a paused task taken over). */
  onStart(task: TaskEntity): Promise<ExternalRefs> {
    return this.provisioner.provision(task, task.status !== TaskStatus.Paused);
  }

  onPause(task: TaskEntity): Promise<void> {
    return this.provisioner.offline(task);
  }

  onResume(task: TaskEntity): Promise<ExternalRefs> {
    return this.provisioner.provision(task, true);
  }

  onStop(task: TaskEntity): Promise<void> {
    return this.provisioner.offline(task);
  }

  onDelete(task: TaskEntity): Promise<void> {
    return this.provisioner.remove(task);
  }

  /** Pushes the new cron and time zone to the task's schedule (an inactive task's on its next start). */
  async onScheduleChanged(task: TaskEntity): Promise<ExternalRefs> {
    if (task.status === TaskStatus.Inactive) return refsOf(task);
    return this.provisioner.provision(task, task.status === TaskStatus.Active);
  }

  /** An active task's manual run starts a workflow instance; a paused or inactive one runs here (nothing is online there). */
  async executeNow(task: TaskEntity, actor: Principal | null): Promise<ExecuteTaskResponseDto | null> {
    if (task.status !== TaskStatus.Active || !task.externalWorkflowCode) return null;
    const started = await this.callbacks.startManual(task, actor);
    this.reconciler.kick();
    return started;
  }
}
