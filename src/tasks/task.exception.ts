import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';

export enum TaskErrorCode {
  TaskNotFound = 'TASK_NOT_FOUND',
  ExecutionNotFound = 'EXECUTION_NOT_FOUND',
  DataSourceNotFound = 'DATASOURCE_NOT_FOUND',
  InvalidSchedule = 'INVALID_SCHEDULE',
  UnsupportedTaskType = 'UNSUPPORTED_TASK_TYPE',
  SchedulerUnavailable = 'SCHEDULER_UNAVAILABLE',
  InvalidTransition = 'INVALID_TRANSITION',
  RunInProgress = 'RUN_IN_PROGRESS',
  NameTaken = 'NAME_TAKEN',
  /** The external scheduler is down or answered an error. */
  SchedulerError = 'SCHEDULER_ERROR',
  /** Another change to the task's external schedule is being pushed right now. */
  TaskBusy = 'TASK_BUSY',
}

/** The envelope code of each task error; exhaustive, so a new code cannot go unmapped. */
export function envelopeCodeOf(code: TaskErrorCode): ErrorCode {
  switch (code) {
    case TaskErrorCode.TaskNotFound:
    case TaskErrorCode.ExecutionNotFound:
      return ErrorCode.NotFound;
    case TaskErrorCode.DataSourceNotFound:
    case TaskErrorCode.InvalidSchedule:
    case TaskErrorCode.UnsupportedTaskType:
    case TaskErrorCode.SchedulerUnavailable:
      return ErrorCode.InvalidRequest;
    case TaskErrorCode.InvalidTransition:
    case TaskErrorCode.RunInProgress:
    case TaskErrorCode.NameTaken:
    case TaskErrorCode.TaskBusy:
      return ErrorCode.Conflict;
    case TaskErrorCode.SchedulerError:
      return ErrorCode.BadGateway;
  }
}

export class TaskException extends DomainException {
  constructor(
    readonly taskCode: TaskErrorCode,
    message: string,
    details?: string,
  ) {
    super(envelopeCodeOf(taskCode), message, details);
  }

  static taskNotFound(id: string): TaskException {
    return new TaskException(TaskErrorCode.TaskNotFound, `Task ${id} not found`);
  }

  static executionNotFound(taskId: string, executionId: string): TaskException {
    return new TaskException(TaskErrorCode.ExecutionNotFound, `Execution ${executionId} of task ${taskId} not found`);
  }

  static dataSourceNotFound(id: string): TaskException {
    return new TaskException(TaskErrorCode.DataSourceNotFound, `Data source ${id} not found`, 'datasource_id must name an existing data source');
  }

  static invalidSchedule(message: string, details?: string): TaskException {
    return new TaskException(TaskErrorCode.InvalidSchedule, message, details);
  }

  static invalidTransition(action: string, status: string, allowedFrom: readonly string[]): TaskException {
    return new TaskException(
      TaskErrorCode.InvalidTransition,
      `Cannot ${action} a task that is ${status}`,
      `${action} applies to tasks that are ${allowedFrom.join(' or ')}`,
    );
  }

  static runInProgress(taskId: string, executionId?: string): TaskException {
    return new TaskException(
      TaskErrorCode.RunInProgress,
      `Task ${taskId} already has a run in progress`,
      executionId ? `execution ${executionId} is pending or running; wait for it or stop the task` : 'wait for it to finish or stop the task',
    );
  }

  static busy(taskId: string): TaskException {
    return new TaskException(TaskErrorCode.TaskBusy, `Task ${taskId} is being changed by another request`, 'Its external schedule is being updated; retry in a moment');
  }

  static nameTaken(name: string): TaskException {
    return new TaskException(TaskErrorCode.NameTaken, `A task named "${name}" already exists`);
  }
}
