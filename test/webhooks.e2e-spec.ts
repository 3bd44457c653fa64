import { verify } from '../src/webhooks/signature';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { Receiver } from './support/receiver';
import { sleep } from './support/wait';

const FAST = { WEBHOOK_DISPATCH_INTERVAL_MS: '50', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_TIMEOUT_MS: '2000' };

describeE2E('webhooks', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await bootApp({ env: { ...FAST, WEBHOOK_MAX_ATTEMPTS: '4', WEBHOOK_DISABLE_AFTER_FAILURES: '2' } });
  });
  beforeEach(async () => {
    receiver = await new Receiver().start();
  });
  afterEach(async () => {
    await receiver.stop();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function createHook(extra: Record<string, unknown> = {}) {
    const res = await t.http
      .post('/api/v1/webhooks')
      .set(bearer(t.adminToken))
      .send({ name: 'hook', url: receiver.url, events: ['execution.finished', 'datasource.status_changed'], ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; active: boolean };
  }

  async function deliveries(id: string) {
    const res = await t.http.get(`/api/v1/webhooks/${id}/deliveries`).set(bearer(t.adminToken));
    expect(res.status).toBe(200);
    return res.body.deliveries as Array<{
      id: string;
      status: string;
      attempts: number;
      status_code: number;
      event_id: string;
      last_error: string | null;
    }>;
  }

  it('shows the secret once, stores it encrypted, and signs deliveries verifiably', async () => {
    const hook = await createHook();
    expect(hook.secret).toMatch(/^whsec_/);
    const got = await t.http.get(`/api/v1/webhooks/${hook.id}`).set(bearer(t.adminToken));
    expect(got.body).not.toHaveProperty('secret');
    const list = await t.http.get('/api/v1/webhooks').set(bearer(t.adminToken));
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);
    const rows = await t.store.query('SELECT secret FROM webhooks WHERE id = ?', [hook.id]);
    expect(String(rows[0].secret)).not.toContain(hook.secret);

    const ping = await t.http.post(`/api/v1/webhooks/${hook.id}/ping`).set(bearer(t.adminToken));
    expect(ping.status).toBe(202);
    const [req] = await receiver.waitFor(1);
    const ts = Number(req.headers['x-webhook-timestamp']);
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(60);
    expect(verify(hook.secret, ts, req.body, String(req.headers['x-webhook-signature']))).toBe(true);
    expect(verify(hook.secret, ts + 1, req.body, String(req.headers['x-webhook-signature']))).toBe(false);
    expect(req.json).toMatchObject({ id: ping.body.event_id, type: 'ping', data: { webhook_id: hook.id } });
    expect(req.json.created_at).toMatch(/Z$/);
  });

  it('retries 500s with backoff and delivers once', async () => {
    receiver.answers = [{ status: 500 }, { status: 503 }];
    const hook = await createHook();
    const ping = await t.http.post(`/api/v1/webhooks/${hook.id}/ping`).set(bearer(t.adminToken));
    await receiver.waitFor(3);
    await sleep(300);
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.json.id))).toEqual(new Set([ping.body.event_id]));
    const [d] = await deliveries(hook.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3, status_code: 200 });
  });

  it('redelivers an event with the same event id', async () => {
    const hook = await createHook();
    await t.http.post(`/api/v1/webhooks/${hook.id}/ping`).set(bearer(t.adminToken));
    await receiver.waitFor(1);
    let [d] = await deliveries(hook.id);
    for (let i = 0; d.status === 'pending' && i < 50; i++) {
      await sleep(50);
      [d] = await deliveries(hook.id);
    }
    const re = await t.http.post(`/api/v1/webhooks/${hook.id}/deliveries/${d.id}/redeliver`).set(bearer(t.adminToken));
    expect(re.status).toBe(202);
    const got = await receiver.waitFor(2);
    expect(got[1].json.id).toBe(got[0].json.id);
    expect(got[1].headers['x-webhook-delivery']).toBe(re.body.id);
    const missing = await t.http
      .post(`/api/v1/webhooks/${hook.id}/deliveries/dlv-nope/redeliver`)
      .set(bearer(t.adminToken));
    expect(missing.status).toBe(404);
  });

  it('disables a webhook after repeated failed events, saying why', async () => {
    receiver.fallback = { status: 500 };
    const hook = await createHook();
    await t.http.post(`/api/v1/webhooks/${hook.id}/ping`).set(bearer(t.adminToken));
    await t.http.post(`/api/v1/webhooks/${hook.id}/ping`).set(bearer(t.adminToken));
    await receiver.waitFor(8, undefined, 20000); // 2 events × 4 attempts
    let body: { active: boolean; disabled_reason: string | null; consecutive_failures: number } = {
      active: true,
      disabled_reason: null,
      consecutive_failures: 0,
    };
    for (let i = 0; i < 100 && body.active; i++) {
      await sleep(50);
      body = (await t.http.get(`/api/v1/webhooks/${hook.id}`).set(bearer(t.adminToken))).body;
    }
    expect(body.active).toBe(false);
    expect(body.consecutive_failures).toBe(2);
    expect(body.disabled_reason).toMatch(/2 consecutive failed events.*500/);
    const ds = await deliveries(hook.id);
    expect(ds.every((d) => d.status === 'failed' && d.attempts === 4)).toBe(true);
  });

  it('refuses link-local and metadata addresses, and never follows a redirect', async () => {
    const refused = await t.http
      .post('/api/v1/webhooks')
      .set(bearer(t.adminToken))
      .send({ name: 'x', url: 'http://169.254.169.254/latest/meta-data', events: ['execution.finished'] });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('INVALID_REQUEST');
    expect(refused.body.message).toMatch(/refused/);

    receiver.fallback = { status: 302, headers: { Location: 'http://169.254.169.254/' } };
    const hook = await createHook();
    await t.http.post(`/api/v1/webhooks/${hook.id}/ping`).set(bearer(t.adminToken));
    await receiver.waitFor(1);
    let [d] = await deliveries(hook.id);
    for (let i = 0; d.status === 'pending' && i < 50; i++) {
      await sleep(50);
      [d] = await deliveries(hook.id);
    }
    expect(d.status).toBe('failed');
    expect(d.last_error).toMatch(/not followed/);
    expect(receiver.received).toHaveLength(1);
  });

  it('validates input and roles', async () => {
    const bad = await t.http
      .post('/api/v1/webhooks')
      .set(bearer(t.adminToken))
      .send({ name: 'x', url: 'ftp://x', events: ['nope'] });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toMatch(/url/);
    expect(bad.body.details).toMatch(/events/);
    const viewer = await t.tokenFor('viewer');
    expect((await t.http.get('/api/v1/webhooks').set(bearer(viewer))).status).toBe(403);
    const operator = await t.tokenFor('operator');
    expect(
      (
        await t.http
          .post('/api/v1/webhooks')
          .set(bearer(operator))
          .send({ name: 'op', url: receiver.url, events: ['execution.finished'] })
      ).status,
    ).toBe(201);
  });
});

