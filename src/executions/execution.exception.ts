import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

/** Errors of executions; statuses are in REASONS. */
export class ExecutionException extends DomainException {
  static executionNotFound(taskId: string, executionId: string): ExecutionException {
    return new ExecutionException(
      ErrorReason.ExecutionNotFound,
      `Execution ${executionId} of task ${taskId} not found`,
    );
  }

  static runInProgress(taskId: string, executionId?: string): ExecutionException {
    return new ExecutionException(
      ErrorReason.ExecutionRunning,
      `Task ${taskId} already has a run in progress`,
      executionId
        ? `execution ${executionId} is pending or running; wait for it or stop the task`
        : 'wait for it to finish or stop the task',
    );
  }
}
