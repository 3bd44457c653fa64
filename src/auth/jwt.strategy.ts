import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { AccessTokenVerifier } from './access-token.verifier';
import { bearerTokenOf } from './bearer-token';
import { Principal } from './role';

/** HTTP access tokens through passport-jwt, with the verifier's key, options and claim checks. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(private readonly verifier: AccessTokenVerifier) {
    super({
      jwtFromRequest: (req: Request) => bearerTokenOf(req.headers.authorization) ?? null,
      // The prebuilt KeyObject, so no key is parsed per request. (The typings predate KeyObject;
      // jsonwebtoken takes one.)
      secretOrKeyProvider: (_req, _token, done) => done(null, verifier.key as unknown as Buffer),
      // Top-level on purpose: passport-jwt copies these over jsonWebTokenOptions, undefined included.
      issuer: verifier.options.issuer as string,
      algorithms: verifier.options.algorithms,
    });
  }

  validate(claims: unknown): Promise<Principal> {
    return this.verifier.principalOf(claims);
  }
}
