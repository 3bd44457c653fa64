import { Inject, Injectable } from '@nestjs/common';
import { authConfig, AuthConfig } from '../config/configuration';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { HitCounter } from '../rate-limit/hit-counter';
import { UsersService } from '../users/users.service';
import { AuditService } from '../audit/audit.service';
import { TokenPairDto } from './dto/auth.dto';
import { verifyPassword } from './password-hasher';
import { Principal } from './role';
import { TokenService } from './token.service';

export interface ClientInfo {
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
    private readonly counter: HitCounter,
    private readonly audit: AuditService,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  async login(username: string, password: string, client: ClientInfo): Promise<TokenPairDto> {
    const keys = [`login:${username.toLowerCase()}:${client.ip}`, `login-ip:${client.ip}`];
    const limits = [this.cfg.loginMaxFailures, this.cfg.loginMaxFailures * 4];
    await this.refuseWhileLocked(keys, limits);

    const user = await this.users.findByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      const windowMs = this.cfg.loginLockoutSeconds * 1000;
      await Promise.all(keys.map((k) => this.counter.hit(k, windowMs)));
      await this.audit.record({ action: 'auth.login_failed', resourceType: 'user', resourceId: user?.id ?? null, actor: null, actorName: username, ip: client.ip, requestId: client.requestId });
      throw DomainException.unauthorized(user?.disabled && ok ? 'Account disabled' : 'Invalid username or password');
    }
    await this.counter.clear(keys[0]);
    await this.users.markLogin(user.id);
    await this.audit.record({ action: 'auth.login', resourceType: 'user', resourceId: user.id, actor: user.id, actorName: user.username, ip: client.ip, requestId: client.requestId });
    return this.tokens.issue({ id: user.id, username: user.username, role: user.role });
  }

  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const { userId, familyId } = await this.tokens.consumeRefresh(refreshToken);
    const user = await this.users.findById(userId);
    if (!user || user.disabled) {
      await this.tokens.revokeFamily(familyId, userId);
      throw DomainException.unauthorized('Account no longer active');
    }
    return this.tokens.issue({ id: user.id, username: user.username, role: user.role }, familyId);
  }

  async logout(principal: Principal, refreshToken?: string): Promise<void> {
    if (!refreshToken) return this.tokens.revokeUser(principal.id);
    const { userId, familyId } = await this.tokens.familyOf(refreshToken);
    if (userId !== principal.id) throw DomainException.forbidden('That refresh token belongs to another user');
    await this.tokens.revokeFamily(familyId, userId);
  }

  private async refuseWhileLocked(keys: string[], limits: number[]): Promise<void> {
    const windows = await Promise.all(keys.map((k) => this.counter.peek(k)));
    const locked = windows.find((w, i) => w && w.count >= limits[i]);
    if (!locked) return;
    const retryAfter = String(Math.max(1, Math.ceil((locked.resetAt - Date.now()) / 1000)));
    throw new DomainException(ErrorCode.RateLimited, 'Too many failed logins', `Try again in ${retryAfter} s`, { 'Retry-After': retryAfter });
  }
}
