import { Injectable } from '@nestjs/common';
import { BuiltinScheduler } from './builtin/builtin.scheduler';
import { DolphinSchedulerScheduler } from './dolphinscheduler/dolphinscheduler.scheduler';
import { DsConnectionService } from './dolphinscheduler/ds-connection.service';
import { Scheduler } from './scheduler';
import { ScheduledTask, SchedulerType } from './scheduling-types';
import { TaskLockService } from './task-lock.service';

/** The scheduler a task's `scheduler_type` names, and the one rule of how changes to it are made. */
@Injectable()
export class SchedulerFactory {
  constructor(
    private readonly builtin: BuiltinScheduler,
    private readonly dolphinscheduler: DolphinSchedulerScheduler,
    private readonly lock: TaskLockService,
  ) {}

  /** Throws the 400 SCHEDULER_UNAVAILABLE when the named scheduler is not configured. */
  of(type: SchedulerType): Scheduler {
    switch (type) {
      case SchedulerType.Builtin:
        return this.builtin;
      case SchedulerType.DolphinScheduler:
        if (!this.dolphinscheduler.available) throw DsConnectionService.unavailable();
        return this.dolphinscheduler;
    }
  }

  /** The scheduler that holds something for the task: a task that never reached an external one is the builtin's alone (even once that one is unconfigured). */
  holding(task: Pick<ScheduledTask, 'schedulerType' | 'externalWorkflowCode'>): Scheduler {
    return task.externalWorkflowCode ? this.of(task.schedulerType) : this.builtin;
  }

  /**
   * Runs one change of a task's schedule. When an external scheduler is involved the change holds
   * the task's lock (409 TASK_BUSY otherwise), so calls to the other system never interleave, and
   * `fn` is told to re-read the task; the builtin scheduler's conditional UPDATEs need no lock.
   */
  serialize<T>(taskId: string, schedulers: Scheduler[], fn: (locked: boolean) => Promise<T>): Promise<T> {
    if (!schedulers.some((s) => s.external)) return fn(false);
    return this.lock.run(taskId, () => fn(true));
  }
}
