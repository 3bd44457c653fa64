import { Module } from '@nestjs/common';
import type { SignOptions, VerifyOptions } from 'jsonwebtoken';
import { createSecretKey, KeyObject } from 'node:crypto';
import { authConfig, AuthConfig } from '../config/configuration';
import { readOrCreateKeyFile } from '../common/crypto/key-file';

/** The HMAC key that signs and checks access and refresh tokens, as a ready KeyObject. */
export const JWT_KEY = Symbol('JWT_KEY');

const ISSUER = 'metadata-service';

export const JWT_SIGN_OPTIONS: SignOptions = { algorithm: 'HS256', issuer: ISSUER };

/** One list of accepted algorithms and issuer for every check, HTTP and gRPC alike. */
export const JWT_VERIFY_OPTIONS: Readonly<VerifyOptions> = Object.freeze({
  algorithms: ['HS256' as const],
  issuer: ISSUER,
});

/**
 * Built once at start. Handing jsonwebtoken a string makes it try the string as a PEM public key
 * (crypto.createPublicKey) before taking it as an HMAC secret, on every sign and every check.
 */
export function jwtKeyOf(cfg: Pick<AuthConfig, 'jwtSecret' | 'dataDir'>): KeyObject {
  return createSecretKey(Buffer.from(cfg.jwtSecret ?? readOrCreateKeyFile(cfg.dataDir, 'jwt.secret'), 'utf8'));
}

/** Its own module so JwtModule's factory and the verifier share the one instance. */
@Module({
  providers: [{ provide: JWT_KEY, inject: [authConfig.KEY], useFactory: jwtKeyOf }],
  exports: [JWT_KEY],
})
export class JwtKeyModule {}
