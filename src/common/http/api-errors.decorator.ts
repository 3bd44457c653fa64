import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorEnvelope } from '../errors/error-envelope';

const DESCRIPTIONS: Record<number, string> = {
  400: 'INVALID_REQUEST: the request is malformed or fails validation',
  401: 'UNAUTHORIZED: missing, invalid or expired token',
  403: 'FORBIDDEN: the role does not allow this',
  404: 'NOT_FOUND: no such resource',
  409: 'CONFLICT: the resource conflicts with the current state',
  413: 'PAYLOAD_TOO_LARGE: the body exceeds the limit',
  429: 'RATE_LIMITED: too many requests; see Retry-After',
  502: 'BAD_GATEWAY: an upstream system answered with an error',
};

/** Documents the envelope for each error status a route can return. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...statuses, 500].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'INTERNAL_ERROR', type: ErrorEnvelope }),
    ),
  );
}
