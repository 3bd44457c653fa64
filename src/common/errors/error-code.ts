import { status as GrpcStatus } from '@grpc/grpc-js';

/** The envelope's `code` values. Every code maps to exactly one HTTP status and one gRPC status. */
export enum ErrorCode {
  InvalidRequest = 'INVALID_REQUEST',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  RateLimited = 'RATE_LIMITED',
  Internal = 'INTERNAL_ERROR',
  BadGateway = 'BAD_GATEWAY',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.InvalidRequest:
      return 400;
    case ErrorCode.Unauthorized:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.Conflict:
      return 409;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.Internal:
      return 500;
    case ErrorCode.BadGateway:
      return 502;
    case ErrorCode.ServiceUnavailable:
      return 503;
  }
}

/**
 * The gRPC status of an error that names no reason (framework errors). A reason's own gRPC status
 * (REASONS in error-reason.ts) wins: it tells ALREADY_EXISTS from a state conflict.
 */
export function grpcStatusOf(code: ErrorCode): GrpcStatus {
  switch (code) {
    case ErrorCode.InvalidRequest:
      return GrpcStatus.INVALID_ARGUMENT;
    case ErrorCode.Unauthorized:
      return GrpcStatus.UNAUTHENTICATED;
    case ErrorCode.Forbidden:
      return GrpcStatus.PERMISSION_DENIED;
    case ErrorCode.NotFound:
      return GrpcStatus.NOT_FOUND;
    case ErrorCode.Conflict:
      return GrpcStatus.FAILED_PRECONDITION;
    case ErrorCode.PayloadTooLarge:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case ErrorCode.RateLimited:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case ErrorCode.Internal:
      return GrpcStatus.INTERNAL;
    case ErrorCode.BadGateway:
      return GrpcStatus.UNAVAILABLE;
    case ErrorCode.ServiceUnavailable:
      return GrpcStatus.UNAVAILABLE;
  }
}
