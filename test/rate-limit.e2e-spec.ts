import { bearer, bootApp, describeE2E, TestApp } from './support/app';

describeE2E('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ env: { RATE_LIMIT_PER_SECOND: '5' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sets the seed headers with an epoch-second reset, then 429 with Retry-After in the envelope', async () => {
    // Let any earlier window run out, then send a burst that lands in one fresh window.
    await new Promise((r) => setTimeout(r, 1100));
    const responses = await Promise.all(
      Array.from({ length: 7 }, () => t.http.get('/api/v1/me').set(bearer(t.adminToken))),
    );
    const first = responses[0];
    expect(first.headers['x-ratelimit-limit']).toBe('5');
    const reset = Number(first.headers['x-ratelimit-reset']);
    const nowSec = Date.now() / 1000;
    expect(reset).toBeGreaterThan(1_600_000_000); // an epoch second, not a delta
    expect(reset).toBeGreaterThanOrEqual(Math.floor(nowSec) - 1);
    expect(reset).toBeLessThanOrEqual(Math.ceil(nowSec) + 2);
    const remaining = responses.map((r) => Number(r.headers['x-ratelimit-remaining'])).sort((a, b) => b - a);
    expect(remaining).toEqual([4, 3, 2, 1, 0, 0, 0]);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0].body.code).toBe('RATE_LIMITED');
    expect(limited[0].body.request_id).toBe(limited[0].headers['x-request-id']);
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('the window resets: after a second requests pass again', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const res = await t.http.get('/api/v1/me').set(bearer(t.adminToken));
    expect(res.status).toBe(200);
  });
});
