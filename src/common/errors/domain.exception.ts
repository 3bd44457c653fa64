import { ErrorCode } from './error-code';
import { ErrorReason, reasonStatus } from './error-reason';

/**
 * The base of every error a feature throws on purpose. Features subclass it (`TaskException`,
 * `DataSourceException`) with their own factories; each names its reason, and the reason alone
 * decides the envelope code, the HTTP status and the gRPC status (see REASONS).
 */
export class DomainException extends Error {
  /** The seed's envelope code, from the reason. */
  readonly code: ErrorCode;

  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly details?: string,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
    this.code = reasonStatus(reason).code;
  }
}
