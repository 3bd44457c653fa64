import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';

export enum SchedulingErrorCode {
  TaskNotFound = 'TASK_NOT_FOUND',
  InvalidSchedule = 'INVALID_SCHEDULE',
  SchedulerUnavailable = 'SCHEDULER_UNAVAILABLE',
  /** A scheduler's callback that the task's state does not allow. */
  CallbackRefused = 'CALLBACK_REFUSED',
  /** The external scheduler is down or answered an error. */
  SchedulerError = 'SCHEDULER_ERROR',
  /** Another change to the task's external schedule is being pushed right now. */
  TaskBusy = 'TASK_BUSY',
}

/** The envelope code of each scheduling error; exhaustive, so a new code cannot go unmapped. */
export function envelopeCodeOf(code: SchedulingErrorCode): ErrorCode {
  switch (code) {
    case SchedulingErrorCode.TaskNotFound:
      return ErrorCode.NotFound;
    case SchedulingErrorCode.InvalidSchedule:
    case SchedulingErrorCode.SchedulerUnavailable:
      return ErrorCode.InvalidRequest;
    case SchedulingErrorCode.CallbackRefused:
    case SchedulingErrorCode.TaskBusy:
      return ErrorCode.Conflict;
    case SchedulingErrorCode.SchedulerError:
      return ErrorCode.BadGateway;
  }
}

export class SchedulingException extends DomainException {
  constructor(
    readonly schedulingCode: SchedulingErrorCode,
    message: string,
    details?: string,
  ) {
    super(envelopeCodeOf(schedulingCode), message, details);
  }

  static taskNotFound(id: string): SchedulingException {
    return new SchedulingException(SchedulingErrorCode.TaskNotFound, `Task ${id} not found`);
  }

  static invalidSchedule(message: string, details?: string): SchedulingException {
    return new SchedulingException(SchedulingErrorCode.InvalidSchedule, message, details);
  }

  static busy(taskId: string): SchedulingException {
    return new SchedulingException(
      SchedulingErrorCode.TaskBusy,
      `Task ${taskId} is being changed by another request`,
      'Its external schedule is being updated; retry in a moment',
    );
  }
}
