import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { waitFor } from './support/wait';
import { seedKeysOf } from './support/envelope';

describeE2E('foundation: auth, errors, docs, health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const expectEnvelope = (body: Record<string, unknown>, code: string) => {
    expect(body.code).toBe(code);
    expect(typeof body.message).toBe('string');
    expect(body.request_id).toMatch(/^req-|^client-/);
    expect(seedKeysOf(body)).toEqual(['code', 'details', 'message', 'request_id']);
  };

  describe('login', () => {
    it('returns the seed body on success', async () => {
      const res = await t.http.post('/api/v1/login').send({ username: 'admin', password: 'admin-password-for-tests' });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
      expect(res.body.token_type).toBe('Bearer');
      expect(res.body.expires_in).toBe(3600);
    });

    it('400 in the envelope when fields are missing', async () => {
      const res = await t.http.post('/api/v1/login').send({ username: 'admin' });
      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'INVALID_REQUEST');
      expect(res.body.details).toContain('password');
      expect(res.headers['x-request-id']).toBe(res.body.request_id);
    });

    it('401 on a wrong password and an unknown user alike', async () => {
      const wrong = await t.http.post('/api/v1/login').send({ username: 'admin', password: 'nope-nope' });
      const unknown = await t.http.post('/api/v1/login').send({ username: 'nobody', password: 'nope-nope' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expectEnvelope(wrong.body, 'UNAUTHORIZED');
      expect(wrong.body.message).toBe(unknown.body.message);
    });

    it('locks out repeated failures for one username with 429 and Retry-After', async () => {
      const name = 'brute-force-target';
      for (let i = 0; i < 5; i++) {
        const res = await t.http.post('/api/v1/login').send({ username: name, password: `guess-${i}` });
        expect(res.status).toBe(401);
      }
      const res = await t.http.post('/api/v1/login').send({ username: name, password: 'guess-final' });
      expect(res.status).toBe(429);
      expectEnvelope(res.body, 'RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('refresh tokens', () => {
    it('rotate, and a reused one is refused and revokes its family', async () => {
      const first = await t.http
        .post('/api/v1/login')
        .send({ username: 'admin', password: 'admin-password-for-tests' });
      const r1 = first.body.refresh_token as string;
      const second = await t.http.post('/api/v1/refresh').send({ refresh_token: r1 });
      expect(second.status).toBe(200);
      const r2 = second.body.refresh_token as string;
      expect(r2).not.toBe(r1);
      const reuse = await t.http.post('/api/v1/refresh').send({ refresh_token: r1 });
      expect(reuse.status).toBe(401);
      expectEnvelope(reuse.body, 'UNAUTHORIZED');
      // the family is revoked: the newest token no longer works either
      const after = await t.http.post('/api/v1/refresh').send({ refresh_token: r2 });
      expect(after.status).toBe(401);
    });

    it('an access token is not a refresh token', async () => {
      const res = await t.http.post('/api/v1/refresh').send({ refresh_token: t.adminToken });
      expect(res.status).toBe(401);
    });

    it('logout revokes the login', async () => {
      const login = await t.http
        .post('/api/v1/login')
        .send({ username: 'admin', password: 'admin-password-for-tests' });
      const out = await t.http
        .post('/api/v1/logout')
        .set(bearer(login.body.access_token))
        .send({ refresh_token: login.body.refresh_token });
      expect(out.status).toBe(200);
      expect(out.body).toEqual({ success: true });
      const res = await t.http.post('/api/v1/refresh').send({ refresh_token: login.body.refresh_token });
      expect(res.status).toBe(401);
    });

    const loginAs = async (username: string, password: string) => {
      const res = await t.http.post('/api/v1/login').send({ username, password });
      expect(res.status).toBe(200);
      return { access: res.body.access_token as string, refresh: res.body.refresh_token as string };
    };
    const me = async (access: string) => (await t.http.get('/api/v1/me').set(bearer(access))).status;

    it("logout ends that login's access token at once; the user's other logins go on", async () => {
      const ended = await loginAs('admin', 'admin-password-for-tests');
      const other = await loginAs('admin', 'admin-password-for-tests');
      expect(await me(ended.access)).toBe(200);
      await t.http.post('/api/v1/logout').set(bearer(ended.access)).send({ refresh_token: ended.refresh }).expect(200);
      const res = await t.http.get('/api/v1/me').set(bearer(ended.access));
      expect(res.status).toBe(401);
      expectEnvelope(res.body, 'UNAUTHORIZED');
      expect(await me(other.access)).toBe(200);
      expect(await me(t.adminToken)).toBe(200);
    });

    it('logout without a refresh token ends every login of the user; a reused refresh token ends its login', async () => {
      await t.http
        .post('/api/v1/users')
        .set(bearer(t.adminToken))
        .send({ username: 'dora', password: 'plum-cactus-harbor-17', role: 'viewer' })
        .expect(201);
      const first = await loginAs('dora', 'plum-cactus-harbor-17');
      const second = await loginAs('dora', 'plum-cactus-harbor-17');
      await t.http.post('/api/v1/logout').set(bearer(first.access)).send({}).expect(200);
      expect(await me(first.access)).toBe(401);
      expect(await me(second.access)).toBe(401);

      const third = await loginAs('dora', 'plum-cactus-harbor-17');
      await t.http.post('/api/v1/refresh').send({ refresh_token: third.refresh }).expect(200);
      await t.http.post('/api/v1/refresh').send({ refresh_token: third.refresh }).expect(401);
      expect(await me(third.access)).toBe(401);
    });

    it("disabling a user, or changing their role or password, ends the user's logins", async () => {
      const created = await t.http
        .post('/api/v1/users')
        .set(bearer(t.adminToken))
        .send({ username: 'emil', password: 'cobalt-fern-ladder-28', role: 'operator' })
        .expect(201);
      const id = created.body.id as string;
      const endsLogin = async (password: string, change: Record<string, unknown>, usedBefore = false) => {
        const login = await loginAs('emil', password);
        if (usedBefore) expect(await me(login.access)).toBe(200);
        await t.http.put(`/api/v1/users/${id}`).set(bearer(t.adminToken)).send(change).expect(200);
        // A token not seen since is checked against the store at once; one just seen is
        // remembered as live for a few seconds.
        if (usedBefore) await waitFor('the login to end', async () => (await me(login.access)) === 401, 8000);
        else expect(await me(login.access)).toBe(401);
      };
      await endsLogin('cobalt-fern-ladder-28', { role: 'viewer' });
      await endsLogin('cobalt-fern-ladder-28', { password: 'cobalt-fern-ladder-29' });
      await endsLogin('cobalt-fern-ladder-29', { disabled: true }, true);
      // A change that takes nothing away ends nothing.
      await t.http.put(`/api/v1/users/${id}`).set(bearer(t.adminToken)).send({ disabled: false }).expect(200);
      const kept = await loginAs('emil', 'cobalt-fern-ladder-29');
      await t.http.put(`/api/v1/users/${id}`).set(bearer(t.adminToken)).send({ role: 'viewer' }).expect(200);
      expect(await me(kept.access)).toBe(200);
    });
  });

  describe('errors', () => {
    it('401 without a token, with a malformed token', async () => {
      const none = await t.http.get('/api/v1/me');
      expect(none.status).toBe(401);
      expectEnvelope(none.body, 'UNAUTHORIZED');
      const bad = await t.http.get('/api/v1/me').set(bearer('not.a.jwt'));
      expect(bad.status).toBe(401);
    });

    it('404 for an unknown route, in the envelope', async () => {
      const res = await t.http.get('/api/v1/no-such-thing').set(bearer(t.adminToken));
      expect(res.status).toBe(404);
      expectEnvelope(res.body, 'NOT_FOUND');
    });

    it('400 for malformed JSON and 413 for an oversized body', async () => {
      const bad = await t.http.post('/api/v1/login').set('Content-Type', 'application/json').send('{"username": ');
      expect(bad.status).toBe(400);
      expectEnvelope(bad.body, 'INVALID_REQUEST');
      const big = await t.http.post('/api/v1/login').send({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' });
      expect(big.status).toBe(413);
      expectEnvelope(big.body, 'PAYLOAD_TOO_LARGE');
    });

    it('400 for unknown and mistyped fields', async () => {
      const res = await t.http.post('/api/v1/login').send({ username: 'admin', password: 'x', extra: 1 });
      expect(res.status).toBe(400);
      expect(res.body.details).toContain('extra');
      const typed = await t.http.post('/api/v1/login').send({ username: 5, password: 'x' });
      expect(typed.status).toBe(400);
    });

    it('keeps an incoming X-Request-Id', async () => {
      const res = await t.http.get('/api/v1/me').set('X-Request-Id', 'client-abc-123');
      expect(res.headers['x-request-id']).toBe('client-abc-123');
      expect(res.body.request_id).toBe('client-abc-123');
    });
  });

  describe('roles', () => {
    it('admin manages users; operator and viewer get 403', async () => {
      const operator = await t.tokenFor('operator');
      const viewer = await t.tokenFor('viewer');
      expect((await t.http.get('/api/v1/users').set(bearer(t.adminToken))).status).toBe(200);
      for (const token of [operator, viewer]) {
        const res = await t.http.get('/api/v1/users').set(bearer(token));
        expect(res.status).toBe(403);
        expectEnvelope(res.body, 'FORBIDDEN');
      }
      const me = await t.http.get('/api/v1/me').set(bearer(viewer));
      expect(me.status).toBe(200);
      expect(me.body.role).toBe('viewer');
      expect(me.body).not.toHaveProperty('password_hash');
    });

    it('user CRUD: duplicate names conflict, the last admin cannot be removed, 404 for unknown', async () => {
      const created = await t.http
        .post('/api/v1/users')
        .set(bearer(t.adminToken))
        .send({ username: 'carol', password: 'violet-anchor-mosaic-35', role: 'viewer' });
      expect(created.status).toBe(201);
      expect(created.body.id).toMatch(/^usr-/);
      const dup = await t.http
        .post('/api/v1/users')
        .set(bearer(t.adminToken))
        .send({ username: 'carol', password: 'violet-anchor-mosaic-35', role: 'viewer' });
      expect(dup.status).toBe(409);
      const upd = await t.http
        .put(`/api/v1/users/${created.body.id}`)
        .set(bearer(t.adminToken))
        .send({ role: 'operator' });
      expect(upd.body.role).toBe('operator');
      const me = await t.http.get('/api/v1/me').set(bearer(t.adminToken));
      const selfDelete = await t.http.delete(`/api/v1/users/${me.body.id}`).set(bearer(t.adminToken));
      expect(selfDelete.status).toBe(409);
      expect((await t.http.delete(`/api/v1/users/${created.body.id}`).set(bearer(t.adminToken))).body).toEqual({
        success: true,
      });
      expect((await t.http.get(`/api/v1/users/${created.body.id}`).set(bearer(t.adminToken))).status).toBe(404);
    });

    it('page_size above 100 is 400, not clamped', async () => {
      const res = await t.http.get('/api/v1/users?page_size=101').set(bearer(t.adminToken));
      expect(res.status).toBe(400);
      expect(res.body.details).toContain('page_size');
    });
  });

  describe('audit', () => {
    it('records changes with actor, ip and request id, and never a password', async () => {
      await t.http
        .post('/api/v1/users')
        .set(bearer(t.adminToken))
        .set('X-Request-Id', 'audit-check-1')
        .send({ username: 'dave', password: 'orchid-tunnel-basalt-46', role: 'viewer' });
      const res = await t.http.get('/api/v1/audit-logs?action=users.create').set(bearer(t.adminToken));
      expect(res.status).toBe(200);
      const entry = res.body.audit_logs.find((e: { request_id: string }) => e.request_id === 'audit-check-1');
      expect(entry).toBeDefined();
      expect(entry.actor_username).toBe('admin');
      expect(entry.ip).toBeTruthy();
      expect(entry.details.password).toBe('******');
      expect(JSON.stringify(res.body)).not.toContain('orchid-tunnel-basalt-46');
      const rows = await t.store.query('SELECT details FROM audit_logs');
      expect(JSON.stringify(rows)).not.toContain('orchid-tunnel-basalt-46');
    });

    it('is admin only', async () => {
      const viewer = await t.tokenFor('viewer');
      expect((await t.http.get('/api/v1/audit-logs').set(bearer(viewer))).status).toBe(403);
    });
  });

  describe('operations', () => {
    it('health is public and reports the store', async () => {
      const res = await t.http.get('/api/v1/health');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.info.store.status).toBe('up');
    });

    it('metrics in Prometheus text with request counts by route', async () => {
      const res = await t.http.get('/api/v1/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.text).toMatch(/http_requests_total\{method="POST",route="\/api\/v1\/login",status="200"\} \d+/);
      expect(res.text).toContain('http_request_duration_seconds_bucket');
    });

    it('serves Swagger UI and the OpenAPI JSON with the documented paths', async () => {
      const ui = await t.http.get('/api/docs/');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
      const json = await t.http.get('/api/docs-json');
      expect(json.status).toBe(200);
      expect(Object.keys(json.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/login',
          '/api/v1/refresh',
          '/api/v1/me',
          '/api/v1/users',
          '/api/v1/audit-logs',
          '/api/v1/health',
        ]),
      );
      expect(json.body.components.securitySchemes.bearer).toBeDefined();
      expect(json.body.components.schemas.ErrorEnvelope).toBeDefined();
    });
  });
});
