/**
 * Edges a hostile or careless client can reach: scope globs built to make a matcher backtrack,
 * the embedded store's file modes, response headers (Swagger UI under the CSP included), inputs
 * that used to end in a 500, and the gRPC message-size bound. All traffic stays on loopback.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ADMIN_PASSWORD, bearer, bootApp, createStore, currentStore, describeE2E, TestApp } from './support/app';
import { GrpcTestClient } from './support/grpc-client';
import { unique, waitFor } from './support/wait';
import { expectEnvelope } from './support/envelope';

type Json = Record<string, unknown>;

const API = '/api/v1';
const FAST_TASKS = { SCHEDULER_TICK_MS: '250', EXECUTION_HEARTBEAT_MS: '250', HEALTH_CHECK_INTERVAL_SECONDS: '0' };

const modeOf = (path: string) => statSync(path).mode & 0o777;

/**
 * An Elasticsearch node on loopback answering only what a collection asks first, `GET /` (shaped
 * as https://www.elastic.co/guide/en/elasticsearch/reference/8.19/rest-api-root.html), with the
 * product header the client checks. Its cluster name is the namespace the scope globs are tried on.
 */
async function startFakeElasticsearch(clusterName: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      return send(200, {
        name: 'node-1',
        cluster_name: clusterName,
        cluster_uuid: 'Yq6bZx1uQ0eN3gq3Xn8q9A',
        version: {
          number: '8.14.0',
          build_flavor: 'default',
          lucene_version: '9.10.0',
          minimum_wire_compatibility_version: '7.17.0',
          minimum_index_compatibility_version: '7.0.0',
        },
        tagline: 'You Know, for Search',
      });
    }
    if (path === '/_cluster/health')
      return send(200, {
        cluster_name: clusterName,
        status: 'green',
        number_of_nodes: 1,
        number_of_data_nodes: 1,
        active_primary_shards: 0,
        active_shards: 0,
        unassigned_shards: 0,
      });
    if (path.startsWith('/_cat/indices')) return send(200, []);
    if (path.startsWith('/_data_stream')) return send(200, { data_streams: [] });
    if (path.startsWith('/_alias')) return send(200, {});
    return send(404, {
      error: { type: 'resource_not_found_exception', reason: `no handler for ${path}` },
      status: 404,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describeE2E('security edges: slow globs, file modes, headers, inputs that gave a 500, gRPC message bound', () => {
  let t: TestApp;
  let auth: Record<string, string>;
  let dataDir: string;
  let sqliteFile: string | undefined;

  beforeAll(async () => {
    // A DATA_DIR that already exists, group- and world-readable, as an older install left it.
    dataDir = mkdtempSync(join(tmpdir(), 'metadata-private-'));
    chmodSync(dataDir, 0o755);
    const store = await createStore();
    if (currentStore() === 'sqlite') {
      // An existing store file created under a permissive umask.
      sqliteFile = store.url.slice('sqlite:'.length);
      writeFileSync(sqliteFile, '');
      chmodSync(sqliteFile, 0o644);
    }
    t = await bootApp({ store, env: { ...FAST_TASKS, DATA_DIR: dataDir } });
    auth = bearer(t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a many-star scope glob against a long name neither stalls /health nor the run; oversized globs are a 400', async () => {
    const clusterName = 'a'.repeat(64);
    // Twelve stars and a final letter the name lacks: a backtracking matcher tries ~64^12 splits.
    const attack = `${'*a'.repeat(12)}*b`;
    const es = await startFakeElasticsearch(clusterName);
    try {
      const ds = await t.http
        .post(`${API}/datasources`)
        .set(auth)
        .send({ name: unique('es'), type: 'elasticsearch', config: { nodes: [es.url] } });
      expect(ds.status).toBe(201);
      const task = await t.http
        .post(`${API}/tasks`)
        .set(auth)
        .send({
          name: unique('glob-task'),
          datasource_id: ds.body.id,
          type: 'schema_only',
          config: { include_schemas: [attack, '*a'] },
        });
      expect(task.status).toBe(201);

      const health = async () => {
        const started = performance.now();
        const res = await t.http.get(`${API}/health`);
        expect(res.status).toBe(200);
        return performance.now() - started;
      };
      const baseline: number[] = [];
      for (let i = 0; i < 15; i++) baseline.push(await health());
      baseline.sort((a, b) => a - b);
      const median = baseline[Math.floor(baseline.length / 2)];

      const run = await t.http.post(`${API}/tasks/${task.body.id as string}/execute`).set(auth);
      expect(run.status).toBe(202);
      const during: number[] = [];
      const done = await waitFor(
        'the glob-heavy run to finish',
        async () => {
          during.push(await health());
          const e = await t.http
            .get(`${API}/tasks/${task.body.id as string}/executions/${run.body.execution_id as string}`)
            .set(auth);
          return ['completed', 'failed', 'cancelled'].includes(e.body.status as string) ? (e.body as Json) : undefined;
        },
        30_000,
        20,
      );
      expect(done.status).toBe('completed');
      // The attack glob was tried and failed; `*a` let the cluster in, so matching really ran.
      const tree = await t.http.get(`${API}/datasources/${ds.body.id as string}/metadata`).set(auth);
      expect(tree.status).toBe(200);
      expect(JSON.stringify(tree.body)).toContain(clusterName);
      // Measured against this machine's own baseline: a stalled event loop shows as seconds, not a few times the median.
      expect(Math.max(...during)).toBeLessThan(Math.max(50 * median, 5 * baseline[baseline.length - 1]));
    } finally {
      await new Promise((resolve) => es.server.close(resolve));
    }

    const ds = await t.http.get(`${API}/datasources?page_size=1`).set(auth);
    const base = { name: unique('glob-bounds'), datasource_id: ds.body.data_sources[0].id, type: 'schema_only' };
    const tooLong = await t.http
      .post(`${API}/tasks`)
      .set(auth)
      .send({ ...base, config: { exclude_tables: [`${'*'.repeat(257)}`] } });
    expectEnvelope(tooLong, 400, 'INVALID_REQUEST');
    expect(tooLong.body.details).toContain('exclude_tables');
    const tooMany = await t.http
      .post(`${API}/tasks`)
      .set(auth)
      .send({ ...base, config: { include_tables: Array.from({ length: 201 }, (_, i) => `t${i}*`) } });
    expectEnvelope(tooMany, 400, 'INVALID_REQUEST');
    const tooMuch = await t.http
      .post(`${API}/tasks`)
      .set(auth)
      .send({ ...base, config: { include_schemas: Array.from({ length: 20 }, () => '*?'.repeat(128)) } });
    expectEnvelope(tooMuch, 400, 'INVALID_REQUEST');
    expect(tooMuch.body.details).toContain('include_schemas');
  });

  it('keeps the data directory 0700 and the SQLite store with its -wal and -shm files 0600', async () => {
    // DATA_DIR holds generated keys whatever the store, so it is checked on every store.
    expect(modeOf(dataDir)).toBe(0o700);
    // The store files exist only for SQLite: PostgreSQL and MariaDB keep their data in their own server.
    if (currentStore() !== 'sqlite') return;
    // A write makes sure the WAL and shared-memory files exist.
    expect(
      (
        await t.http
          .post(`${API}/datasources`)
          .set(auth)
          .send({
            name: unique('pg'),
            type: 'postgresql',
            config: { host: '127.0.0.1', port: 1, database: 'test', username: 'u', password: 'p' },
          })
      ).status,
    ).toBe(201);
    for (const file of [sqliteFile!, `${sqliteFile!}-wal`, `${sqliteFile!}-shm`])
      expect([file, modeOf(file)]).toEqual([file, 0o600]);
  });

  it('sends nosniff, no framing and a CSP on every answer, no-store on secrets, and keeps Swagger UI loading under the CSP', async () => {
    const health = await t.http.get(`${API}/health`);
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['x-frame-options']).toBe('DENY');
    const csp = String(health.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    // No TRUST_PROXY: plain HTTP may be all there is, so no HSTS.
    expect(health.headers['strict-transport-security']).toBeUndefined();

    const login = await t.http.post(`${API}/login`).send({ username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const refreshed = await t.http.post(`${API}/refresh`).send({ refresh_token: login.body.refresh_token });
    expect(refreshed.headers['cache-control']).toBe('no-store');
    const ds = await t.http
      .post(`${API}/datasources`)
      .set(auth)
      .send({
        name: unique('pg'),
        type: 'postgresql',
        config: { host: '127.0.0.1', port: 1, database: 'test', username: 'u', password: 'p' },
      });
    expect(ds.status).toBe(201);
    const reads: Array<[string, Promise<{ status: number; headers: Record<string, string> }>]> = [
      ['data source', t.http.get(`${API}/datasources/${ds.body.id as string}`).set(auth)],
      ['templates', t.http.get(`${API}/templates`).set(auth)],
      ['export', t.http.post(`${API}/datasources/export`).set(auth).send({})],
      ['service tokens', t.http.get(`${API}/service-tokens`).set(auth)],
    ];
    for (const [what, pending] of reads) {
      const res = await pending;
      expect([what, res.status < 400, res.headers['cache-control']]).toEqual([what, true, 'no-store']);
    }

    // Swagger UI: the page comes with the CSP, runs no inline script, and every script and stylesheet it names loads.
    const docs = await t.http.get('/api/docs/').redirects(2);
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect(docs.headers['content-security-policy']).toBe(csp);
    const html = docs.text;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
    const assets = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)=["']([^"']+)["']/g)]
      .map((m) => m[1])
      .filter((u) => /\.(js|css)$/.test(u));
    expect(assets.some((u) => u.endsWith('swagger-ui-init.js'))).toBe(true);
    expect(assets.some((u) => u.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const path = new URL(asset, `http://127.0.0.1/api/docs/`).pathname;
      const res = await t.http.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers['content-type']).toMatch(asset.endsWith('.css') ? /text\/css/ : /javascript/);
    }
  });

  it('answers a 400 envelope, not a 500, to a 20-digit page, JSON nested 100,000 deep and a URL with an IPv6 zone id', async () => {
    expectEnvelope(await t.http.get(`${API}/datasources?page=99999999999999999999`).set(auth), 400, 'INVALID_REQUEST');
    expectEnvelope(await t.http.get(`${API}/tasks?page=1e20`).set(auth), 400, 'INVALID_REQUEST');

    const depth = 100_000;
    const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    for (const body of [deepArray, deepObject]) {
      const res = await t.http.post(`${API}/datasources`).set(auth).set('Content-Type', 'application/json').send(body);
      expectEnvelope(res, 400, 'INVALID_REQUEST');
      expect(res.body.message).toMatch(/nested too deeply/);
    }
    // Brackets inside strings are data, not nesting.
    const flat = await t.http
      .post(`${API}/datasources`)
      .set(auth)
      .send({ name: `${'['.repeat(50)}`, type: 'nope', config: { note: '{'.repeat(10_000) } });
    expect(flat.body.message).not.toMatch(/nested too deeply/);

    const hook = await t.http
      .post(`${API}/webhooks`)
      .set(auth)
      .send({ name: unique('hook'), url: 'http://[fe80::1%25eth0]/', events: ['execution.finished'] });
    expectEnvelope(hook, 400, 'INVALID_REQUEST');
    expect(hook.body.details).toContain('url');
  });

  it('refuses a gRPC message over GRPC_MAX_MESSAGE_BYTES (4 MiB by default) and keeps serving', async () => {
    const grpc = new GrpcTestClient(t.grpcUrl);
    try {
      const big = await grpc.fail('AuthService', 'Login', {
        username: 'admin',
        password: 'x'.repeat(4 * 1024 * 1024 + 1024),
      });
      expect(big.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
      // Below the bound the message reaches the handler, which judges its content.
      const below = await grpc.fail('AuthService', 'Login', {
        username: unique('nobody'),
        password: 'x'.repeat(512 * 1024),
      });
      expect(below.code).not.toBe(GrpcStatus.RESOURCE_EXHAUSTED);
      const ok = await grpc.call<Json>('AuthService', 'Login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(ok.access_token).toEqual(expect.any(String));
      expect((await t.http.get(`${API}/health`)).status).toBe(200);
    } finally {
      grpc.close();
    }
  });

  // Last: a second app in this process takes over process-wide registrations (passport's strategy
  // among them), so the first app's tokens are not used after it.
  it('sends HSTS only when TRUST_PROXY says a proxy (ending TLS) is in front', async () => {
    const proxied = await bootApp({ env: { ...FAST_TASKS, TRUST_PROXY: 'true' } });
    try {
      const res = await proxied.http.get(`${API}/health`);
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    } finally {
      await proxied.close();
    }
  });
});
