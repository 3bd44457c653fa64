import { Injectable } from '@nestjs/common';
import { SchedulerType } from '../task-types';
import { BuiltinScheduler } from './builtin.scheduler';
import { DsConnection } from './dolphinscheduler/ds-connection.service';
import { DolphinSchedulerScheduler } from './dolphinscheduler/dolphinscheduler.scheduler';
import { Scheduler } from './scheduler';

/** The scheduler a task's `scheduler_type` names. */
@Injectable()
export class Schedulers {
  constructor(
    private readonly builtin: BuiltinScheduler,
    private readonly dolphinscheduler: DolphinSchedulerScheduler,
  ) {}

  /** Throws the 400 SCHEDULER_UNAVAILABLE when the named scheduler is not configured. */
  of(type: SchedulerType): Scheduler {
    switch (type) {
      case SchedulerType.Builtin:
        return this.builtin;
      case SchedulerType.DolphinScheduler:
        if (!this.dolphinscheduler.available) throw DsConnection.unavailable();
        return this.dolphinscheduler;
    }
  }
}
