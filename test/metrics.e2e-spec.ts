/**
 * The operator's view: a real PostgreSQL collection, a scheduled one that fails, a connection test of
 * each source, webhook deliveries (one retried) and two gRPC calls, then /metrics moved by exactly
 * that; the scrape passes `promtool check metrics`, and every metric the deploy/ dashboard and alert
 * rules use is in it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { GrpcTestClient } from './support/grpc-client';
import { findPromtool, hasFamily, parseSamples, promtoolCheckMetrics, Sample, sum } from './support/prometheus-text';
import { Receiver } from './support/receiver';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';
import { waitFor } from './support/wait';

const schema = `metrics_e2e_${process.pid}_${Date.now().toString(36)}`;
const pg = () =>
  new Client({
    host: SERVER_ENDPOINTS.postgres.host,
    port: SERVER_ENDPOINTS.postgres.port,
    user: 'postgres',
    database: 'test',
  });

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The metric names a deploy/ file refers to. */
function metricsUsedIn(file: string): string[] {
  const text = readFileSync(join(__dirname, '..', 'deploy', file), 'utf8');
  const names = text.match(/\b(?:metadata|grpc_server|http_request)_[a-z_]+\b/g) ?? [];
  return [...new Set(names.map((n) => n.replace(/_(bucket|sum|count)$/, '')))];
}

