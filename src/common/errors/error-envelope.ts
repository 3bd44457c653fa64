import { HttpException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isUniqueViolation } from '../../database/store-errors';
import { DomainException } from './domain.exception';
import { ErrorCode, httpStatusOf } from './error-code';

/** The seed's error body: `{code, message, details, request_id}`. */
export class ErrorEnvelope {
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.InvalidRequest })
  code: ErrorCode;
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
  message: string;
  details?: string;
  headers?: Record<string, string>;
  /** True for errors nobody threw on purpose: logged with their stack. */
  unexpected: boolean;
  /** A CONFLICT because the resource or its unique name already exists (gRPC ALREADY_EXISTS). */
  duplicate?: boolean;
}

// Features that predate DomainException.alreadyExists say so in the message.
const ALREADY_EXISTS_MESSAGE = /\balready exists\b/i;

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

/** Turns anything thrown into the parts of the envelope, for HTTP and gRPC alike. */
export function normalizeError(err: unknown): NormalizedError {
  if (err instanceof DomainException) {
    const duplicate = err.code === ErrorCode.Conflict && (err.duplicate || ALREADY_EXISTS_MESSAGE.test(err.message));
    return {
      status: httpStatusOf(err.code),
      code: err.code,
      message: err.message,
      details: err.details,
      headers: err.headers,
      unexpected: false,
      duplicate,
    };
  }
  if (isUniqueViolation(err)) {
    return {
      status: 409,
      code: ErrorCode.Conflict,
      message: 'A resource with that unique value already exists',
      details: 'Another request created it first; pick another name.',
      unexpected: false,
      duplicate: true,
    };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    let message = err.message;
    if (typeof response === 'object' && response !== null && 'message' in response) {
      const m = (response as { message: unknown }).message;
      message = Array.isArray(m) ? m.join('; ') : String(m);
    }
    if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.test(message))
      message = `No route for ${message.slice(7)}`;
    return { status, code: codeForStatus(status), message, unexpected: status >= 500 };
  }
  const parser = bodyParserError(err);
  if (parser) {
    if (parser.type === 'entity.too.large')
      return { status: 413, code: ErrorCode.PayloadTooLarge, message: 'Request body is too large', unexpected: false };
    if (parser.type === 'entity.parse.failed')
      return {
        status: 400,
        code: ErrorCode.InvalidRequest,
        message: 'Request body is not valid JSON',
        unexpected: false,
      };
    return {
      status: parser.status,
      code: codeForStatus(parser.status),
      message: 'Request body could not be read',
      details: parser.type,
      unexpected: parser.status >= 500,
    };
  }
  return { status: 500, code: ErrorCode.Internal, message: 'Internal server error', unexpected: true };
}
