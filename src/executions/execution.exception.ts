import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';

export enum ExecutionExceptionCode {
  ExecutionNotFound = 'EXECUTION_NOT_FOUND',
  RunInProgress = 'RUN_IN_PROGRESS',
}

/** The envelope code of each execution error; exhaustive, so a new code cannot go unmapped. */
export function envelopeCodeOf(code: ExecutionExceptionCode): ErrorCode {
  switch (code) {
    case ExecutionExceptionCode.ExecutionNotFound:
      return ErrorCode.NotFound;
    case ExecutionExceptionCode.RunInProgress:
      return ErrorCode.Conflict;
  }
}

export class ExecutionException extends DomainException {
  constructor(
    readonly executionCode: ExecutionExceptionCode,
    message: string,
    details?: string,
  ) {
    super(envelopeCodeOf(executionCode), message, details);
  }

  static executionNotFound(taskId: string, executionId: string): ExecutionException {
    return new ExecutionException(
      ExecutionExceptionCode.ExecutionNotFound,
      `Execution ${executionId} of task ${taskId} not found`,
    );
  }

  static runInProgress(taskId: string, executionId?: string): ExecutionException {
    return new ExecutionException(
      ExecutionExceptionCode.RunInProgress,
      `Task ${taskId} already has a run in progress`,
      executionId
        ? `execution ${executionId} is pending or running; wait for it or stop the task`
        : 'wait for it to finish or stop the task',
    );
  }
}
