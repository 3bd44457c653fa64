import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { authConfig, AuthConfig } from '../config/configuration';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { newId } from '../common/ids';
import { TokenPairDto } from './dto/auth.dto';
import { AccessClaims, tokenRejection } from './access-token.verifier';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { RevokedLogins } from './revoked-logins';
import { Principal } from './role';

interface RefreshClaims {
  sub: string;
  jti: string;
  fam: string;
  typ: 'refresh';
}

/**
 * Issues tokens and checks refresh tokens (access tokens: AccessTokenVerifier). Refresh tokens
 * rotate: each is good once; a reused one revokes its family (the login). An access token names its
 * login and stops working once the login is revoked.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
    private readonly revokedLogins: RevokedLogins,
  ) {}

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
    const access: AccessClaims = {
      sub: user.id,
      username: user.username,
      role: user.role,
      fam: familyId,
      typ: 'access',
    };
    const refresh: RefreshClaims = { sub: user.id, jti, fam: familyId, typ: 'refresh' };
    return {
      access_token: await this.jwt.signAsync(access, { expiresIn: this.cfg.accessTtlSeconds }),
      refresh_token: await this.jwt.signAsync(refresh, { expiresIn: this.cfg.refreshTtlSeconds }),
      token_type: 'Bearer',
      expires_in: this.cfg.accessTtlSeconds,
    };
  }

  /** Consumes a refresh token once; returns its user id and family for the next pair. */
  async consumeRefresh(token: string): Promise<{ userId: string; familyId: string }> {
    const claims = await this.verify(token, 'refresh');
    const now = new Date();
    // One conditional update: of two concurrent uses, exactly one wins.
    const result = await this.refreshTokens.update(
      { id: claims.jti, usedAt: IsNull(), revokedAt: IsNull() },
      { usedAt: now },
    );
    if (!result.affected) {
      await this.revokeFamily(claims.fam, claims.sub);
      throw new DomainException(
        ErrorReason.TokenReused,
        'Refresh token already used or revoked',
        'The whole login was revoked for safety; log in again.',
      );
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
    const claims = await this.verify(token, 'refresh');
    return { userId: claims.sub, familyId: claims.fam };
  }

  async purgeExpired(): Promise<void> {
    await this.refreshTokens.delete({ expiresAt: LessThan(new Date()) });
  }

  private async verify(token: string, typ: 'refresh'): Promise<RefreshClaims> {
    let claims: RefreshClaims;
    try {
      claims = await this.jwt.verifyAsync<RefreshClaims>(token);
    } catch (err) {
      throw tokenRejection(err, typ);
    }
    if (claims.typ !== typ)
      throw new DomainException(ErrorReason.TokenInvalid, 'Invalid token', `Expected an ${typ} token`);
    return claims;
  }
}
