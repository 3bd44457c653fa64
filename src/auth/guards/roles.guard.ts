import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException } from '../../common/errors/domain.exception';
import { IS_PUBLIC, ROLES } from '../decorators';
import { ALL_ROLES, Principal, Role } from '../role';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Allows a call when the caller's role is among the handler's @Roles (or the safe default). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets) ?? this.defaultRoles(context);
    const user =
      context.getType() === 'http'
        ? context.switchToHttp().getRequest<{ user?: Principal }>().user
        : context.switchToRpc().getContext<{ user?: Principal } | undefined>()?.user;
    if (!user) throw DomainException.unauthorized();
    if (!allowed.includes(user.role)) {
      throw DomainException.forbidden(`Role "${user.role}" may not do this`, `Allowed roles: ${allowed.join(', ')}`);
    }
    return true;
  }

  private defaultRoles(context: ExecutionContext): Role[] {
    if (
      context.getType() === 'http' &&
      READ_METHODS.has(context.switchToHttp().getRequest<{ method: string }>().method)
    )
      return ALL_ROLES;
    return [Role.Admin, Role.Operator];
  }
}
