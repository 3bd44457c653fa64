import { status as GrpcStatus } from '@grpc/grpc-js';
import { HttpException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isUniqueViolation } from '../../database/store-errors';
import { DomainException } from './domain.exception';
import { ErrorCode, grpcStatusOf, httpStatusOf } from './error-code';
import { ErrorReason, reasonStatus } from './error-reason';

/** The seed's error body `{code, message, details, request_id}`, plus the optional `reason`. */
export class ErrorEnvelope {
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.InvalidRequest })
  code: ErrorCode;

  @ApiPropertyOptional({
    enum: ErrorReason,
    example: ErrorReason.ValidationFailed,
    description: 'Which rule refused the request, finer than `code`; absent for unexpected errors.',
  })
  reason?: ErrorReason;

  @ApiProperty({ example: 'Validation failed' })
  message: string;

  @ApiPropertyOptional({ example: 'page_size: must not be greater than 100' })
  details?: string;

  @ApiProperty({ example: 'req-01j9zk7m3f5r8w2x4y6z0a1b2c' })
  request_id: string;
}

export interface NormalizedError {
  status: number;
  code: ErrorCode;
  reason?: ErrorReason;
  grpcStatus: GrpcStatus;
  message: string;
  details?: string;
  headers?: Record<string, string>;
  /** True for errors nobody threw on purpose: logged with their stack. */
  unexpected: boolean;
}

interface Refusal {
  reason: ErrorReason;
  message: string;
  details?: string;
  headers?: Record<string, string>;
}

/** Every error with a reason takes its code and both statuses from REASONS. */
function refused({ reason, message, details, headers }: Refusal): NormalizedError {
  const { code, grpc } = reasonStatus(reason);
  return { status: httpStatusOf(code), code, reason, grpcStatus: grpc, message, details, headers, unexpected: false };
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400) return ErrorCode.InvalidRequest;
  if (status === 401) return ErrorCode.Unauthorized;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.NotFound;
  if (status === 409) return ErrorCode.Conflict;
  if (status === 413) return ErrorCode.PayloadTooLarge;
  if (status === 429) return ErrorCode.RateLimited;
  if (status === 502) return ErrorCode.BadGateway;
  if (status === 503) return ErrorCode.ServiceUnavailable;
  if (status >= 400 && status < 500) return ErrorCode.InvalidRequest;
  return ErrorCode.Internal;
}

function bodyParserError(err: unknown): { status: number; type: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: unknown; status?: unknown };
  if (typeof e.type === 'string' && typeof e.status === 'number') return { status: e.status, type: e.type };
  return undefined;
}

function fromHttpException(err: HttpException): NormalizedError {
  const status = err.getStatus();
  const response = err.getResponse();
  let message = err.message;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const m = (response as { message: unknown }).message;
    message = Array.isArray(m) ? m.join('; ') : String(m);
  }
  // Nest's router answers an unknown path with this 404 of its own.
  if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.test(message))
    return refused({ reason: ErrorReason.RouteNotFound, message: `No route for ${message.slice(7)}` });
  const code = codeForStatus(status);
  return { status, code, grpcStatus: grpcStatusOf(code), message, unexpected: status >= 500 };
}

/** Turns anything thrown into the parts of the envelope, for HTTP and gRPC alike. */
export function normalizeError(err: unknown): NormalizedError {
  if (err instanceof DomainException) return refused(err);
  if (isUniqueViolation(err)) {
    return refused({
      reason: ErrorReason.DuplicateValue,
      message: 'A resource with that unique value already exists',
      details: 'Another request created it first; pick another name.',
    });
  }
  if (err instanceof HttpException) return fromHttpException(err);
  const parser = bodyParserError(err);
  if (parser) {
    if (parser.type === 'entity.too.large')
      return refused({ reason: ErrorReason.BodyTooLarge, message: 'Request body is too large' });
    if (parser.type === 'entity.parse.failed')
      return refused({ reason: ErrorReason.BodyNotJson, message: 'Request body is not valid JSON' });
    const code = codeForStatus(parser.status);
    return {
      status: parser.status,
      code,
      grpcStatus: grpcStatusOf(code),
      message: 'Request body could not be read',
      details: parser.type,
      unexpected: parser.status >= 500,
    };
  }
  return {
    status: 500,
    code: ErrorCode.Internal,
    grpcStatus: GrpcStatus.INTERNAL,
    message: 'Internal server error',
    unexpected: true,
  };
}
