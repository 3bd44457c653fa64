import { Injectable } from '@nestjs/common';
import { TaskException, TaskErrorCode } from '../task.exception';
import { SchedulerType } from '../task-types';
import { BuiltinScheduler } from './builtin.scheduler';
import { Scheduler } from './scheduler';

/** The scheduler a task's `scheduler_type` names. */
@Injectable()
export class Schedulers {
  constructor(private readonly builtin: BuiltinScheduler) {}

  of(type: SchedulerType): Scheduler {
    switch (type) {
      case SchedulerType.Builtin:
        return this.builtin;
      case SchedulerType.DolphinScheduler:
        throw new TaskException(
          TaskErrorCode.SchedulerUnavailable,
          'scheduler_type "dolphinscheduler" is not available in this build',
          'Use scheduler_type "builtin"; the DolphinScheduler integration is not configured',
        );
    }
  }
}
