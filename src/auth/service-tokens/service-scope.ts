import { CustomDecorator, SetMetadata } from '@nestjs/common';

export const SERVICE_SCOPE = 'auth:service-scope';

/** The one scope service tokens are issued with today: running a task through its execute route. */
export const TASKS_EXECUTE_SCOPE = 'tasks:execute';

/** Service tokens read `mds-svc.<token id>.<secret>`; access tokens are JWTs and never start so. */
export const SERVICE_TOKEN_PREFIX = 'mds-svc.';

/**
 * Lets a service token with this scope call the handler (HTTP only). A handler without it refuses
 * every service token, whatever its scope.
 */
export const ServiceScope = (scope: string): CustomDecorator => SetMetadata(SERVICE_SCOPE, scope);

export function isServiceToken(token: string): boolean {
  return token.startsWith(SERVICE_TOKEN_PREFIX);
}

/** The token id and secret of a service token, or null when it is not one. */
export function parseServiceToken(token: string): { id: string; secret: string } | null {
  if (!isServiceToken(token)) return null;
  const rest = token.slice(SERVICE_TOKEN_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return null;
  return { id: rest.slice(0, dot), secret: rest.slice(dot + 1) };
}
