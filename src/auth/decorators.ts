import { applyDecorators, createParamDecorator, CustomDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Permission } from './permissions';
import { Principal } from './role';

export const IS_PUBLIC = 'auth:public';
export const PERMISSION = 'auth:permission';

/** No token needed (login, refresh, health, metrics with its own token). */
export const Public = (): CustomDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The permission an operation needs (its roles are in PERMISSION_ROLES). On a handler, or on a
 * controller whose every handler needs the same; a handler's own wins.
 */
export const Requires = (permission: Permission): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PERMISSION, permission));

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  if (ctx.getType() === 'http') return ctx.switchToHttp().getRequest<{ user?: Principal }>().user;
  return ctx.switchToRpc().getContext<{ user?: Principal }>().user;
});
