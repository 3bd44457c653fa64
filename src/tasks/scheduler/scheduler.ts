import { TaskScheduleDto } from '../dto/task-schedule.dto';
import { TaskEntity } from '../task.entity';
import { SchedulerType, TaskSchedule } from '../task-types';

/**
 * Who decides when a task fires. The builtin scheduler keeps each task's next firing in the
 * store and claims due firings on its tick; an external scheduler (DolphinScheduler) would own
 * the calendar itself and call back to run the collection.
 */
export interface Scheduler {
  readonly type: SchedulerType;
  /** Checks a schedule this scheduler is asked to run and returns it as stored; throws INVALID_SCHEDULE. */
  normalize(input: TaskScheduleDto, now: Date): TaskSchedule;
  /** The next firing to hold when a task becomes active or its schedule changes while active (null: none). */
  plan(task: Pick<TaskEntity, 'schedule' | 'lastFiredAt'>, now: Date): Date | null;
}
