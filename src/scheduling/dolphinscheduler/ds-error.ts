import { ErrorReason } from '../../common/errors/error-reason';
import { SchedulingException } from '../scheduling.exception';

/** What went wrong talking to DolphinScheduler. */
export type DsFailureKind = 'unreachable' | 'timeout' | 'http' | 'api' | 'protocol';

/** A failed call to DolphinScheduler's API; never carries the token. */
export class DolphinSchedulerError extends Error {
  constructor(
    readonly kind: DsFailureKind,
    /** What the call was for, e.g. "create workflow". */
    readonly operation: string,
    /** `METHOD /path` (no query string, no token). */
    readonly request: string,
    message: string,
    /** DolphinScheduler's `code` when it answered with its envelope. */
    readonly dsCode: number | null = null,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = 'DolphinSchedulerError';
  }

  /** DolphinScheduler answered with its envelope and this status code. */
  is(code: number): boolean {
    return this.kind === 'api' && this.dsCode === code;
  }
}

/**
 * The 502 a user sees: DolphinScheduler's own message, the call that failed and, when undoing a
 * half-made change also failed, what was left behind (so an operator can remove it).
 */
export function toBadGateway(err: unknown, leftBehind: string[] = []): SchedulingException {
  const left = leftBehind.length ? `; could not undo: ${leftBehind.join('; ')}` : '';
  if (err instanceof DolphinSchedulerError) {
    const what =
      err.kind === 'api'
        ? `DolphinScheduler refused to ${err.operation}: ${err.message} (code ${err.dsCode})`
        : err.kind === 'unreachable' || err.kind === 'timeout'
          ? `DolphinScheduler is unreachable (${err.operation}): ${err.message}`
          : `DolphinScheduler failed to ${err.operation}: ${err.message}`;
    return new SchedulingException(ErrorReason.SchedulerError, what, `${err.request}${left}`);
  }
  if (err instanceof SchedulingException) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SchedulingException(
    ErrorReason.SchedulerError,
    `DolphinScheduler integration failed: ${message}`,
    left ? left.slice(2) : undefined,
  );
}
