import { Inject, Injectable } from '@nestjs/common';
import { verify as verifyJwt } from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { JWT_KEY, JWT_VERIFY_OPTIONS } from './jwt-key.module';
import { RevokedLogins } from './revoked-logins';
import { Principal, Role } from './role';

export interface AccessClaims {
  sub: string;
  username: string;
  role: Role;
  /** The login (refresh-token family) it belongs to: ending the login ends the access token too. */
  fam?: string;
  typ: 'access';
}

/** The envelope's 401 for a token the JWT library refused (bad signature, expired, malformed, absent). */
export function tokenRejection(err: unknown, typ: 'access' | 'refresh' = 'access'): DomainException {
  if (err instanceof DomainException) return err;
  const expired = err instanceof Error && err.name === 'TokenExpiredError';
  return new DomainException(
    expired ? ErrorReason.TokenExpired : ErrorReason.TokenInvalid,
    expired ? 'Token expired' : 'Invalid token',
    expired ? `Obtain a new ${typ} token` : undefined,
  );
}

/**
 * The one check of an access token, for the HTTP passport strategy and the gRPC guard branch: the
 * signature, expiry and issuer against the key built once at start, then the token's kind and
 * whether its login has ended. HTTP hands the first half to passport-jwt with this key and these
 * options and calls `principalOf`; gRPC calls `verify`.
 */
@Injectable()
export class AccessTokenVerifier {
  readonly options = JWT_VERIFY_OPTIONS;

  constructor(
    @Inject(JWT_KEY) readonly key: KeyObject,
    private readonly revokedLogins: RevokedLogins,
  ) {}

  async verify(token: string): Promise<Principal> {
    let claims: unknown;
    try {
      claims = verifyJwt(token, this.key, this.options);
    } catch (err) {
      throw tokenRejection(err);
    }
    return this.principalOf(claims);
  }

  /** Claims whose signature already holds: an access token of a login that is still live. */
  async principalOf(claims: unknown): Promise<Principal> {
    const c = (claims ?? {}) as Partial<AccessClaims>;
    if (c.typ !== 'access' || typeof c.sub !== 'string')
      throw new DomainException(ErrorReason.TokenInvalid, 'Invalid token', 'Expected an access token');
    if (c.fam && (await this.revokedLogins.isRevoked(c.fam, c.sub)))
      throw new DomainException(ErrorReason.LoginEnded, 'This login has ended', 'Log in again');
    return { id: c.sub, username: c.username as string, role: c.role as Role };
  }
}
