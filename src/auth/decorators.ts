import { createParamDecorator, CustomDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal, Role } from './role';

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';

/** No token needed (login, refresh, health, docs). */
export const Public = (): CustomDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The roles allowed to call a handler. Without it, reads (GET) are open to every role and
 * writes to admins and operators, so a forgotten decorator never lets a viewer write.
 */
export const Roles = (...roles: Role[]): CustomDecorator => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  if (ctx.getType() === 'http') return ctx.switchToHttp().getRequest<{ user?: Principal }>().user;
  return ctx.switchToRpc().getContext<{ user?: Principal }>().user;
});
