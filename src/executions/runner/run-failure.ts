import { ConnectorErrorCode, isConnectorError } from '@app/connectors';
import { ExecutionError } from '../execution-store.service';

/** Codes an execution's `error.code` can carry besides the connector's own (AUTH_FAILED, UNREACHABLE, …). */
export enum ExecutionErrorCode {
  Timeout = 'TIMEOUT',
  Interrupted = 'INTERRUPTED',
  Cancelled = 'CANCELLED',
  DataSourceInactive = 'DATASOURCE_INACTIVE',
  DataSourceNotFound = 'DATASOURCE_NOT_FOUND',
  TaskNotFound = 'TASK_NOT_FOUND',
  Unsupported = 'UNSUPPORTED',
  Internal = 'INTERNAL',
}

/** A run failed for a reason the runner knows how to say. */
export class RunFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: string | null = null,
    /** Whether another attempt could succeed without anyone changing anything. */
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'RunFailure';
  }
}

export type AbortKind = 'stop' | 'timeout' | 'shutdown' | 'lost';

/** Why a run's AbortController fired. */
export class RunAbort extends Error {
  constructor(
    readonly kind: AbortKind,
    message: string,
  ) {
    super(message);
    this.name = 'RunAbort';
  }
}

// Failures that another attempt will not fix until someone changes the config or the source.
const NOT_RETRYABLE = new Set<string>([
  ConnectorErrorCode.InvalidConfig,
  ConnectorErrorCode.Unsupported,
  ConnectorErrorCode.AddressRefused,
  ExecutionErrorCode.DataSourceInactive,
  ExecutionErrorCode.DataSourceNotFound,
  ExecutionErrorCode.TaskNotFound,
  ExecutionErrorCode.Unsupported,
]);

export interface ClassifiedFailure {
  error: ExecutionError;
  retryable: boolean;
}

/** What an error thrown by a run means for the execution (not counting aborts, handled by the runner). */
export function classifyFailure(err: unknown): ClassifiedFailure {
  if (err instanceof RunFailure)
    return {
      error: { code: err.code, message: err.message, details: err.details },
      retryable: err.retryable && !NOT_RETRYABLE.has(err.code),
    };
  if (isConnectorError(err))
    return {
      error: { code: err.code, message: err.message, details: err.hint ?? null },
      retryable: !NOT_RETRYABLE.has(err.code),
    };
  const message = err instanceof Error ? err.message : String(err);
  return {
    error: { code: ExecutionErrorCode.Internal, message: `Run failed: ${message}`, details: null },
    retryable: true,
  };
}
