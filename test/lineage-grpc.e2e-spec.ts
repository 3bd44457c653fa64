/**
 * metadata.v1.LineageService answers what the REST lineage routes answer (graph, jobs, runs, event
 * intake), with the same permissions, and refuses invalid events with INVALID_ARGUMENT.
 */
import { status } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { CatalogAsset } from '@app/connectors';
import { CatalogService } from '../src/catalog/catalog.service';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { GrpcTestClient, trailerOf } from './support/grpc-client';

type Json = Record<string, unknown>;

/** REST's null, gRPC's absent field and an empty list mean the same; drop them so the rest compares exactly. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const kept = Object.entries(value as Json).filter(
      ([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0),
    );
    return Object.fromEntries(kept.map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

/** gRPC sends scalars' defaults (false, 0, ''); REST sends them too, so only absent vs null differs. */
const comparable = (v: unknown) => withoutNulls(JSON.parse(JSON.stringify(v)));

describeE2E('lineage over gRPC', () => {
  let t: TestApp;
  let grpc: GrpcTestClient;
  let operator: string;
  let viewer: string;
  let viewId: string;

  beforeAll(async () => {
    t = await bootApp();
    grpc = new GrpcTestClient(t.grpcUrl);
    operator = await t.tokenFor('operator');
    viewer = await t.tokenFor('viewer');
    const ds = await t.http
      .post('/api/v1/datasources')
      .set(bearer(t.adminToken))
      .send({
        name: 'grpc-lineage',
        type: 'postgresql',
        config: { host: '127.0.0.1', port: 5432, database: 'grpcdb', username: 'u' },
      });
    const asset = (name: string, lineage?: CatalogAsset['lineage']): CatalogAsset => ({
      namespace: 'public',
      name,
      kind: lineage ? 'view' : 'table',
      fields: [{ name: 'id', ordinal: 1, dataType: 'integer', nullable: false }],
      lineage,
    });
    const writer = await t.app.get(CatalogService).openRun({
      dataSourceId: ds.body.id as string,
      executionId: 'exec-grpc-lineage',
      mode: 'full',
      batchSize: 10,
      scope: {},
    });
    await writer.write({
      namespaces: [{ name: 'public', kind: 'schema' }],
      assets: [
        asset('base'),
        asset('middle', {
          upstream: [
            {
              namespace: 'public',
              name: 'base',
              kind: 'view',
              fields: [{ field: 'id', from: ['id'], transformation: 'identity' }],
            },
          ],
        }),
        asset('top', { upstream: [{ namespace: 'public', name: 'middle', kind: 'view' }] }),
      ],
    });
    await writer.complete();
    const list = await t.http
      .get(`/api/v1/metadata/assets?datasource_id=${ds.body.id as string}&q=middle`)
      .set(bearer(t.adminToken));
    viewId = (list.body.assets as Array<{ id: string }>)[0].id;
    const event = {
      eventType: 'COMPLETE',
      eventTime: '2024-01-01T00:00:00Z',
      run: { runId: randomUUID() },
      job: {
        namespace: 'grpc',
        name: 'loader',
        facets: { extra: { _producer: 'https://p', _schemaURL: 'https://s', k: 'v' } },
      },
      inputs: [{ namespace: 'postgres://127.0.0.1:5432', name: 'grpcdb.public.top' }],
      outputs: [{ namespace: 's3://exports', name: '/top.parquet' }],
      producer: 'https://example.org/emitter',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    };
    const received = await grpc.call('LineageService', 'ReceiveEvent', { event }, operator);
    expect(received).toMatchObject({ duplicate: false, edges_added: 1 });
  });
  afterAll(async () => {
    grpc?.close();
    await t?.close();
  });

  it('GetLineage equals GET /lineage, table and column level', async () => {
    for (const query of [
      { direction: 'both', depth: 5 },
      { direction: 'upstream', depth: 2, field: 'id' },
      { direction: 'downstream', depth: 1, limit: 1 },
    ]) {
      const qs = Object.entries(query)
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      const rest = await t.http.get(`/api/v1/lineage?asset_id=${viewId}&${qs}`).set(bearer(viewer));
      expect(rest.status).toBe(200);
      const g = await grpc.call('LineageService', 'GetLineage', { asset_id: viewId, ...query }, viewer);
      expect(comparable(g)).toEqual(comparable(rest.body));
    }
    const both = await grpc.call<{ nodes: Json[]; edges: Json[] }>(
      'LineageService',
      'GetLineage',
      { asset_id: viewId, depth: 5 },
      viewer,
    );
    expect(both.nodes.map((n) => n.name).sort()).toEqual(['/top.parquet', 'base', 'middle', 'top']);
    expect(both.edges.map((e) => e.kind).sort()).toEqual(['job', 'view', 'view']);
  });

  it('ListJobs, GetJob and ListJobRuns equal their REST routes', async () => {
    const rest = await t.http.get('/api/v1/lineage/jobs?namespace=grpc').set(bearer(viewer));
    const jobs = await grpc.call<{ jobs: Json[] }>('LineageService', 'ListJobs', { namespace: 'grpc' }, viewer);
    expect(comparable(jobs)).toEqual(comparable(rest.body));
    const id = jobs.jobs[0].id as string;
    expect((jobs.jobs[0].facets as Json).extra).toMatchObject({ k: 'v' });
    const job = await grpc.call('LineageService', 'GetJob', { id }, viewer);
    expect(comparable(job)).toEqual(
      comparable((await t.http.get(`/api/v1/lineage/jobs/${id}`).set(bearer(viewer))).body),
    );
    const runs = await grpc.call('LineageService', 'ListJobRuns', { id, page_size: 5 }, viewer);
    expect(comparable(runs)).toEqual(
      comparable((await t.http.get(`/api/v1/lineage/jobs/${id}/runs?page_size=5`).set(bearer(viewer))).body),
    );
  });

  it('refuses what REST refuses, with the same codes', async () => {
    const denied = await grpc.fail('LineageService', 'ReceiveEvent', { event: { producer: 'x' } }, viewer);
    expect(denied.code).toBe(status.PERMISSION_DENIED);
    const invalid = await grpc.fail('LineageService', 'ReceiveEvent', { event: { producer: 'x' } }, operator);
    expect(invalid.code).toBe(status.INVALID_ARGUMENT);
    expect(trailerOf(invalid, 'reason')).toBe('LINEAGE_EVENT_INVALID');
    expect(invalid.details).toMatch(/must have property/);
    const missing = await grpc.fail('LineageService', 'GetJob', { id: 'lnj-none' }, viewer);
    expect(missing.code).toBe(status.NOT_FOUND);
    const badDepth = await grpc.fail('LineageService', 'GetLineage', { asset_id: viewId, depth: 50 }, viewer);
    expect(badDepth.code).toBe(status.INVALID_ARGUMENT);
  });
});
