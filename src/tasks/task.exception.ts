import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';

export enum TaskErrorCode {
  TaskNotFound = 'TASK_NOT_FOUND',
  DataSourceNotFound = 'DATASOURCE_NOT_FOUND',
  UnsupportedTaskType = 'UNSUPPORTED_TASK_TYPE',
  InvalidTransition = 'INVALID_TRANSITION',
  NameTaken = 'NAME_TAKEN',
}

/** The envelope code of each task error; exhaustive, so a new code cannot go unmapped. */
export function envelopeCodeOf(code: TaskErrorCode): ErrorCode {
  switch (code) {
    case TaskErrorCode.TaskNotFound:
      return ErrorCode.NotFound;
    case TaskErrorCode.DataSourceNotFound:
    case TaskErrorCode.UnsupportedTaskType:
      return ErrorCode.InvalidRequest;
    case TaskErrorCode.InvalidTransition:
    case TaskErrorCode.NameTaken:
      return ErrorCode.Conflict;
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

  static dataSourceNotFound(id: string): TaskException {
    return new TaskException(
      TaskErrorCode.DataSourceNotFound,
      `Data source ${id} not found`,
      'datasource_id must name an existing data source',
    );
  }

  static invalidTransition(action: string, status: string, allowedFrom: readonly string[]): TaskException {
    return new TaskException(
      TaskErrorCode.InvalidTransition,
      `Cannot ${action} a task that is ${status}`,
      `${action} applies to tasks that are ${allowedFrom.join(' or ')}`,
    );
  }

  static nameTaken(name: string): TaskException {
    return new TaskException(TaskErrorCode.NameTaken, `A task named "${name}" already exists`);
  }
}
