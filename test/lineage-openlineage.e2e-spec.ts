/**
 * OpenLineage in: events shaped as the specification's examples posted to POST /api/v1/lineage,
 * validated against the 2-0-2 JSON Schema, matched to a registered PostgreSQL source's assets by
 * the naming conventions, stored once per run and event time, and read back as jobs, runs and graph.
 */
import { randomUUID } from 'node:crypto';
import { ServiceTokensService } from '../src/auth/service-tokens/service-tokens.service';
import { CatalogService } from '../src/catalog/catalog.service';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { parseSamples, sum } from './support/prometheus-text';

type Json = Record<string, unknown>;
const PRODUCER = 'https://github.com/OpenLineage/OpenLineage/blob/v1-0-0/client';
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const NS = 'postgres://127.0.0.1:5432';
const facet = (extra: Json = {}): Json => ({ _producer: PRODUCER, _schemaURL: 'https://example.org/facet', ...extra });

/** The spec's example RunEvent, reading shop.public.orders and customers and writing order_totals. */
function runEvent(runId: string, eventType: string, eventTime: string, extra: Json = {}): Json {
  return {
    eventType,
    eventTime,
    run: { runId, facets: { nominalTime: facet({ nominalStartTime: '2020-12-17T03:00:00.000Z' }) } },
    job: {
      namespace: 'my-scheduler-namespace',
      name: 'myjob.mytask',
      facets: { sql: facet({ query: 'INSERT INTO order_totals SELECT …' }), vendorThing: facet({ anything: [1, 2] }) },
    },
    inputs: [
      { namespace: NS, name: 'shop.public.orders' },
      { namespace: NS, name: 'shop.public.customers' },
    ],
    outputs: [
      {
        namespace: NS,
        name: 'shop.public.order_totals',
        facets: {
          columnLineage: facet({
            fields: {
              total: {
                inputFields: [
                  {
                    namespace: NS,
                    name: 'shop.public.orders',
                    field: 'amount',
                    transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }],
                  },
                  {
                    namespace: NS,
                    name: 'shop.public.customers',
                    field: 'id',
                    transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }],
                  },
                ],
              },
              id: {
                inputFields: [
                  {
                    namespace: NS,
                    name: 'shop.public.orders',
                    field: 'id',
                    transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
                  },
                ],
              },
            },
          }),
        },
      },
    ],
    producer: PRODUCER,
    schemaURL: SCHEMA_URL,
    ...extra,
  };
}

