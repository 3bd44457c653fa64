import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

/** Errors of scheduling (schedules, the external scheduler and its callbacks); statuses are in REASONS. */
export class SchedulingException extends DomainException {
  static taskNotFound(id: string): SchedulingException {
    return new SchedulingException(ErrorReason.TaskNotFound, `Task ${id} not found`);
  }

  static invalidSchedule(message: string, details?: string): SchedulingException {
    return new SchedulingException(ErrorReason.InvalidSchedule, message, details);
  }

  static busy(taskId: string): SchedulingException {
    return new SchedulingException(
      ErrorReason.TaskBusy,
      `Task ${taskId} is being changed by another request`,
      'Its external schedule is being updated; retry in a moment',
    );
  }
}
