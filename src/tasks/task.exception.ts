import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

/** Errors of the tasks feature; each reason's statuses are in REASONS. */
export class TaskException extends DomainException {
  static taskNotFound(id: string): TaskException {
    return new TaskException(ErrorReason.TaskNotFound, `Task ${id} not found`);
  }

  static dataSourceNotFound(id: string): TaskException {
    return new TaskException(
      ErrorReason.TaskDataSourceNotFound,
      `Data source ${id} not found`,
      'datasource_id must name an existing data source',
    );
  }

  static invalidTransition(action: string, status: string, allowedFrom: readonly string[]): TaskException {
    return new TaskException(
      ErrorReason.InvalidTransition,
      `Cannot ${action} a task that is ${status}`,
      `${action} applies to tasks that are ${allowedFrom.join(' or ')}`,
    );
  }

  static nameTaken(name: string): TaskException {
    return new TaskException(ErrorReason.TaskNameTaken, `A task named "${name}" already exists`);
  }
}
