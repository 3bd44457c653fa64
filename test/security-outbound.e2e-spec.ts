/**
 * Outbound HTTP under the address policy: a server on an allowed loopback address answers with a
 * redirect to a denied one (127.0.0.2, denied by CONNECT_DENY_CIDRS). No client may follow it, so
 * the denied server is never contacted and what it holds never comes back; the same clients still
 * work against a server that answers directly. All traffic stays on 127.0.0.0/8.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';
import { waitFor } from './support/wait';

const DENIED_BODY = 'DENIED-SECRET-BODY';

/** A loopback HTTP server that records the paths it was asked for. */
class LoopbackServer {
  readonly paths: string[] = [];
  private readonly server: Server;
  port = 0;

  constructor(
    private readonly address: string,
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ) {
    this.server = createServer((req, res) => {
      this.paths.push(req.url ?? '');
      // Drain the request body before answering (webhook deliveries POST one).
      req.resume();
      req.on('end', () => handler(req, res));
    });
  }

  get origin(): string {
    return `http://${this.address}:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, this.address, resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const json = (res: ServerResponse, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

describeE2E('outbound HTTP: redirects and the address policy', () => {
  let t: TestApp;
  // The denied target: it answers everything, so any request that reached it would show.
  const denied = new LoopbackServer('127.0.0.2', (_req, res) =>
    json(res, { secret: DENIED_BODY, management_version: DENIED_BODY, items: [] }),
  );
  // Allowed, and redirects every request to the same path on the denied server.
  const redirector = new LoopbackServer('127.0.0.1', (req, res) =>
    res
      .writeHead(302, { location: `${denied.origin}${req.url ?? '/'}`, 'content-type': 'text/plain' })
      .end('redirecting'),
  );
  // Allowed, and answers as the real services document it.
  const direct = new LoopbackServer('127.0.0.1', (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/overview') return json(res, { management_version: '3.10.0', cluster_name: 'rabbit@test' });
    if (path.startsWith('/api/queues/')) return json(res, { items: [], page: 1, page_count: 1, total_count: 0 });
    const es = { 'x-elastic-product': 'Elasticsearch' };
    if (path === '/')
      return json(
        res,
        {
          name: 'node-1',
          cluster_name: 'direct-cluster',
          version: { number: '8.15.2' },
          tagline: 'You Know, for Search',
        },
        es,
      );
    if (path === '/_cat/indices') return json(res, [], es);
    if (path === '/hook') return res.writeHead(200).end('ok');
    res.writeHead(404).end();
  });

  beforeAll(async () => {
    await Promise.all([denied.start(), redirector.start(), direct.start()]);
    t = await bootApp({
      env: {
        CONNECT_DENY_CIDRS: '127.0.0.2/32',
        WEBHOOK_DISPATCH_INTERVAL_MS: '50',
        WEBHOOK_RETRY_BASE_MS: '50',
        WEBHOOK_TIMEOUT_MS: '2000',
      },
    });
  });
  afterEach(() => {
    for (const s of [denied, redirector, direct]) s.paths.length = 0;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([denied.stop(), redirector.stop(), direct.stop()]);
  });

  const testConfig = async (type: string, config: Record<string, unknown>) => {
    const res = await t.http.post('/api/v1/datasources/test').set(bearer(t.adminToken)).send({ type, config });
    expect(res.status).toBe(200);
    return res.body as {
      success: boolean;
      message: string;
      details?: string;
      steps: Array<{ name: string; ok: boolean; message?: string }>;
    };
  };

  describeWithServers(['rabbitmq'], 'RabbitMQ management API', () => {
    const amqp = {
      host: SERVER_ENDPOINTS.rabbitmq.host,
      port: SERVER_ENDPOINTS.rabbitmq.port,
      username: 'guest',
      password: 'guest',
      timeout: 5,
    };

    it('a connection test does not follow the management API redirect to a denied address, nor echo what is there', async () => {
      const result = await testConfig('rabbitmq', { ...amqp, management_url: redirector.origin });
      expect(result.success).toBe(false);
      expect(result.steps.find((s) => s.name === 'catalog')).toMatchObject({
        ok: false,
        message: expect.stringMatching(/redirect/) as string,
      });
      expect(redirector.paths).toEqual(['/api/overview']);
      expect(denied.paths).toEqual([]);
      expect(JSON.stringify(result)).not.toContain(DENIED_BODY);
    });

    it('a connection test still reads a management API that answers directly', async () => {
      const result = await testConfig('rabbitmq', { ...amqp, management_url: direct.origin });
      expect(result.success).toBe(true);
      expect(result.steps.find((s) => s.name === 'catalog')?.message).toMatch(/management API 3\.10\.0: 0 queue/);
      expect(denied.paths).toEqual([]);
    });
  });

  describe('Elasticsearch', () => {
    it('a connection test does not follow a node redirect to a denied address, nor echo what is there', async () => {
      const result = await testConfig('elasticsearch', { nodes: [redirector.origin], timeout: 5 });
      expect(result.success).toBe(false);
      expect(result.message).toMatch(/redirect/);
      expect(redirector.paths.length).toBeGreaterThan(0);
      expect(denied.paths).toEqual([]);
      expect(JSON.stringify(result)).not.toContain(DENIED_BODY);
    });

    it('a connection test still reads a node that answers directly', async () => {
      const result = await testConfig('elasticsearch', { nodes: [direct.origin], timeout: 5 });
      expect(result).toMatchObject({ success: true });
      expect(result.steps.find((s) => s.name === 'catalog')?.message).toMatch(/direct-cluster/);
      expect(denied.paths).toEqual([]);
    });
  });

  describe('webhooks', () => {
    const createHook = async (url: string) => {
      const res = await t.http
        .post('/api/v1/webhooks')
        .set(bearer(t.adminToken))
        .send({ name: 'hook', url, events: ['execution.finished'] });
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };
    const settled = (id: string) =>
      waitFor(`a settled delivery of ${id}`, async () => {
        const res = await t.http.get(`/api/v1/webhooks/${id}/deliveries`).set(bearer(t.adminToken));
        const [d] = res.body.deliveries as Array<{
          status: string;
          last_error: string | null;
          status_code: number | null;
        }>;
        return d && d.status !== 'pending' ? d : undefined;
      });

    it('a delivery does not follow a redirect to a denied address', async () => {
      const hook = await createHook(`${redirector.origin}/hook`);
      await t.http
        .post(`/api/v1/webhooks/${hook.id}/ping`)
        .set(bearer(t.adminToken))
        .expect((r) => expect(r.status).toBeLessThan(300));
      const d = await settled(hook.id);
      expect(d).toMatchObject({ status: 'failed', status_code: 302 });
      expect(d.last_error).toMatch(/not followed/);
      expect(redirector.paths).toEqual(['/hook']);
      expect(denied.paths).toEqual([]);
      const listed = await t.http.get(`/api/v1/webhooks/${hook.id}/deliveries`).set(bearer(t.adminToken));
      expect(JSON.stringify(listed.body)).not.toContain(DENIED_BODY);
    });

    it('a delivery still reaches a receiver that answers directly', async () => {
      const hook = await createHook(`${direct.origin}/hook`);
      await t.http
        .post(`/api/v1/webhooks/${hook.id}/ping`)
        .set(bearer(t.adminToken))
        .expect((r) => expect(r.status).toBeLessThan(300));
      expect(await settled(hook.id)).toMatchObject({ status: 'succeeded', status_code: 200 });
      expect(direct.paths).toEqual(['/hook']);
    });

    it('refuses a denied address spelled as IPv4-mapped IPv6 without connecting', async () => {
      const res = await t.http
        .post('/api/v1/webhooks')
        .set(bearer(t.adminToken))
        .send({ name: 'mapped', url: `http://[::ffff:127.0.0.2]:${denied.port}/hook`, events: ['execution.finished'] });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/refused/);
      expect(denied.paths).toEqual([]);
    });
  });
});
