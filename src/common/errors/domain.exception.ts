import { ErrorCode } from './error-code';

/**
 * The base of every error a feature throws on purpose. Features subclass it (`TaskException`,
 * `DataSourceException`) with their own factories; the filters turn it into the envelope.
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /**
   * For a CONFLICT: true when the thing being created (or renamed) already exists, as opposed to a
   * state that forbids the call. gRPC tells the two apart (ALREADY_EXISTS vs FAILED_PRECONDITION).
   */
  duplicate = false;

  static alreadyExists(message: string, details?: string): DomainException {
    const e = new DomainException(ErrorCode.Conflict, message, details);
    e.duplicate = true;
    return e;
  }

  static invalid(message: string, details?: string): DomainException {
    return new DomainException(ErrorCode.InvalidRequest, message, details);
  }

  static notFound(what: string, id: string): DomainException {
    return new DomainException(ErrorCode.NotFound, `${what} ${id} not found`);
  }

  static conflict(message: string, details?: string): DomainException {
    return new DomainException(ErrorCode.Conflict, message, details);
  }

  static forbidden(message = 'Your role does not allow this action', details?: string): DomainException {
    return new DomainException(ErrorCode.Forbidden, message, details);
  }

  static unauthorized(message = 'Authentication required', details?: string): DomainException {
    return new DomainException(ErrorCode.Unauthorized, message, details);
  }
}
