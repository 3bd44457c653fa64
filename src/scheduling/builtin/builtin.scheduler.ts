import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { iso } from '../../common/timestamps';
import {
  ScheduleInput,
  ScheduledTask,
  ScheduleType,
  SchedulerType,
  TaskSchedule,
  TaskStatus,
} from '../scheduling-types';
import { ExecutionStoreService } from '../../executions/execution-store.service';
import { TASK_ROWS } from '../ports';
import { ExecutionTrigger } from '../../executions/execution-types';
import { DomainMetrics } from '../../metrics/domain-metrics';
import { planNextFiring } from '../next-firing';
import { normalizeSchedule } from '../schedule-rules';
import { ExternalRefs, NO_EXTERNAL_REFS, Scheduler } from '../scheduler';

/**
 * The scheduler inside the service. Each task's next firing lives in the store; on every tick
 * each replica looks for due firings and claims one with a single conditional UPDATE that
 * advances `next_execute_at` only if it still holds the due value. Exactly one replica's UPDATE
 * matches, and the same transaction queues the execution, so each firing runs exactly once.
 * A firing found long overdue (the service was down) runs once and the next one is planned
 * from the present.
 */
@Injectable()
export class BuiltinScheduler implements Scheduler {
  readonly type = SchedulerType.Builtin;
  readonly external = false;
  private readonly logger = new Logger('BuiltinScheduler');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TASK_ROWS) private readonly tasks: Repository<ScheduledTask>,
    private readonly executions: ExecutionStoreService,
    private readonly metrics: DomainMetrics,
  ) {}

  normalize(input: ScheduleInput, now: Date): TaskSchedule {
    return normalizeSchedule(input, now);
  }

  plan(task: Pick<ScheduledTask, 'schedule' | 'lastFiredAt'>, now: Date): Date | null {
    return planNextFiring({ schedule: task.schedule, reason: 'activate', now, lastFiredAt: task.lastFiredAt });
  }

  /** Firings missed while paused are not made up: a pending once/immediate firing or a future one is kept, else planned from now. */
  planResume(task: Pick<ScheduledTask, 'schedule' | 'lastFiredAt' | 'nextExecuteAt'>, now: Date): Date | null {
    const kept = task.nextExecuteAt;
    const keep =
      kept &&
      (task.schedule.type === ScheduleType.Once ||
        task.schedule.type === ScheduleType.Immediate ||
        kept.getTime() > now.getTime());
    return keep ? kept : this.plan(task, now);
  }

  /** Clears the next firing (only while the task is still builtin), and puts it back on undo. */
  async leave(task: ScheduledTask): Promise<() => Promise<void>> {
    await this.tasks.update({ id: task.id, schedulerType: task.schedulerType }, { nextExecuteAt: null });
    return async () => {
      await this.tasks.update({ id: task.id }, { nextExecuteAt: task.nextExecuteAt });
    };
  }

  // The builtin scheduler's state is the task row itself (next_execute_at): nothing else to change.
  async onStart(): Promise<ExternalRefs> {
    return NO_EXTERNAL_REFS;
  }

  async onPause(): Promise<void> {}

  async onResume(): Promise<ExternalRefs> {
    return NO_EXTERNAL_REFS;
  }

  async onStop(): Promise<void> {}

  async onDelete(): Promise<void> {}

  async onScheduleChanged(): Promise<ExternalRefs> {
    return NO_EXTERNAL_REFS;
  }

  async executeNow(): Promise<null> {
    return null;
  }

  /** Claims every due firing it can; returns how many executions it queued. */
  async claimDue(now = new Date()): Promise<number> {
    const due = await this.tasks
      .createQueryBuilder('t')
      .where(
        't.status = :active AND t.scheduler_type = :builtin AND t.next_execute_at IS NOT NULL AND t.next_execute_at <= :now',
        {
          active: TaskStatus.Active,
          builtin: SchedulerType.Builtin,
          now: now.getTime(),
        },
      )
      .orderBy('t.next_execute_at', 'ASC')
      .limit(100)
      .getMany();
    let queued = 0;
    for (const task of due) {
      try {
        if (!(await this.claimFiring(task, now))) continue;
        queued++;
        this.metrics.scheduleFired(task.nextExecuteAt!, now);
      } catch (err) {
        // The transaction rolled back, so the firing is still due and the next tick tries again.
        this.logger.warn({ err, task_id: task.id }, 'Claiming a firing failed');
      }
    }
    return queued;
  }

  private async claimFiring(task: ScheduledTask, now: Date): Promise<boolean> {
    const dueAt = task.nextExecuteAt!;
    const next = planNextFiring({
      schedule: task.schedule,
      reason: 'fired',
      now,
      due: dueAt,
      lastFiredAt: task.lastFiredAt,
    });
    return this.db.transaction(async (m) => {
      const claimed = await m
        .createQueryBuilder()
        .update(this.tasks.target)
        .set({ nextExecuteAt: next, lastFiredAt: dueAt })
        // scheduler_type too: a task that moved to another scheduler meanwhile is not fired here.
        .where('id = :id AND status = :active AND scheduler_type = :builtin AND next_execute_at = :due', {
          id: task.id,
          active: TaskStatus.Active,
          builtin: SchedulerType.Builtin,
          due: dueAt.getTime(),
        })
        .execute();
      if (claimed.affected !== 1) return false;
      const active = await this.executions.activeOf(task.id, m);
      if (active) {
        this.logger.warn(
          { task_id: task.id, execution_id: active.id, firing: iso(dueAt) },
          'Firing skipped: the previous run is still in progress',
        );
        return false;
      }
      await this.executions.insertWith(
        m,
        this.executions.build(task, ExecutionTrigger.Schedule, now, { scheduledAt: dueAt }),
      );
      return true;
    });
  }
}