describeE2E('webhooks across a restart', () => {
  it('delivers an event recorded before the service stopped', async () => {
    const receiver = await new Receiver().start();
    // First instance: records the event but never dispatches (interval far beyond the test).
    const first = await bootApp({ env: { WEBHOOK_DISPATCH_INTERVAL_MS: '3600000' }, keepStore: true });
    const hook = await first.http
      .post('/api/v1/webhooks')
      .set(bearer(first.adminToken))
      .send({ name: 'h', url: receiver.url, events: ['execution.finished'] });
    const ping = await first.http.post(`/api/v1/webhooks/${hook.body.id}/ping`).set(bearer(first.adminToken));
    await sleep(200);
    expect(receiver.received).toHaveLength(0);
    await first.close();
    const second = await bootApp({ env: FAST, store: first.store });
    try {
      const [req] = await receiver.waitFor(1);
      expect(req.json.id).toBe(ping.body.event_id);
      expect(
        verify(
          hook.body.secret,
          Number(req.headers['x-webhook-timestamp']),
          req.body,
          String(req.headers['x-webhook-signature']),
        ),
      ).toBe(true);
    } finally {
      await second.close();
      await receiver.stop();
    }
  });
});

describeE2E('webhooks on two replicas', () => {
  it('sends each delivery once, in event order, when two instances dispatch from one store', async () => {
    const receiver = await new Receiver().start();
    const a = await bootApp({ env: FAST, keepStore: true });
    const b = await bootApp({ env: FAST, store: a.store, keepStore: true });
    try {
      const hook = await a.http
        .post('/api/v1/webhooks')
        .set(bearer(a.adminToken))
        .send({ name: 'h', url: receiver.url, events: ['execution.finished'] });
      const sent: string[] = [];
      for (let i = 0; i < 15; i++)
        sent.push((await a.http.post(`/api/v1/webhooks/${hook.body.id}/ping`).set(bearer(a.adminToken))).body.event_id);
      await receiver.waitFor(15);
      await sleep(500);
      const deliveryIds = receiver.received.map((r) => String(r.headers['x-webhook-delivery']));
      expect(new Set(deliveryIds).size).toBe(deliveryIds.length);
      expect(receiver.received.map((r) => r.json.id)).toEqual(sent);
    } finally {
      await b.close();
      await a.close();
      await a.store.drop();
      await receiver.stop();
    }
  });
});