describeE2E('lineage: OpenLineage in', () => {
  let t: TestApp;
  let sourceId: string;
  let lineageToken: string;
  const post = (body: unknown, token = t.adminToken) =>
    t.http
      .post('/api/v1/lineage')
      .set(bearer(token))
      .set('Content-Type', 'application/json')
      .send(body as Json);
  const get = (path: string, token = t.adminToken) => t.http.get(`/api/v1${path}`).set(bearer(token));

  async function assetId(name: string): Promise<string> {
    const res = await get(`/metadata/assets?datasource_id=${sourceId}&q=${name}`);
    return (res.body.assets as Array<{ id: string; name: string }>).find((a) => a.name === name)!.id;
  }

  beforeAll(async () => {
    t = await bootApp();
    const created = await t.http
      .post('/api/v1/datasources')
      .set(bearer(t.adminToken))
      .send({
        name: 'shop-pg',
        type: 'postgresql',
        config: { host: '127.0.0.1', port: 5432, database: 'shop', username: 'app' },
      });
    expect(created.status).toBe(201);
    sourceId = created.body.id as string;
    // The catalog as a collection would leave it: three tables of schema public.
    const catalog = t.app.get(CatalogService);
    const writer = await catalog.openRun({
      dataSourceId: sourceId,
      executionId: 'exec-ol-1',
      mode: 'full',
      batchSize: 10,
      scope: {},
    });
    const table = (name: string, cols: string[]) => ({
      namespace: 'public',
      name,
      kind: 'table' as const,
      fields: cols.map((c, i) => ({ name: c, ordinal: i + 1, dataType: 'integer', nullable: true })),
    });
    await writer.write({
      namespaces: [{ name: 'public', kind: 'schema' }],
      assets: [
        table('orders', ['id', 'amount']),
        table('customers', ['id', 'name']),
        table('order_totals', ['id', 'total']),
      ],
    });
    await writer.complete();
    const issued = await t.http
      .post('/api/v1/lineage/service-token')
      .set(bearer(t.adminToken))
      .send({ name: 'airflow-test' });
    expect(issued.status).toBe(200);
    expect(issued.body.scope).toBe('lineage:write');
    lineageToken = issued.body.token as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores a run, matches its datasets to the registered source and derives job and field edges', async () => {
    const runId = randomUUID();
    const start = await post(runEvent(runId, 'START', '2020-12-28T19:52:00.001+10:00'), lineageToken);
    expect(start.status).toBe(201);
    expect(start.body.duplicate).toBe(false);
    expect(start.body.datasets.every((d: Json) => d.datasource_id === sourceId)).toBe(true);
    expect(start.body.edges_added).toBe(2);

    const complete = await post(runEvent(runId, 'COMPLETE', '2020-12-28T20:52:00.001+10:00'), lineageToken);
    expect(complete.status).toBe(201);
    expect(complete.body.edges_added).toBe(0);

    const jobs = await get('/lineage/jobs?namespace=my-scheduler-namespace');
    expect(jobs.status).toBe(200);
    expect(jobs.body.total).toBe(1);
    const job = jobs.body.jobs[0] as Json & { id: string; latest_run: Json; facets: Json };
    expect(job).toMatchObject({ namespace: 'my-scheduler-namespace', name: 'myjob.mytask', producer: PRODUCER });
    // Facets the service does not know are kept as sent.
    expect(job.facets.vendorThing).toMatchObject({ anything: [1, 2] });
    expect(job.facets.sql).toMatchObject({ query: 'INSERT INTO order_totals SELECT …' });
    expect(job.latest_run).toMatchObject({
      run_id: runId,
      state: 'COMPLETE',
      started_at: '2020-12-28T09:52:00.001Z',
      ended_at: '2020-12-28T10:52:00.001Z',
    });
    expect((await get(`/lineage/jobs/${job.id}`)).body.id).toBe(job.id);
    const runs = await get(`/lineage/jobs/${job.id}/runs`);
    expect(runs.body.runs).toHaveLength(1);
    expect(runs.body.runs[0].facets.nominalTime).toMatchObject({ nominalStartTime: '2020-12-17T03:00:00.000Z' });

    const graph = await get(`/lineage?asset_id=${await assetId('order_totals')}&direction=upstream&depth=3`);
    expect(graph.status).toBe(200);
    const byId = new Map(
      (graph.body.nodes as Array<{ id: string; name: string; asset_id: string }>).map((n) => [n.id, n]),
    );
    const edges = (
      graph.body.edges as Array<{
        upstream: string;
        downstream: string;
        kind: string;
        origin: Json;
        job: Json;
        run_id: string;
        fields: Json[];
      }>
    ).map((e) => ({
      edge: `${byId.get(e.upstream)!.name} -> ${byId.get(e.downstream)!.name}`,
      kind: e.kind,
      origin: e.origin,
      job: e.job,
      fields: e.fields,
    }));
    expect(edges.sort((a, b) => (a.edge < b.edge ? -1 : 1))).toEqual([
      {
        edge: 'customers -> order_totals',
        kind: 'job',
        origin: { type: 'openlineage', id: PRODUCER },
        job: { id: job.id, namespace: 'my-scheduler-namespace', name: 'myjob.mytask' },
        fields: [{ upstream_field: 'id', downstream_field: 'total', transformation: 'indirect' }],
      },
      {
        edge: 'orders -> order_totals',
        kind: 'job',
        origin: { type: 'openlineage', id: PRODUCER },
        job: { id: job.id, namespace: 'my-scheduler-namespace', name: 'myjob.mytask' },
        fields: [
          { upstream_field: 'id', downstream_field: 'id', transformation: 'identity' },
          { upstream_field: 'amount', downstream_field: 'total', transformation: 'expression' },
        ],
      },
    ]);
    expect([...byId.values()].every((n) => n.asset_id !== null)).toBe(true);

    const total = await get(`/lineage?asset_id=${await assetId('order_totals')}&direction=upstream&field=total`);
    expect((total.body.nodes as Array<{ name: string }>).map((n) => n.name).sort()).toEqual([
      'customers',
      'order_totals',
      'orders',
    ]);

    const events = await t.store.query(`SELECT payload FROM webhook_events WHERE type = 'lineage.changed'`);
    expect(events.map((e) => (JSON.parse(String(e.payload)) as { data: Json }).data)).toContainEqual(
      expect.objectContaining({ origin: 'openlineage', edges_added: 2, run_id: job.latest_run.id }),
    );
  });

  it('is idempotent per run and event time', async () => {
    const runId = randomUUID();
    const event = runEvent(runId, 'START', '2021-01-01T00:00:00Z', { job: { namespace: 'idem', name: 'once' } });
    const first = await post(event, lineageToken);
    const again = await post(event, lineageToken);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ duplicate: true, event_id: first.body.event_id });
    const stored = await t.store.query(
      'SELECT COUNT(*) AS n FROM lineage_events WHERE event_key IN (SELECT event_key FROM lineage_events WHERE id = ?)',
      [first.body.event_id],
    );
    expect(Number(stored[0].n)).toBe(1);
    // A late START after COMPLETE does not reopen the run.
    await post(
      runEvent(runId, 'COMPLETE', '2021-01-01T01:00:00Z', { job: { namespace: 'idem', name: 'once' } }),
      lineageToken,
    );
    await post(
      runEvent(runId, 'START', '2021-01-01T00:30:00Z', { job: { namespace: 'idem', name: 'once' } }),
      lineageToken,
    );
    const jobs = await get('/lineage/jobs?namespace=idem');
    expect(jobs.body.jobs[0].latest_run.state).toBe('COMPLETE');
  });

  it('keeps a FAIL with its error message, and accepts JobEvent and DatasetEvent', async () => {
    const runId = randomUUID();
    const failed = runEvent(runId, 'FAIL', '2021-02-01T00:00:00Z', {
      job: { namespace: 'failing', name: 'job' },
      run: {
        runId,
        facets: { errorMessage: facet({ message: 'division by zero', programmingLanguage: 'SQL' }) },
      },
    });
    expect((await post(failed, lineageToken)).status).toBe(201);
    const jobs = await get('/lineage/jobs?namespace=failing');
    expect(jobs.body.jobs[0].latest_run).toMatchObject({ state: 'FAIL', error_message: 'division by zero' });

    const jobEvent = {
      eventTime: '2021-02-02T00:00:00Z',
      producer: PRODUCER,
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent',
      job: { namespace: 'static', name: 'defined-job' },
      inputs: [{ namespace: NS, name: 'shop.public.customers' }],
      outputs: [{ namespace: 'kafka://broker.example:9092', name: 'customer-updates' }],
    };
    const jobRes = await post(jobEvent, lineageToken);
    expect(jobRes.status).toBe(201);
    expect(jobRes.body.run_id).toBeNull();
    expect(jobRes.body.edges_added).toBe(1);

    const datasetEvent = {
      eventTime: '2021-02-03T00:00:00Z',
      producer: PRODUCER,
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
      dataset: { namespace: 's3://lake-bucket', name: '/raw/events', facets: { custom: facet({ x: 1 }) } },
    };
    const dsRes = await post(datasetEvent, lineageToken);
    expect(dsRes.status).toBe(201);
    expect(dsRes.body.datasets).toEqual([
      expect.objectContaining({ namespace: 's3://lake-bucket', datasource_id: null }),
    ]);
  });

  it('keeps an unmatched dataset as an external node that a later registration adopts', async () => {
    const runId = randomUUID();
    const event = runEvent(runId, 'COMPLETE', '2021-03-01T00:00:00Z', {
      job: { namespace: 'adopt', name: 'job' },
      inputs: [{ namespace: 'mysql://10.1.2.3:3306', name: 'sales.invoices' }],
    });
    const res = await post(event, lineageToken);
    expect(res.body.datasets).toContainEqual(
      expect.objectContaining({ namespace: 'mysql://10.1.2.3:3306', name: 'sales.invoices', datasource_id: null }),
    );
    const external = res.body.datasets.find((d: Json) => d.name === 'sales.invoices').node_id as string;
    const before = await get(`/lineage?asset_id=${external}&direction=downstream&depth=1`);
    expect(before.body.nodes[0]).toMatchObject({
      kind: 'external',
      openlineage: { namespace: 'mysql://10.1.2.3:3306' },
    });

    const mysql = await t.http
      .post('/api/v1/datasources')
      .set(bearer(t.adminToken))
      .send({ name: 'sales-mysql', type: 'mysql', config: { host: '10.1.2.3', port: 3306, username: 'app' } });
    expect(mysql.status).toBe(201);
    const after = await get(`/lineage?asset_id=${await assetId('order_totals')}&direction=upstream&depth=1`);
    expect(after.body.nodes).toContainEqual(
      expect.objectContaining({ datasource_id: mysql.body.id, namespace: 'sales', name: 'invoices' }),
    );
  });

  it('refuses invalid events with the envelope naming the violation', async () => {
    const valid = runEvent(randomUUID(), 'START', '2021-04-01T00:00:00Z');
    const cases: Array<[unknown, RegExp]> = [
      [{ ...valid, run: { runId: 'not-a-uuid' } }, /RunEvent: \/run\/runId must match format "uuid"/],
      [{ ...valid, eventType: 'BEGIN' }, /\/eventType must be one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER/],
      [{ ...valid, producer: undefined }, /must have property "producer"/],
      [{ ...valid, eventTime: 'yesterday' }, /\/eventTime must match format "date-time"/],
      [{ ...valid, job: { namespace: 'x' } }, /\/job must have property "name"/],
      [{ ...valid, inputs: [{ namespace: NS, name: 't', facets: { bad: { noProducer: true } } }] }, /_producer/],
      [[valid], /must be a JSON object/],
    ];
    const rejected = async () =>
      sum(parseSamples((await t.http.get('/api/v1/metrics')).text), 'metadata_openlineage_events_total', {
        outcome: 'rejected',
      });
    const before = await rejected();
    for (const [body, message] of cases) {
      const res = await post(body, lineageToken);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ reason: 'LINEAGE_EVENT_INVALID' });
      expect(res.body.message).toMatch(message);
    }
    // Each refusal is counted for operators, by outcome.
    expect((await rejected()) - before).toBe(cases.length);
  });

  it('takes a lineage:write service token or an operator; refuses viewers, other scopes and anonymous callers', async () => {
    const event = () =>
      runEvent(randomUUID(), 'START', '2021-05-01T00:00:00Z', { job: { namespace: 'auth', name: 'j' } });
    const operator = await t.tokenFor('operator');
    expect((await post(event(), operator)).status).toBe(201);
    const viewer = await t.tokenFor('viewer');
    expect((await post(event(), viewer)).status).toBe(403);
    expect((await t.http.post('/api/v1/lineage').send(event())).status).toBe(401);
    const tasksToken = await t.app.get(ServiceTokensService).activeFor('lineage-test-tasks', 'tasks', 'tasks:execute');
    expect((await post(event(), tasksToken.token)).status).toBe(403);
    // The token may only post events: reading with it is refused.
    expect((await get('/lineage/jobs', lineageToken)).status).toBe(403);
    expect((await get('/lineage/jobs', viewer)).status).toBe(200);
  });
});
