/**
 * Who the client is behind proxies (TRUST_PROXY), the per-client rate limit and the login lockout
 * keyed by it, the seed's rate-limit headers, the METRICS_TOKEN on /metrics, and one count shared
 * by replicas through Redis. All traffic stays on loopback: X-Forwarded-For values are only text.
 */
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { bearer, bootApp, BootOptions, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';
import { expectEnvelope } from './support/envelope';

const LIMIT = 10;

/** Every variable these suites set, reset on each boot: one boot's values must not leak into the next. */
function boot(env: Record<string, string | undefined>, options: Omit<BootOptions, 'env'> = {}): Promise<TestApp> {
  return bootApp({
    ...options,
    env: { TRUST_PROXY: undefined, METRICS_TOKEN: undefined, LOGIN_MAX_FAILURES: undefined, ...env },
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const xff = (value?: string): Record<string, string> => (value ? { 'X-Forwarded-For': value } : {});
let clients = 0;
/** A documentation-range address (RFC 5737) no other test in the file uses. */
const freshClient = () => `203.0.113.${++clients}`;

type Res = request.Response;
const statuses = (rs: Res[]) => rs.map((r) => r.status);

/** The address the service recorded for a request: the audit entry of a failed login sent with that X-Forwarded-For. */
async function clientSeenAs(t: TestApp, forwardedFor?: string): Promise<string> {
  const requestId = `client-${randomBytes(6).toString('hex')}`;
  const login = await t.http
    .post('/api/v1/login')
    .set({ 'X-Request-Id': requestId, ...xff(forwardedFor) })
    .send({ username: `who-${requestId}`, password: 'not-the-password' });
  expect(login.status).toBe(401);
  const logs = await t.http
    .get('/api/v1/audit-logs')
    .query({ action: 'auth.login_failed', page_size: 100 })
    .set(bearer(t.adminToken));
  expect(logs.status).toBe(200);
  const entry = (logs.body.audit_logs as Array<{ request_id: string; ip: string }>).find(
    (e) => e.request_id === requestId,
  );
  expect(entry).toBeDefined();
  return entry!.ip;
}

const me = (t: TestApp, forwardedFor?: string) =>
  t.http.get('/api/v1/me').set({ ...bearer(t.adminToken), ...xff(forwardedFor) });
const burst = (n: number, send: (i: number) => Promise<Res>) =>
  Promise.all(Array.from({ length: n }, (_, i) => send(i)));
const failLogin = (t: TestApp, username: string, forwardedFor?: string) =>
  t.http
    .post('/api/v1/login')
    .set(xff(forwardedFor))
    .send({ username, password: `wrong-${randomBytes(3).toString('hex')}` });

describeE2E('security: client address, rate limits and /metrics behind proxies', () => {
  describe('TRUST_PROXY=1 (one reverse proxy in front)', () => {
    let t: TestApp;
    const metricsToken = `metrics-${randomBytes(12).toString('hex')}`;
    beforeAll(async () => {
      t = await boot({
        TRUST_PROXY: '1',
        RATE_LIMIT_PER_SECOND: String(LIMIT),
        LOGIN_MAX_FAILURES: '3',
        METRICS_TOKEN: metricsToken,
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('the client is the address the proxy appended; entries the client prepended do not count', async () => {
      expect(await clientSeenAs(t, '198.51.100.1, 203.0.113.200')).toBe('203.0.113.200');
      expect(await clientSeenAs(t, '203.0.113.201')).toBe('203.0.113.201');
      // Reached directly, without the header: the peer itself.
      expect(await clientSeenAs(t)).toBe('127.0.0.1');
    });

    it('prepending X-Forwarded-For entries gives no fresh rate-limit budget', async () => {
      const client = freshClient();
      const first = await burst(LIMIT + 5, () => me(t, client));
      expect(statuses(first).filter((s) => s === 200)).toHaveLength(LIMIT);
      expect(statuses(first).filter((s) => s === 429)).toHaveLength(5);
      const spoofed = await burst(LIMIT, (i) => me(t, `198.51.100.${i + 1}, 10.0.${i}.1, ${client}`));
      expect(statuses(spoofed)).toEqual(Array(LIMIT).fill(429));
      expectEnvelope(spoofed[0], 429, 'RATE_LIMITED');
      // Another client behind the same proxy has its own budget.
      expect((await me(t, freshClient())).status).toBe(200);
    });

    it('prepending X-Forwarded-For entries gives no fresh count of failed logins', async () => {
      const client = freshClient();
      const username = `lockout-${randomBytes(3).toString('hex')}`;
      for (let i = 0; i < 3; i++) expect((await failLogin(t, username, `10.66.${i}.1, ${client}`)).status).toBe(401);
      const locked = await failLogin(t, username, `192.0.2.99, 10.66.99.1, ${client}`);
      expectEnvelope(locked, 429, 'RATE_LIMITED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // The same username from a real other client is still only a wrong password.
      expect((await failLogin(t, username, freshClient())).status).toBe(401);
    });

    it('sends the seed headers: limit, remaining, reset as an epoch second; Retry-After on 429', async () => {
      const client = freshClient();
      const ok = await me(t, client);
      expect(ok.status).toBe(200);
      const now = Date.now() / 1000;
      expect(ok.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1));
      expect(ok.headers['x-ratelimit-reset']).toMatch(/^\d{10}$/);
      expect(Number(ok.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(Math.floor(now));
      expect(Number(ok.headers['x-ratelimit-reset'])).toBeLessThanOrEqual(Math.ceil(now) + 2);
      expect(ok.headers['retry-after']).toBeUndefined();
      // Only the seed's names: no per-throttler variants.
      expect(
        Object.keys(ok.headers)
          .filter((h) => /ratelimit|retry-after/i.test(h))
          .sort(),
      ).toEqual(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);

      const rest = await burst(LIMIT + 2, () => me(t, client));
      const refused = rest.find((r) => r.status === 429)!;
      expectEnvelope(refused, 429, 'RATE_LIMITED');
      expect(refused.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      expect(refused.headers['x-ratelimit-remaining']).toBe('0');
      expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(Number(refused.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
      expect(Number(refused.headers['x-ratelimit-reset'])).toBeLessThanOrEqual(
        Math.ceil(Date.now() / 1000) + Number(refused.headers['retry-after']) + 1,
      );
    });

    it('/metrics needs the METRICS_TOKEN as a bearer token: 401 without it or with any other', async () => {
      const client = freshClient();
      const scrape = (headers: Record<string, string>) =>
        t.http.get('/api/v1/metrics').set({ ...xff(client), ...headers });
      expectEnvelope(await scrape({}), 401, 'UNAUTHORIZED');
      expectEnvelope(await scrape({ Authorization: `Bearer ${metricsToken.slice(0, -1)}x` }), 401, 'UNAUTHORIZED');
      expectEnvelope(await scrape({ Authorization: `Bearer ${metricsToken}-and-more` }), 401, 'UNAUTHORIZED');
      expectEnvelope(await scrape({ Authorization: metricsToken }), 401, 'UNAUTHORIZED');
      // A user's access token is not the metrics token.
      expectEnvelope(await scrape(bearer(t.adminToken)), 401, 'UNAUTHORIZED');
      const ok = await scrape({ Authorization: `Bearer ${metricsToken}` });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('http_requests_total');
    });

    it('/metrics is rate limited like every route', async () => {
      const client = freshClient();
      const scrapes = await burst(LIMIT + 5, () =>
        t.http.get('/api/v1/metrics').set({ ...xff(client), Authorization: `Bearer ${metricsToken}` }),
      );
      expect(statuses(scrapes).filter((s) => s === 200)).toHaveLength(LIMIT);
      const refused = scrapes.find((r) => r.status === 429)!;
      expectEnvelope(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });
  });

  describe('TRUST_PROXY unset (no proxy trusted)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await boot({ RATE_LIMIT_PER_SECOND: String(LIMIT), LOGIN_MAX_FAILURES: '3' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('X-Forwarded-For is ignored entirely: the client is the peer', async () => {
      expect(await clientSeenAs(t, '203.0.113.77')).toBe('127.0.0.1');
      expect(await clientSeenAs(t, '198.51.100.1, 203.0.113.77')).toBe('127.0.0.1');
    });

    it('a different X-Forwarded-For on each request shares one rate-limit budget', async () => {
      await pause(1100); // the peer's earlier requests leave the window
      const responses = await burst(LIMIT + 5, (i) => me(t, `198.51.100.${i + 1}`));
      expect(statuses(responses).filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
      expectEnvelope(
        responses.find((r) => r.status === 429)!,
        429,
        'RATE_LIMITED',
      );
    });

    it('a different X-Forwarded-For on each failed login shares one count', async () => {
      await pause(1100);
      const username = `lockout-${randomBytes(3).toString('hex')}`;
      for (let i = 0; i < 3; i++) expect((await failLogin(t, username, `198.51.100.${i + 1}`)).status).toBe(401);
      expectEnvelope(await failLogin(t, username, '198.51.100.200'), 429, 'RATE_LIMITED');
    });

    it('without METRICS_TOKEN /metrics stays open to scrapers, and rate limited', async () => {
      await pause(1100);
      const open = await t.http.get('/api/v1/metrics');
      expect(open.status).toBe(200);
      expect(open.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      const scrapes = await burst(LIMIT + 3, () => t.http.get('/api/v1/metrics'));
      expect(statuses(scrapes)).toContain(429);
    });
  });

  describe('TRUST_PROXY as a list of proxy addresses/CIDRs', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await boot({ TRUST_PROXY: '127.0.0.1/32, 10.0.0.0/8' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('walks back through the listed proxies only: the first address not listed is the client', async () => {
      // 127.0.0.1 (the peer) and 10.9.9.9 are listed proxies; 203.0.113.50 is not, so it is the client.
      expect(await clientSeenAs(t, '198.51.100.1, 203.0.113.50, 10.9.9.9')).toBe('203.0.113.50');
      // 172.16.0.1 is not a listed proxy: what it claims to forward is not believed.
      expect(await clientSeenAs(t, '203.0.113.50, 172.16.0.1')).toBe('172.16.0.1');
    });
  });

  describeWithServers(['redis'], 'with REDIS_URL: replicas share one count', () => {
    const prefix = `metadata-test-${randomBytes(6).toString('hex')}:`;
    const { host, port } = SERVER_ENDPOINTS.redis;
    const redisUrl = `redis://${host}:${port}/0?keyPrefix=${encodeURIComponent(prefix)}`;
    let first: TestApp;
    let second: TestApp;
    let redis: Redis;
    beforeAll(async () => {
      redis = new Redis({ host, port, lazyConnect: true });
      await redis.connect();
      // Two replicas of one deployment: one store, one Redis.
      first = await boot({ REDIS_URL: redisUrl, RATE_LIMIT_PER_SECOND: '5' }, { keepStore: true });
      second = await boot({ REDIS_URL: redisUrl, RATE_LIMIT_PER_SECOND: '5' }, { store: first.store, keepStore: true });
    });
    afterAll(async () => {
      await second?.close();
      await first?.close();
      await first?.store.drop();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    });

    it('requests to two instances draw on one budget, counted under the configured key prefix', async () => {
      await pause(1100);
      const responses = await Promise.all([
        ...Array.from({ length: 4 }, () => me(first)),
        ...Array.from({ length: 4 }, () => me(second)),
      ]);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
      expect(responses.filter((r) => r.status === 429)).toHaveLength(3);
      const remaining = responses.map((r) => Number(r.headers['x-ratelimit-remaining'])).sort((a, b) => b - a);
      expect(remaining).toEqual([4, 3, 2, 1, 0, 0, 0, 0]);
      expect(responses.filter((r) => r.status === 200).map((r) => r.headers['x-ratelimit-limit'])).toEqual(
        Array(5).fill('5'),
      );
      expect((await redis.keys(`${prefix}*`)).length).toBeGreaterThan(0);
    });
  });
});
