import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException } from '../../common/errors/domain.exception';
import { Public, Requires } from '../decorators';
import { Permission } from '../permissions';
import { Principal, Role } from '../role';
import { RolesGuard } from './roles.guard';

class Sample {
  @Requires(Permission.DataSourcesDelete)
  remove(): void {}

  @Public()
  open(): void {}

  undeclared(): void {}
}

@Requires(Permission.UsersManage)
class AdminOnly {
  list(): void {}

  @Requires(Permission.OwnSession)
  me(): void {}
}

function httpCall(target: object, handler: string, user?: Principal): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => (target as Record<string, () => void>)[handler],
    getClass: () => target.constructor,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

const as = (role: Role): Principal => ({ id: `u-${role}`, username: role, role });

function refusal(run: () => unknown): DomainException {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainException) return err;
    throw err;
  }
  throw new Error('the guard let the call through');
}

describe('RolesGuard: one permission per operation', () => {
  const guard = new RolesGuard(new Reflector());
  const sample = new Sample();
  const adminOnly = new AdminOnly();

  it('lets a role through that the permission holds, and refuses a lower one with ROLE_NOT_ALLOWED', () => {
    expect(guard.canActivate(httpCall(sample, 'remove', as(Role.Admin)))).toBe(true);
    const e = refusal(() => guard.canActivate(httpCall(sample, 'remove', as(Role.Operator))));
    expect([e.code, e.reason]).toEqual(['FORBIDDEN', 'ROLE_NOT_ALLOWED']);
    expect(e.details).toContain('datasources.delete');
  });

  it('refuses everyone on an operation that states no permission', () => {
    const e = refusal(() => guard.canActivate(httpCall(sample, 'undeclared', as(Role.Admin))));
    expect([e.code, e.reason]).toEqual(['FORBIDDEN', 'PERMISSION_UNDECLARED']);
    expect(e.message).toBe('Sample.undeclared states no permission');
  });

  it('lets anyone call a public operation, and asks for a login elsewhere', () => {
    expect(guard.canActivate(httpCall(sample, 'open'))).toBe(true);
    expect(refusal(() => guard.canActivate(httpCall(sample, 'remove'))).reason).toBe('AUTHENTICATION_REQUIRED');
  });

  it("reads a controller's permission for its handlers, a handler's own first", () => {
    expect(refusal(() => guard.canActivate(httpCall(adminOnly, 'list', as(Role.Viewer)))).reason).toBe(
      'ROLE_NOT_ALLOWED',
    );
    expect(guard.canActivate(httpCall(adminOnly, 'me', as(Role.Viewer)))).toBe(true);
  });
});
