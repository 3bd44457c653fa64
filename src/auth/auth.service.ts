import { Injectable } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { UsersService } from '../users/users.service';
import { AuditService } from '../audit/audit.service';
import { TokenPairDto } from './dto/auth.dto';
import { LoginLockout } from './login-lockout';
import { verifyPassword } from './password-hasher';
import { Principal } from './role';
import { TokenService } from './token.service';

export interface ClientInfo {
  /** The client address (clientAddress for HTTP, the peer for gRPC): failed logins count per username and address. */
  ip: string;
  requestId: string;
}

// A fixed hash to verify against when the user does not exist, so timing does not reveal names.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly lockout: LoginLockout,
    private readonly audit: AuditService,
  ) {}

  async login(username: string, password: string, client: ClientInfo): Promise<TokenPairDto> {
    await this.lockout.refuseWhileLocked(username, client.ip);

    const user = await this.users.findByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      await this.lockout.failed(username, client.ip);
      await this.audit.record({
        action: 'auth.login_failed',
        resourceType: 'user',
        resourceId: user?.id ?? null,
        actor: null,
        actorName: username,
        ip: client.ip,
        requestId: client.requestId,
      });
      const disabled = Boolean(user?.disabled && ok);
      throw new DomainException(
        disabled ? ErrorReason.AccountDisabled : ErrorReason.LoginFailed,
        disabled ? 'Account disabled' : 'Invalid username or password',
      );
    }
    await this.lockout.succeeded(username, client.ip);
    await this.users.markLogin(user.id);
    await this.audit.record({
      action: 'auth.login',
      resourceType: 'user',
      resourceId: user.id,
      actor: user.id,
      actorName: user.username,
      ip: client.ip,
      requestId: client.requestId,
    });
    return this.tokens.issue({ id: user.id, username: user.username, role: user.role });
  }

  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const { userId, familyId } = await this.tokens.consumeRefresh(refreshToken);
    const user = await this.users.findById(userId);
    if (!user || user.disabled) {
      await this.tokens.revokeFamily(familyId, userId);
      throw new DomainException(ErrorReason.AccountDisabled, 'Account no longer active');
    }
    return this.tokens.issue({ id: user.id, username: user.username, role: user.role }, familyId);
  }

  async logout(principal: Principal, refreshToken?: string): Promise<void> {
    if (!refreshToken) return this.tokens.revokeUser(principal.id);
    const { userId, familyId } = await this.tokens.familyOf(refreshToken);
    if (userId !== principal.id)
      throw new DomainException(ErrorReason.TokenOfAnotherUser, 'That refresh token belongs to another user');
    await this.tokens.revokeFamily(familyId, userId);
  }
}
