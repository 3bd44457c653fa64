import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { authConfig, AuthConfig } from '../config/configuration';
import { DomainException } from '../common/errors/domain.exception';
import { newId } from '../common/ids';
import { TokenPairDto } from './dto/auth.dto';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { RevokedLogins } from './revoked-logins';
import { Principal, Role } from './role';

interface AccessClaims {
  sub: string;
  username: string;
  role: Role;
  /** The login (refresh-token family) it belongs to: ending the login ends the access token too. */
  fam?: string;
  typ: 'access';
}

interface RefreshClaims {
  sub: string;
  jti: string;
  fam: string;
  typ: 'refresh';
}

/**
 * Issues and checks tokens. Refresh tokens rotate: each is good once; a reused one revokes its
 * family (the login). An access token names its login and stops working once the login is revoked.
 */
@Injectable()
export class TokenService {
  private readonly revokedLogins: RevokedLogins;

  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {
    this.revokedLogins = new RevokedLogins(refreshTokens);
  }

  async issue(user: Principal, familyId = newId('fam')): Promise<TokenPairDto> {
    const jti = newId('rt');
    const now = new Date();
    await this.refreshTokens.insert({
      id: jti,
      userId: user.id,
      familyId,
      expiresAt: new Date(now.getTime() + this.cfg.refreshTtlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
      createdAt: now,
    });
    const access: AccessClaims = { sub: user.id, username: user.username, role: user.role, fam: familyId, typ: 'access' };
    const refresh: RefreshClaims = { sub: user.id, jti, fam: familyId, typ: 'refresh' };
    return {
      access_token: await this.jwt.signAsync(access, { expiresIn: this.cfg.accessTtlSeconds }),
      refresh_token: await this.jwt.signAsync(refresh, { expiresIn: this.cfg.refreshTtlSeconds }),
      token_type: 'Bearer',
      expires_in: this.cfg.accessTtlSeconds,
    };
  }

  async verifyAccess(token: string): Promise<Principal> {
    const claims = await this.verify<AccessClaims>(token, 'access');
    if (claims.fam && (await this.revokedLogins.isRevoked(claims.fam, claims.sub))) {
      throw DomainException.unauthorized('This login has ended', 'Log in again');
    }
    return { id: claims.sub, username: claims.username, role: claims.role };
  }

  /** Consumes a refresh token once; returns its user id and family for the next pair. */
  async consumeRefresh(token: string): Promise<{ userId: string; familyId: string }> {
    const claims = await this.verify<RefreshClaims>(token, 'refresh');
    const now = new Date();
    // One conditional update: of two concurrent uses, exactly one wins.
    const result = await this.refreshTokens.update({ id: claims.jti, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: now });
    if (!result.affected) {
      await this.revokeFamily(claims.fam, claims.sub);
      throw DomainException.unauthorized('Refresh token already used or revoked', 'The whole login was revoked for safety; log in again.');
    }
    return { userId: claims.sub, familyId: claims.fam };
  }

  async revokeFamily(familyId: string, userId: string): Promise<void> {
    await this.refreshTokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.revokedLogins.familyRevoked(familyId, userId);
  }

  async revokeUser(userId: string): Promise<void> {
    await this.refreshTokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.revokedLogins.userRevoked(userId);
  }

  async familyOf(token: string): Promise<{ userId: string; familyId: string }> {
    const claims = await this.verify<RefreshClaims>(token, 'refresh');
    return { userId: claims.sub, familyId: claims.fam };
  }

  async purgeExpired(): Promise<void> {
    await this.refreshTokens.delete({ expiresAt: LessThan(new Date()) });
  }

  private async verify<T extends { typ: string }>(token: string, typ: T['typ']): Promise<T> {
    let claims: T;
    try {
      claims = await this.jwt.verifyAsync<T & object>(token);
    } catch (err) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw DomainException.unauthorized(expired ? 'Token expired' : 'Invalid token', expired ? `Obtain a new ${typ} token` : undefined);
    }
    if (claims.typ !== typ) throw DomainException.unauthorized('Invalid token', `Expected an ${typ} token`);
    return claims;
  }
}
