import { status } from '@grpc/grpc-js';
import { sign } from 'jsonwebtoken';
import { request as httpRequest } from 'node:http';
import { AccessTokenVerifier } from '../src/auth/access-token.verifier';
import { TASKS_EXECUTE_SCOPE } from '../src/auth/service-tokens/service-scope';
import { ServiceTokensService } from '../src/auth/service-tokens/service-tokens.service';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { GrpcTestClient, trailerOf } from './support/grpc-client';
import { seedKeysOf } from './support/envelope';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

const JWT_SECRET = 'security-auth-jwt-secret-0123456789abcdef';
const LOGIN_MAX_FAILURES = 5;

describeE2E('security: passport JWT, per-address login lockout, password policy', () => {
  let t: TestApp;
  let grpc: GrpcTestClient;
  beforeAll(async () => {
    t = await bootApp({ env: { JWT_SECRET, LOGIN_MAX_FAILURES: String(LOGIN_MAX_FAILURES) } });
    grpc = new GrpcTestClient(t.grpcUrl);
  });
  afterAll(async () => {
    grpc?.close();
    await t?.close();
  });

  /**
   * A request from one loopback source address (127.0.0.2, 127.0.0.3, …): the app trusts no proxy,
   * so that socket address is the client address the lockout counts.
   */
  function from(localAddress: string, method: string, path: string, body?: object, token?: string): Promise<Answer> {
    const url = new URL(`/api/v1${path}`, t.baseUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method,
          localAddress,
          headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...(token ? bearer(token) : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
  const loginFrom = (address: string, username: string, password: string) =>
    from(address, 'POST', '/login', { username, password });

  const createUser = async (username: string, password: string, role = 'viewer') => {
    const res = await t.http.post('/api/v1/users').set(bearer(t.adminToken)).send({ username, password, role });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  const expectEnvelope = (body: Record<string, unknown>, code: string) => {
    expect(body.code).toBe(code);
    expect(seedKeysOf(body)).toEqual(['code', 'details', 'message', 'request_id']);
  };

  describe('failed logins count per username and client address', () => {
    it("locks the attacker's address out, while the real user logs in from another address", async () => {
      await createUser('rhea', 'copper-meadow-lantern-51');
      for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
        const res = await loginFrom('127.0.0.2', 'rhea', `wrong-guess-${i}`);
        expect(res.status).toBe(401);
      }
      // The attacker's address is refused, even with the right password.
      const locked = await loginFrom('127.0.0.2', 'rhea', 'copper-meadow-lantern-51');
      expect(locked.status).toBe(429);
      expectEnvelope(locked.body, 'RATE_LIMITED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      // The account is not locked: the real user, elsewhere, logs in.
      const real = await loginFrom('127.0.0.3', 'rhea', 'copper-meadow-lantern-51');
      expect(real.status).toBe(200);
      expect(typeof real.body.access_token).toBe('string');
      expect((await loginFrom('127.0.0.1', 'rhea', 'copper-meadow-lantern-51')).status).toBe(200);
      // And the attacker's address is still locked for that username afterwards.
      expect((await loginFrom('127.0.0.2', 'rhea', 'copper-meadow-lantern-51')).status).toBe(429);
    });

    it('a flood of failures over many usernames locks that address for every username, and only that address', async () => {
      await createUser('silas', 'granite-pelican-harvest-62');
      for (let i = 0; i < LOGIN_MAX_FAILURES * 4; i++) {
        const res = await loginFrom('127.0.0.4', `sprayed-${i % 9}`, `spray-${i}`);
        expect([401, 429]).toContain(res.status);
      }
      const flooded = await loginFrom('127.0.0.4', 'silas', 'granite-pelican-harvest-62');
      expect(flooded.status).toBe(429);
      expectEnvelope(flooded.body, 'RATE_LIMITED');
      expect((await loginFrom('127.0.0.5', 'silas', 'granite-pelican-harvest-62')).status).toBe(200);
    });
  });

  describe('password policy', () => {
    const refused = async (send: () => Promise<{ status: number; body: Record<string, unknown> }>, reason: RegExp) => {
      const res = await send();
      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'INVALID_REQUEST');
      expect(res.body.message).toBe('Password too weak');
      expect(String(res.body.details)).toMatch(/^password: /);
      expect(String(res.body.details)).toMatch(reason);
    };
    const create = (username: string, password: string) => () =>
      t.http.post('/api/v1/users').set(bearer(t.adminToken)).send({ username, password, role: 'viewer' });

    it('refuses short, username-bearing and common passwords on create with 400 naming the reason', async () => {
      await refused(create('tomas', 'Xq7#pL2!v'), /must be at least 12 characters/);
      await refused(create('tomas', 'tomas-is-the-best-1'), /must not contain the username/);
      await refused(create('tomas', 'tomastomas12'), /must not contain the username/);
      await refused(create('tomas', 'password1234'), /commonly used password/);
      await refused(create('tomas', 'qwertyuiop123'), /commonly used password/);
      await refused(create('tomas', 'aaaaaaaaaaaaaaaa'), /repeats the same characters/);
      // Nothing was created by the refusals.
      const list = await t.http.get('/api/v1/users?page_size=100').set(bearer(t.adminToken));
      expect((list.body.users as Array<{ username: string }>).some((u) => u.username === 'tomas')).toBe(false);
    });

    it('accepts a strong password, and checks a password change the same way', async () => {
      const id = await createUser('tomas', 'walnut-glacier-ribbon-73');
      expect(await t.login('tomas', 'walnut-glacier-ribbon-73')).toEqual(expect.any(String));
      const change = (password: string) => () =>
        t.http.put(`/api/v1/users/${id}`).set(bearer(t.adminToken)).send({ password });
      await refused(change('short-one'), /must be at least 12 characters/);
      await refused(change('TOMAS-walnut-99'), /must not contain the username/);
      await refused(change('iloveyou1234'), /commonly used password/);
      expect((await change('saffron-beacon-tundra-84')()).status).toBe(200);
      expect(await t.login('tomas', 'saffron-beacon-tundra-84')).toEqual(expect.any(String));
    });
  });

  describe('access tokens through the passport strategy (HTTP) and the same verifier (gRPC)', () => {
    const forged = (claims: Record<string, unknown>, secret = JWT_SECRET, expiresIn = 60) =>
      sign({ sub: 'usr-none', username: 'x', role: 'admin', typ: 'access', ...claims }, secret, {
        algorithm: 'HS256',
        issuer: 'metadata-service',
        expiresIn,
      });

    it('HTTP keeps the envelope 401s: none, malformed, wrong key, expired, refresh token', async () => {
      const none = await t.http.get('/api/v1/me');
      expect(none.status).toBe(401);
      expectEnvelope(none.body, 'UNAUTHORIZED');
      expect(none.body.message).toBe('Authentication required');
      const cases: Array<[string, string, string]> = [
        ['not.a.jwt', 'Invalid token', ''],
        [forged({}, 'another-secret-0123456789abcdef0123456789'), 'Invalid token', ''],
        [forged({}, JWT_SECRET, -30), 'Token expired', 'Obtain a new access token'],
        [forged({ typ: 'refresh', fam: 'fam-x', jti: 'rt-x' }), 'Invalid token', 'Expected an access token'],
      ];
      for (const [token, message, details] of cases) {
        const res = await t.http.get('/api/v1/me').set(bearer(token));
        expect(res.status).toBe(401);
        expectEnvelope(res.body, 'UNAUTHORIZED');
        expect([res.body.message, res.body.details]).toEqual([message, details]);
      }
    });

    it('checks a token once per request, HTTP and gRPC', async () => {
      const verifier = t.app.get(AccessTokenVerifier);
      const claimsChecks = jest.spyOn(verifier, 'principalOf');
      try {
        expect((await t.http.get('/api/v1/me').set(bearer(t.adminToken))).status).toBe(200);
        expect(claimsChecks).toHaveBeenCalledTimes(1);
        await grpc.call('DataSourceService', 'List', { page: 1, page_size: 5 }, t.adminToken);
        expect(claimsChecks).toHaveBeenCalledTimes(2);
      } finally {
        claimsChecks.mockRestore();
      }
    });

    it('concurrent requests each get their own caller, valid or not', async () => {
      const tokens = [t.adminToken, await t.tokenFor('operator'), await t.tokenFor('viewer')];
      const expected = await Promise.all(
        tokens.map(async (token) => (await t.http.get('/api/v1/me').set(bearer(token))).body.username as string),
      );
      const calls = Array.from({ length: 60 }, (_, i) => (i % 4 === 3 ? 'not-a-token' : tokens[i % 4]));
      const answers = await Promise.all(calls.map((token) => t.http.get('/api/v1/me').set(bearer(token))));
      answers.forEach((res, i) => {
        if (calls[i] === 'not-a-token') expect(res.status).toBe(401);
        else expect([res.status, res.body.username]).toEqual([200, expected[i % 4]]);
      });
    });

    it('gRPC: a valid token works; an invalid, expired or missing one is UNAUTHENTICATED with the envelope code', async () => {
      const list = await grpc.call<{ total: number }>(
        'DataSourceService',
        'List',
        { page: 1, page_size: 5 },
        t.adminToken,
      );
      expect(typeof list.total).toBe('number');
      for (const token of [
        undefined,
        'not.a.jwt',
        forged({}, 'another-secret-0123456789abcdef0123456789'),
        forged({}, JWT_SECRET, -30),
      ]) {
        const err = await grpc.fail('DataSourceService', 'List', {}, token);
        expect(err.code).toBe(status.UNAUTHENTICATED);
        expect(trailerOf(err, 'code')).toBe('UNAUTHORIZED');
      }
    });

    it('a revoked login is refused over HTTP and gRPC alike', async () => {
      await createUser('ursula', 'marble-osprey-canyon-95');
      const login = await t.http
        .post('/api/v1/login')
        .send({ username: 'ursula', password: 'marble-osprey-canyon-95' })
        .expect(200);
      const access = login.body.access_token as string;
      expect((await t.http.get('/api/v1/me').set(bearer(access))).status).toBe(200);
      await grpc.call('DataSourceService', 'List', {}, access);
      await t.http
        .post('/api/v1/logout')
        .set(bearer(access))
        .send({ refresh_token: login.body.refresh_token })
        .expect(200);
      const http = await t.http.get('/api/v1/me').set(bearer(access));
      expect(http.status).toBe(401);
      expectEnvelope(http.body, 'UNAUTHORIZED');
      expect(http.body.message).toBe('This login has ended');
      const rpc = await grpc.fail('DataSourceService', 'List', {}, access);
      expect(rpc.code).toBe(status.UNAUTHENTICATED);
      expect(trailerOf(rpc, 'code')).toBe('UNAUTHORIZED');
      expect(rpc.details).toContain('This login has ended');
    });
  });

  describe('service tokens', () => {
    it('pass on their scoped route, are refused elsewhere and over gRPC, and stop once revoked', async () => {
      const tokens = t.app.get(ServiceTokensService);
      const { id, token } = await tokens.activeFor('security-e2e', 'security e2e', TASKS_EXECUTE_SCOPE);
      // Authenticated: the route answers for the task (which does not exist) instead of 401/403.
      const scoped = await t.http.post('/api/v1/tasks/task-missing/execute').set(bearer(token)).send({});
      expect(scoped.status).toBe(404);
      expectEnvelope(scoped.body, 'NOT_FOUND');
      const elsewhere = await t.http.get('/api/v1/me').set(bearer(token));
      expect(elsewhere.status).toBe(403);
      expectEnvelope(elsewhere.body, 'FORBIDDEN');
      const rpc = await grpc.fail('DataSourceService', 'List', {}, token);
      expect(rpc.code).toBe(status.PERMISSION_DENIED);
      await t.http
        .post(`/api/v1/service-tokens/${id}/revoke`)
        .set(bearer(t.adminToken))
        .expect((res) => expect(res.status).toBeLessThan(300));
      const revoked = await t.http.post('/api/v1/tasks/task-missing/execute').set(bearer(token)).send({});
      expect(revoked.status).toBe(401);
      expectEnvelope(revoked.body, 'UNAUTHORIZED');
      expect(revoked.body.message).toBe('Service token revoked');
    });
  });
});