describeE2E('metrics: what the service did, as an operator sees it', () => {
  describeWithServers(['postgres'], 'against a real PostgreSQL source', () => {
    let t: TestApp;
    let receiver: Receiver;
    let grpc: GrpcTestClient;
    const api = (path: string) => `/api/v1${path}`;
    const scrape = async (): Promise<string> => {
      const res = await t.http.get(api('/metrics'));
      expect(res.status).toBe(200);
      return res.text;
    };

    beforeAll(async () => {
      const c = pg();
      await c.connect();
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(`CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, total numeric(12,2), note text)`);
      await c.query(`CREATE TABLE ${schema}.items (id bigint PRIMARY KEY, order_id bigint)`);
      await c.end();
      receiver = await new Receiver().start();
      t = await bootApp({
        env: {
          WEBHOOK_DISPATCH_INTERVAL_MS: '50',
          WEBHOOK_RETRY_BASE_MS: '50',
          WEBHOOK_RETRY_MAX_MS: '100',
          HEALTH_CHECK_INTERVAL_SECONDS: '0',
          SCHEDULER_TICK_MS: '200',
          METRICS_STORE_REFRESH_SECONDS: '0',
        },
      });
      grpc = new GrpcTestClient(t.grpcUrl);
    });

    afterAll(async () => {
      await t?.close();
      await receiver?.stop();
      const c = pg();
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    });

    it('counts executions, catalog writes, scheduler lag, webhook attempts, tests and gRPC calls exactly', async () => {
      const before = parseSamples(await scrape());
      const delta = (after: Sample[], name: string, labels: Record<string, string> = {}) =>
        sum(after, name, labels) - sum(before, name, labels);

      // The first delivery is refused with a 503, so it is retried once.
      receiver.answers = [{ status: 503 }];
      const hook = await t.http
        .post(api('/webhooks'))
        .set(bearer(t.adminToken))
        .send({ name: 'ops', url: receiver.url, events: ['execution.finished'] });
      expect(hook.status).toBe(201);

      const source = async (name: string, port: number) => {
        const res = await t.http
          .post(api('/datasources'))
          .set(bearer(t.adminToken))
          .send({
            name,
            type: 'postgresql',
            config: { host: SERVER_ENDPOINTS.postgres.host, port, username: 'postgres', database: 'test', timeout: 5 },
          });
        expect(res.status).toBe(201);
        return res.body.id as string;
      };
      const good = await source('metrics-good', SERVER_ENDPOINTS.postgres.port);
      const bad = await source('metrics-unreachable', await closedPort());
      for (const id of [good, bad]) {
        const test = await t.http.post(api(`/datasources/${id}/test`)).set(bearer(t.adminToken));
        expect(test.status).toBe(200);
        expect(test.body.success).toBe(id === good);
      }

      // A manual collection that completes…
      const goodTask = await t.http
        .post(api('/tasks'))
        .set(bearer(t.adminToken))
        .send({
          name: 'metrics-good',
          datasource_id: good,
          type: 'full_collection',
          config: { include_schemas: [schema] },
        });
      expect(goodTask.status).toBe(201);
      const exec = await t.http.post(api(`/tasks/${goodTask.body.id}/execute`)).set(bearer(t.adminToken));
      expect(exec.status).toBe(202);
      // …and a scheduled one (fires once at start) that fails: nothing listens on its port.
      const badTask = await t.http
        .post(api('/tasks'))
        .set(bearer(t.adminToken))
        .send({
          name: 'metrics-bad',
          datasource_id: bad,
          type: 'full_collection',
          schedule: { type: 'immediate' },
          config: { retry_count: 0 },
        });
      expect(badTask.status).toBe(201);
      expect((await t.http.post(api(`/tasks/${badTask.body.id}/start`)).set(bearer(t.adminToken))).status).toBe(200);

      // Three requests: the refused one, its retry, and the other run's event.
      const received = await receiver.waitFor(3, (r) => r.json.type === 'execution.finished', 30_000);
      const byRun = new Map(received.map((r) => [r.json.data.execution_id, r.json.data.status]));
      expect([...byRun.values()].sort()).toEqual(['completed', 'failed']);

      // Two gRPC calls: one refused without a token, one answered.
      const refused = await grpc.fail('DataSourceService', 'Get', { id: good });
      expect(refused.code).toBe(16);
      await grpc.call('DataSourceService', 'List', {}, t.adminToken);

      const assets = await t.http
        .get(api(`/metadata/assets?datasource_id=${good}&page_size=100`))
        .set(bearer(t.adminToken));
      expect(assets.status).toBe(200);
      const collected = assets.body.assets as Array<{ field_count: number }>;
      expect(collected.length).toBeGreaterThan(0);
      const fields = collected.reduce((n, a) => n + a.field_count, 0);

      // The last delivery is recorded just after the receiver answers: wait for the count, then read all.
      const after = await waitFor('both deliveries counted', async () => {
        const s = parseSamples(await scrape());
        return sum(s, 'metadata_webhook_delivery_attempts_total', { outcome: 'succeeded' }) -
          sum(before, 'metadata_webhook_delivery_attempts_total', { outcome: 'succeeded' }) >=
          2
          ? s
          : undefined;
      });

      const full = { task_type: 'full_collection' };
      expect(delta(after, 'metadata_executions_started_total', { ...full, trigger: 'manual' })).toBe(1);
      expect(delta(after, 'metadata_executions_started_total', { ...full, trigger: 'schedule' })).toBe(1);
      expect(delta(after, 'metadata_executions_started_total')).toBe(2);
      expect(
        delta(after, 'metadata_executions_finished_total', { ...full, trigger: 'manual', outcome: 'completed' }),
      ).toBe(1);
      expect(
        delta(after, 'metadata_executions_finished_total', { ...full, trigger: 'schedule', outcome: 'failed' }),
      ).toBe(1);
      expect(delta(after, 'metadata_executions_finished_total')).toBe(2);
      expect(delta(after, 'metadata_execution_duration_seconds_count', full)).toBe(2);
      expect(delta(after, 'metadata_execution_duration_seconds_sum', full)).toBeGreaterThan(0);
      expect(delta(after, 'metadata_execution_assets_written_count', full)).toBe(2);
      expect(delta(after, 'metadata_execution_assets_written_sum', full)).toBe(collected.length);
      expect(delta(after, 'metadata_execution_fields_written_sum', full)).toBe(fields);
      // The failed run wrote nothing: it lands in the lowest bucket.
      expect(delta(after, 'metadata_execution_assets_written_bucket', { ...full, le: '0' })).toBe(1);

      expect(delta(after, 'metadata_scheduler_lag_seconds_count')).toBe(1);
      expect(sum(after, 'metadata_scheduler_due_unclaimed_firings')).toBe(0);
      expect(sum(after, 'metadata_runner_slots_in_use')).toBe(0);
      expect(sum(after, 'metadata_runner_slots')).toBeGreaterThan(0);

      expect(delta(after, 'metadata_webhook_delivery_attempts_total', { outcome: 'retrying' })).toBe(1);
      expect(delta(after, 'metadata_webhook_delivery_attempts_total', { outcome: 'succeeded' })).toBe(2);
      expect(delta(after, 'metadata_webhook_delivery_attempts_total', { outcome: 'failed' })).toBe(0);
      expect(sum(after, 'metadata_webhook_deliveries_pending')).toBe(0);
      expect(sum(after, 'metadata_webhook_deliveries_failing')).toBe(0);

      // A fresh store: the catalog and the sources are exactly what this test made.
      expect(sum(after, 'metadata_catalog_assets')).toBe(collected.length);
      expect(sum(after, 'metadata_catalog_fields')).toBe(fields);
      expect(sum(after, 'metadata_datasources', { type: 'postgresql', status: 'active' })).toBe(1);
      expect(sum(after, 'metadata_datasources', { type: 'postgresql', status: 'error' })).toBe(1);
      expect(sum(after, 'metadata_datasources')).toBe(2);
      expect(sum(after, 'metadata_tasks_failing')).toBe(1);
      expect(sum(after, 'metadata_task_failure_streak_max')).toBe(1);

      const tests = 'metadata_connection_test_duration_seconds_count';
      expect(delta(after, tests, { type: 'postgresql', failed_step: 'none' })).toBe(1);
      expect(delta(after, tests, { type: 'postgresql', failed_step: 'tcp' })).toBe(1);

      const ds = { grpc_service: 'metadata.v1.DataSourceService', grpc_type: 'unary' };
      expect(
        delta(after, 'grpc_server_handled_total', { ...ds, grpc_method: 'Get', grpc_code: 'Unauthenticated' }),
      ).toBe(1);
      expect(delta(after, 'grpc_server_handled_total', { ...ds, grpc_method: 'List', grpc_code: 'OK' })).toBe(1);
      expect(delta(after, 'grpc_server_started_total', ds)).toBe(2);
      expect(delta(after, 'grpc_server_handling_seconds_count', ds)).toBe(2);

      // OpenLineage ingest is counted from its first event; until then every outcome reads 0.
      expect(
        after
          .filter((s) => s.name === 'metadata_openlineage_events_total')
          .map((s) => s.labels.outcome)
          .sort(),
      ).toEqual(['accepted', 'failed', 'rejected']);

      // No label carries an id or a name.
      const ids = [good, bad, goodTask.body.id as string, badTask.body.id as string, exec.body.execution_id as string];
      const labelValues = after.flatMap((s) => Object.values(s.labels));
      for (const id of ids) expect(labelValues).not.toContain(id);
      expect(labelValues.some((v) => v.startsWith('metrics-'))).toBe(false);
    });

    it('serves every metric the deploy/ dashboard and alert rules use', async () => {
      const samples = parseSamples(await scrape());
      const used = [...metricsUsedIn('grafana/metadata-service.json'), ...metricsUsedIn('prometheus/alerts.yml')];
      expect(used.length).toBeGreaterThan(10);
      expect(used.filter((name) => !hasFamily(samples, name))).toEqual([]);
    });

    it('passes promtool: check metrics on the scrape (only prom-client defaults may draw hints), the dashboard PromQL parses', async () => {
      const promtool = findPromtool();
      if (!promtool) {
        if (process.env.CI === 'true')
          throw new Error('CI=true and promtool is missing: run scripts/tools/promtool.sh');
        console.warn('SKIPPED promtool checks: no promtool (scripts/tools/promtool.sh fetches it)');
        return;
      }
      // Each dashboard query as a recording rule, so promtool parses it.
      const dashboard = JSON.parse(
        readFileSync(join(__dirname, '..', 'deploy', 'grafana', 'metadata-service.json'), 'utf8'),
      ) as {
        panels: Array<{ targets?: Array<{ expr: string }> }>;
      };
      const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((target) => target.expr));
      expect(exprs.length).toBeGreaterThan(20);
      const dir = mkdtempSync(join(tmpdir(), 'metrics-dashboard-'));
      const rules = join(dir, 'dashboard-queries.yml');
      writeFileSync(
        rules,
        `groups:\n  - name: dashboard\n    rules:\n${exprs.map((e, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(e)}\n`).join('')}`,
      );
      const parsed = spawnSync(promtool, ['check', 'rules', rules], { encoding: 'utf8' });
      rmSync(dir, { recursive: true, force: true });
      expect({ status: parsed.status, output: parsed.stdout + parsed.stderr }).toMatchObject({ status: 0 });

      const { output } = promtoolCheckMetrics(promtool, await scrape());
      // promtool names each problem's metric first: `<name> <problem>`.
      const problems = output
        .split('\n')
        .filter((l) => l.trim())
        .filter((l) => !/^nodejs_\w+_total non-counter metrics should not have "_total" suffix$/.test(l.trim()));
      expect(problems).toEqual([]);
    });
  });
});
