import { sign } from 'jsonwebtoken';
import { KeyObject } from 'node:crypto';
import { Repository } from 'typeorm';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { AccessTokenVerifier, tokenRejection } from './access-token.verifier';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { JWT_SIGN_OPTIONS, jwtKeyOf } from './jwt-key.module';
import { JwtStrategy } from './jwt.strategy';
import { RevokedLogins } from './revoked-logins';
import { Principal, Role } from './role';

const SECRET = 'unit-test-secret-0123456789abcdef0123';

/** Logins by family: live unless listed as ended. */
function verifierWith(ended: string[] = []) {
  const repo = {
    exists: async ({ where }: { where: { familyId: string } }) => !ended.includes(where.familyId),
  } as unknown as Repository<RefreshTokenEntity>;
  const key = jwtKeyOf({ jwtSecret: SECRET, dataDir: '/nonexistent' });
  return new AccessTokenVerifier(key, new RevokedLogins(repo));
}

const access = (claims: Record<string, unknown> = {}, secret: string = SECRET, expiresIn = 60) =>
  sign({ sub: 'usr-1', username: 'alice', role: Role.Viewer, fam: 'fam-1', typ: 'access', ...claims }, secret, {
    ...JWT_SIGN_OPTIONS,
    expiresIn,
  });

async function refusal(p: Promise<unknown>): Promise<DomainException> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainException);
  return err as DomainException;
}

describe('AccessTokenVerifier', () => {
  it('holds one prebuilt HMAC KeyObject that checks tokens signed with the configured secret string', async () => {
    const v = verifierWith();
    expect(v.key).toBeInstanceOf(KeyObject);
    expect(v.key.type).toBe('secret');
    await expect(v.verify(access())).resolves.toEqual({ id: 'usr-1', username: 'alice', role: Role.Viewer });
  });

  it('refuses a wrong signature, another issuer, an unsigned token and garbage as "Invalid token"', async () => {
    const v = verifierWith();
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'usr-1', typ: 'access', iss: 'metadata-service' })).toString('base64url')}.`;
    const otherIssuer = sign({ sub: 'usr-1', typ: 'access' }, SECRET, { algorithm: 'HS256', issuer: 'someone-else' });
    for (const token of [access({}, 'another-secret-0123456789abcdef0123'), otherIssuer, unsigned, 'not.a.jwt']) {
      const e = await refusal(v.verify(token));
      expect([e.code, e.message]).toEqual(['UNAUTHORIZED', 'Invalid token']);
    }
  });

  it('refuses an expired token, saying so', async () => {
    const e = await refusal(verifierWith().verify(access({}, SECRET, -10)));
    expect([e.message, e.details]).toEqual(['Token expired', 'Obtain a new access token']);
  });

  it('refuses a refresh token where an access token is expected', async () => {
    const e = await refusal(verifierWith().verify(access({ typ: 'refresh', jti: 'rt-1' })));
    expect([e.message, e.details]).toEqual(['Invalid token', 'Expected an access token']);
  });

  it('refuses an access token whose login has ended', async () => {
    const e = await refusal(verifierWith(['fam-1']).verify(access()));
    expect([e.code, e.message, e.details]).toEqual(['UNAUTHORIZED', 'This login has ended', 'Log in again']);
  });

  it('maps what the JWT library throws to the envelope 401, passing its own exceptions through', () => {
    const own = new DomainException(ErrorReason.LoginEnded, 'This login has ended');
    expect(tokenRejection(own)).toBe(own);
    expect(
      tokenRejection(Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' }), 'refresh').details,
    ).toBe('Obtain a new refresh token');
    expect(tokenRejection(new Error('No auth token')).message).toBe('Invalid token');
  });
});

/** Runs the strategy the way passport does, reporting how it ended. */
function authenticate(
  strategy: JwtStrategy,
  authorization?: string,
): Promise<{ outcome: 'success' | 'fail' | 'error'; value: unknown }> {
  return new Promise((resolve) => {
    const s = strategy as unknown as Record<string, unknown> & { authenticate(req: unknown): void };
    s.success = (user: unknown) => resolve({ outcome: 'success', value: user });
    s.fail = (info: unknown) => resolve({ outcome: 'fail', value: info });
    s.error = (err: unknown) => resolve({ outcome: 'error', value: err });
    s.authenticate({ headers: authorization === undefined ? {} : { authorization } });
  });
}

describe('JwtStrategy', () => {
  it('passes a valid bearer token as the principal', async () => {
    const res = await authenticate(new JwtStrategy(verifierWith()), `Bearer ${access()}`);
    expect(res.outcome).toBe('success');
    expect(res.value as Principal).toEqual({ id: 'usr-1', username: 'alice', role: Role.Viewer });
  });

  it('fails a bad signature, an expired token and a missing header, with what the guard maps to 401', async () => {
    const strategy = new JwtStrategy(verifierWith());
    const bad = await authenticate(strategy, `Bearer ${access({}, 'another-secret-0123456789abcdef0123')}`);
    expect(bad.outcome).toBe('fail');
    expect(tokenRejection(bad.value).message).toBe('Invalid token');
    const expired = await authenticate(strategy, `Bearer ${access({}, SECRET, -10)}`);
    expect(tokenRejection(expired.value).message).toBe('Token expired');
    expect((await authenticate(strategy)).outcome).toBe('fail');
  });

  it("errors with the verifier's own 401 for an ended login and a refresh token", async () => {
    const ended = await authenticate(new JwtStrategy(verifierWith(['fam-1'])), `Bearer ${access()}`);
    expect(ended.outcome).toBe('error');
    expect((ended.value as DomainException).message).toBe('This login has ended');
    const refresh = await authenticate(new JwtStrategy(verifierWith()), `Bearer ${access({ typ: 'refresh' })}`);
    expect((refresh.value as DomainException).details).toBe('Expected an access token');
  });
});
