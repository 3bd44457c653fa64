import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorReason } from '../../common/errors/error-reason';
import { IS_PUBLIC, PERMISSION } from '../decorators';
import { Permission, PERMISSION_ROLES } from '../permissions';
import { Principal } from '../role';

/**
 * Allows a call when the caller's role holds the operation's @Requires permission; HTTP and gRPC
 * alike. An operation that states no permission (and is not @Public) is refused for everyone.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const user =
      context.getType() === 'http'
        ? context.switchToHttp().getRequest<{ user?: Principal }>().user
        : context.switchToRpc().getContext<{ user?: Principal } | undefined>()?.user;
    if (!user) throw new DomainException(ErrorReason.AuthenticationRequired, 'Authentication required');
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION, targets);
    if (!permission) {
      throw new DomainException(
        ErrorReason.PermissionUndeclared,
        `${context.getClass().name}.${context.getHandler().name} states no permission`,
        'Every operation is decorated with @Requires(Permission.…) or @Public() (src/auth/permissions.ts)',
      );
    }
    const allowed = PERMISSION_ROLES[permission];
    if (!allowed.includes(user.role)) {
      throw new DomainException(
        ErrorReason.RoleNotAllowed,
        `Role "${user.role}" may not do this`,
        `${permission} is allowed to: ${allowed.join(', ')}`,
      );
    }
    return true;
  }
}
