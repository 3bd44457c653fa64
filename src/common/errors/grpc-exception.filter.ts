import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { requestIdOfRpc } from '../http/request-id';
import { NormalizedError, normalizeError } from './error-envelope';

/** What grpc-js sends for a failed call: the status code, its message, and the trailing metadata. */
export class GrpcStatusError extends Error {
  constructor(
    readonly code: GrpcStatus,
    readonly details: string,
    readonly metadata: Metadata,
  ) {
    super(details);
    this.name = 'GrpcStatusError';
  }
}

// Plain metadata values must be printable ASCII; anything else travels UTF-8 encoded in a -bin key.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function setText(metadata: Metadata, key: string, value: string): void {
  if (PRINTABLE_ASCII.test(value)) metadata.set(key, value);
  else metadata.set(`${key}-bin`, Buffer.from(value, 'utf8'));
}

/**
 * The envelope as a gRPC status: the reason's gRPC status (see REASONS), the message as the status
 * message; code, reason, request_id and details in the trailers.
 */
export function toGrpcStatusError(error: NormalizedError, requestId: string): GrpcStatusError {
  const trailers = new Metadata();
  trailers.set('code', error.code);
  if (error.reason) trailers.set('reason', error.reason);
  trailers.set('request_id', requestId);
  if (error.details) setText(trailers, 'details', error.details);
  for (const [name, value] of Object.entries(error.headers ?? {})) setText(trailers, name.toLowerCase(), value);
  return new GrpcStatusError(error.grpcStatus, error.message, trailers);
}

/** Every error of a gRPC call, thrown anywhere, leaves as a gRPC status carrying the envelope. */
@Catch()
export class GrpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('GrpcError');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const metadata = host.switchToRpc().getContext<Metadata | undefined>();
    const requestId = requestIdOfRpc(metadata);
    const error = normalizeError(exception);
    if (error.unexpected) this.logger.error({ err: exception, request_id: requestId }, 'Unhandled gRPC error');
    return throwError(() => toGrpcStatusError(error, requestId));
  }
}
