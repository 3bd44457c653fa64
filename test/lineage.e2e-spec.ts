/**
 * Lineage end to end: edges derived while collecting a real PostgreSQL source (view chains,
 * materialized views, column-level edges, a renamed and a dropped view) and the graph read back
 * over REST, plus graph walks (depth, cycles, wide layers) over hand-built runs on every store.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import {
  AssetLineage,
  CatalogAsset,
  CatalogBatch,
  CollectScope,
  Connector,
  createAddressGuard,
  createDefaultRegistry,
} from '@app/connectors';
import { CatalogService } from '../src/catalog/catalog.service';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';

type Json = Record<string, unknown>;
interface GraphNode {
  id: string;
  depth: number;
  asset_id: string | null;
  namespace: string;
  name: string;
  kind: string;
  unresolved: string | null;
  has_more_upstream: boolean;
  has_more_downstream: boolean;
}
interface GraphEdge {
  id: string;
  upstream: string;
  downstream: string;
  kind: string;
  origin: { type: string; id: string };
  fields: Array<{ upstream_field: string; downstream_field: string; transformation: string }>;
}
interface Graph {
  root: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** `upstream name → downstream name : kind` for every edge, sorted, so a graph compares as text. */
function edgeList(g: Graph): string[] {
  const name = (id: string) => g.nodes.find((n) => n.id === id)?.name ?? `?${id}`;
  return g.edges.map((e) => `${name(e.upstream)} -> ${name(e.downstream)} : ${e.kind}`).sort();
}

/** Field edges as `upstream.field -> downstream.field (transformation)`, sorted. */
function fieldList(g: Graph): string[] {
  const name = (id: string) => g.nodes.find((n) => n.id === id)?.name ?? `?${id}`;
  return g.edges
    .flatMap((e) =>
      e.fields.map(
        (f) =>
          `${name(e.upstream)}.${f.upstream_field} -> ${name(e.downstream)}.${f.downstream_field} (${f.transformation})`,
      ),
    )
    .sort();
}

const table = (namespace: string, name: string, columns: string[], lineage?: AssetLineage): CatalogAsset => ({
  namespace,
  name,
  kind: lineage ? 'view' : 'table',
  fields: columns.map((c, i) => ({ name: c, ordinal: i + 1, dataType: 'integer', nullable: true })),
  lineage,
});
const from = (namespace: string, name: string, fields?: Array<[string, string[]]>) => ({
  namespace,
  name,
  kind: 'view' as const,
  fields: fields?.map(([field, cols]) => ({ field, from: cols, transformation: 'identity' as const })),
});

describeE2E('lineage', () => {
  let t: TestApp;
  let catalog: CatalogService;
  let runs = 0;

  const get = (path: string, token = t.adminToken) => t.http.get(`/api/v1${path}`).set(bearer(token));

  async function createSource(name: string, type: string, config: Json): Promise<string> {
    const res = await t.http.post('/api/v1/datasources').set(bearer(t.adminToken)).send({ name, type, config });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function assetId(dataSourceId: string, namespace: string, name: string): Promise<string> {
    const res = await get(
      `/metadata/assets?datasource_id=${dataSourceId}&namespace=${namespace}&q=${encodeURIComponent(name)}&page_size=100`,
    );
    expect(res.status).toBe(200);
    const found = (res.body.assets as Array<{ id: string; name: string }>).find((a) => a.name === name);
    if (!found) throw new Error(`asset ${namespace}.${name} not in the catalog`);
    return found.id;
  }

  async function graph(query: string): Promise<Graph> {
    const res = await get(`/lineage?${query}`);
    expect(res.status).toBe(200);
    return res.body as Graph;
  }

  /** One run of hand-built batches, completed or abandoned. */
  async function writeRun(dataSourceId: string, batches: CatalogBatch[], outcome: 'complete' | 'abandon' = 'complete') {
    const writer = await catalog.openRun({
      dataSourceId,
      executionId: `exec-lineage-${++runs}`,
      mode: 'full',
      batchSize: 50,
      scope: {},
    });
    for (const b of batches) await writer.write(b);
    if (outcome === 'abandon') await writer.abandon();
    else await writer.complete();
    return writer;
  }

  beforeAll(async () => {
    t = await bootApp();
    catalog = t.app.get(CatalogService);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('graph walks over hand-built runs', () => {
    let ds: string;
    beforeAll(async () => {
      ds = await createSource('lineage-hand-built', 'postgresql', {
        host: '127.0.0.1',
        port: 5432,
        database: 'handbuilt',
        username: 'u',
      });
      // chain: t0 -> v1 -> … -> v12; a cycle c1 -> c2 -> c3 -> c1; a hub with 250 downstream views.
      const assets: CatalogAsset[] = [table('s', 't0', ['id'])];
      for (let i = 1; i <= 12; i++)
        assets.push(
          table('s', `v${i}`, ['id'], { upstream: [from('s', i === 1 ? 't0' : `v${i - 1}`, [['id', ['id']]])] }),
        );
      assets.push(table('s', 'c1', ['id'], { upstream: [from('s', 'c3')] }));
      assets.push(table('s', 'c2', ['id'], { upstream: [from('s', 'c1')] }));
      assets.push(table('s', 'c3', ['id'], { upstream: [from('s', 'c2')] }));
      assets.push(table('s', 'hub', ['id']));
      for (let i = 0; i < 250; i++)
        assets.push(table('s', `leaf${String(i).padStart(3, '0')}`, ['id'], { upstream: [from('s', 'hub')] }));
      await writeRun(ds, [{ namespaces: [{ name: 's', kind: 'schema' }], assets }]);
    });

    it('walks a chain as deep as asked, in both directions, and at least 10 hops', async () => {
      const id = await assetId(ds, 's', 'v6');
      const up = await graph(`asset_id=${id}&direction=upstream&depth=3`);
      expect(up.nodes.map((n) => `${n.name}@${n.depth}`)).toEqual(['v3@-3', 'v4@-2', 'v5@-1', 'v6@0']);
      const both = await graph(`asset_id=${id}&direction=both&depth=10`);
      expect(both.nodes.map((n) => n.name).sort()).toEqual(
        ['t0', ...Array.from({ length: 12 }, (_, i) => `v${i + 1}`)].sort(),
      );
      expect(both.edges).toHaveLength(12);
      const deep = await graph(`asset_id=${await assetId(ds, 's', 't0')}&direction=downstream&depth=12`);
      expect(deep.nodes.find((n) => n.name === 'v12')?.depth).toBe(12);
      expect(fieldList(deep)).toContain('v11.id -> v12.id (identity)');
    });

    it('ends at a cycle instead of walking it forever', async () => {
      const g = await graph(`asset_id=${await assetId(ds, 's', 'c1')}&direction=downstream&depth=20`);
      expect(g.nodes.map((n) => `${n.name}@${n.depth}`)).toEqual(['c1@0', 'c2@1', 'c3@2']);
      expect(edgeList(g)).toEqual(['c1 -> c2 : view', 'c2 -> c3 : view', 'c3 -> c1 : view']);
    });

    it('pages a wide layer: limit per node, has_more, offset', async () => {
      const hub = await assetId(ds, 's', 'hub');
      const first = await graph(`asset_id=${hub}&direction=downstream&depth=2&limit=100`);
      expect(first.edges).toHaveLength(100);
      expect(first.nodes.find((n) => n.depth === 0)?.has_more_downstream).toBe(true);
      const last = await graph(`asset_id=${hub}&direction=downstream&depth=1&limit=100&offset=200`);
      expect(last.edges).toHaveLength(50);
      expect(last.nodes.find((n) => n.depth === 0)?.has_more_downstream).toBe(false);
      const seen = new Set<string>();
      for (let offset = 0; offset < 250; offset += 100)
        for (const n of (await graph(`asset_id=${hub}&direction=downstream&depth=1&limit=100&offset=${offset}`)).nodes)
          if (n.depth === 1) seen.add(n.name);
      expect(seen.size).toBe(250);
    });

    it('refuses bad queries with the envelope and an unknown asset with 404', async () => {
      const id = await assetId(ds, 's', 'v1');
      for (const q of [
        `asset_id=${id}&direction=sideways`,
        `asset_id=${id}&depth=0`,
        `asset_id=${id}&depth=21`,
        'depth=2',
      ]) {
        const res = await get(`/lineage?${q}`);
        expect(res.status).toBe(400);
        expect(res.body.code).toBeDefined();
        expect(typeof res.body.message).toBe('string');
      }
      const missing = await get('/lineage?asset_id=ast-nothing-here');
      expect(missing.status).toBe(404);
      expect(missing.body.reason).toBe('LINEAGE_NODE_NOT_FOUND');
    });

    it('lets a viewer read the graph', async () => {
      const viewer = await t.tokenFor('viewer');
      const res = await get(`/lineage?asset_id=${await assetId(ds, 's', 'v1')}&depth=1`, viewer);
      expect(res.status).toBe(200);
    });
  });

  describeWithServers(['postgres'], 'derived from a real PostgreSQL source', () => {
    const { host, port } = SERVER_ENDPOINTS.postgres;
    const s = `lin_e2e_${randomBytes(4).toString('hex')}`;
    const scope: CollectScope = { includeSchemas: [s] };
    const config = { host, port, username: 'postgres', database: 'test', timeout: 10 };
    let client: Client;
    let connector: Connector;
    let ds: string;

    async function collect(mode: 'full' | 'incremental', stopAfterBatches?: number) {
      const writer = await catalog.openRun({
        dataSourceId: ds,
        executionId: `exec-lineage-pg-${++runs}`,
        mode,
        batchSize: 2,
        scope,
      });
      const abort = new AbortController();
      let batches = 0;
      try {
        for await (const batch of connector.collect({
          mode,
          scope,
          batchSize: 2,
          signal: abort.signal,
          previousSignals: mode === 'incremental' ? writer.previousSignals : undefined,
        })) {
          await writer.write(batch);
          if (batch.assets.length > 0 && ++batches === stopAfterBatches) {
            abort.abort();
            await writer.abandon();
            return writer;
          }
        }
      } catch (err) {
        await writer.abandon();
        throw err;
      }
      await writer.complete();
      return writer;
    }

    const downstreamOf = async (name: string) =>
      graph(`asset_id=${await assetId(ds, s, name)}&direction=downstream&depth=10`);

    beforeAll(async () => {
      client = new Client({ host, port, user: 'postgres', database: 'test' });
      await client.connect();
      for (const sql of [
        `CREATE SCHEMA ${s}`,
        `CREATE TABLE ${s}.customers (id integer PRIMARY KEY, name text, rate numeric)`,
        `CREATE TABLE ${s}.orders (id bigint PRIMARY KEY, customer_id integer REFERENCES ${s}.customers(id), amount numeric, note text)`,
        `CREATE VIEW ${s}.order_totals AS SELECT o.id, o.amount * c.rate AS total, upper(c.name) AS customer
           FROM ${s}.orders o JOIN ${s}.customers c ON c.id = o.customer_id`,
        `CREATE VIEW ${s}.big_orders AS SELECT id, total AS value FROM ${s}.order_totals WHERE total > 100`,
        `CREATE MATERIALIZED VIEW ${s}.order_snapshot AS SELECT * FROM ${s}.big_orders`,
      ])
        await client.query(sql);
      connector = createDefaultRegistry()
        .get('postgresql')
        .create(config, { guardAddress: createAddressGuard({ deny: [], allow: [] }) });
      ds = await createSource(`lineage-pg-${s}`, 'postgresql', config);
      await collect('full');
    });
    afterAll(async () => {
      await connector?.close();
      await client?.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
      await client?.end();
    });

    it('derives the chain of views and the materialized view, and no edge for the foreign key', async () => {
      const g = await downstreamOf('orders');
      expect(edgeList(g)).toEqual([
        'big_orders -> order_snapshot : materialized_view',
        'order_totals -> big_orders : view',
        'orders -> order_totals : view',
      ]);
      expect(g.nodes.map((n) => `${n.name}:${n.kind}@${n.depth}`)).toEqual([
        'orders:table@0',
        'order_totals:view@1',
        'big_orders:view@2',
        'order_snapshot:materialized_view@3',
      ]);
      expect(g.edges.every((e) => e.origin.type === 'datasource' && e.origin.id === ds)).toBe(true);
      const customers = await downstreamOf('customers');
      expect(customers.nodes.map((n) => n.name)).not.toContain('orders');
      expect(g.nodes.every((n) => n.asset_id !== null && n.unresolved === null)).toBe(true);
      const detail = await get(`/metadata/assets/${await assetId(ds, s, 'order_totals')}`);
      expect(detail.body.lineage).toMatchObject({ upstream: 2, downstream: 1, field_edges: 4, unresolved: null });
    });

    it('maps columns through aliases, expressions and SELECT * expanded at creation', async () => {
      const g = await downstreamOf('orders');
      expect(fieldList(g)).toEqual([
        'big_orders.id -> order_snapshot.id (identity)',
        'big_orders.value -> order_snapshot.value (identity)',
        'order_totals.id -> big_orders.id (identity)',
        'order_totals.total -> big_orders.value (identity)',
        'orders.amount -> order_totals.total (expression)',
        'orders.id -> order_totals.id (identity)',
      ]);
      const snapshot = await assetId(ds, s, 'order_snapshot');
      const value = await graph(`asset_id=${snapshot}&direction=upstream&depth=10&field=value`);
      expect(fieldList(value)).toEqual([
        'big_orders.value -> order_snapshot.value (identity)',
        'customers.rate -> order_totals.total (expression)',
        'order_totals.total -> big_orders.value (identity)',
        'orders.amount -> order_totals.total (expression)',
      ]);
      expect(value.nodes.map((n) => n.name).sort()).toEqual(
        ['big_orders', 'customers', 'order_snapshot', 'order_totals', 'orders'].sort(),
      );
    });

    it('follows a renamed view', async () => {
      await client.query(`ALTER VIEW ${s}.big_orders RENAME TO large_orders`);
      await collect('full');
      expect(edgeList(await downstreamOf('orders'))).toEqual([
        'large_orders -> order_snapshot : materialized_view',
        'order_totals -> large_orders : view',
        'orders -> order_totals : view',
      ]);
    });

    it('keeps a dropped view after a failed run and removes it after the next successful one', async () => {
      await client.query(`CREATE VIEW ${s}.customer_names AS SELECT id, name FROM ${s}.customers`);
      await collect('full');
      expect(edgeList(await downstreamOf('customers'))).toContain('customers -> customer_names : view');

      await client.query(`DROP VIEW ${s}.customer_names`);
      const failed = await collect('full', 1);
      expect(failed.lineageOutcome()?.edges_removed ?? 0).toBe(0);
      expect(edgeList(await downstreamOf('customers'))).toContain('customers -> customer_names : view');

      const ok = await collect('full');
      expect(ok.lineageOutcome()).toMatchObject({ edges_added: 0, edges_removed: 1, unresolved: 0 });
      expect(edgeList(await downstreamOf('customers'))).not.toContain('customers -> customer_names : view');
      const events = await t.store.query(`SELECT payload FROM webhook_events WHERE type = 'lineage.changed'`);
      const removal = events
        .map((e) => JSON.parse(String(e.payload)) as { data: Json })
        .find((e) => e.data.edges_removed === 1);
      expect(removal?.data).toMatchObject({
        datasource_id: ds,
        edges_added: 0,
        edges: [
          { change: 'removed', kind: 'view', upstream: { name: 'customers' }, downstream: { name: 'customer_names' } },
        ],
      });
    });

    it('an incremental run keeps the edges of views it skipped as unchanged', async () => {
      const before = edgeList(await downstreamOf('orders'));
      const writer = await collect('incremental');
      expect(writer.lineageOutcome()).toMatchObject({ edges_added: 0, edges_removed: 0 });
      expect(edgeList(await downstreamOf('orders'))).toEqual(before);
    });
  });
  describeWithServers(['mariadb'], 'derived from a real MariaDB source', () => {
    const { host, port } = SERVER_ENDPOINTS.mariadb;
    const db = `lin_my_${randomBytes(4).toString('hex')}`;
    const scope: CollectScope = { includeSchemas: [db] };
    const config = { host, port, username: 'root', database: db, timeout: 10 };
    let conn: mysql.Connection;
    let connector: Connector;
    let ds: string;

    beforeAll(async () => {
      conn = await mysql.createConnection({ host, port, user: 'root' });
      for (const sql of [
        `CREATE DATABASE ${db}`,
        `CREATE TABLE ${db}.customers (id int PRIMARY KEY, name varchar(40), rate decimal(5,2))`,
        `CREATE TABLE ${db}.orders (id int PRIMARY KEY, customer_id int, amount decimal(10,2))`,
        `CREATE VIEW ${db}.order_totals AS SELECT o.id, o.amount * c.rate AS total, upper(c.name) AS customer
           FROM ${db}.orders o JOIN ${db}.customers c ON c.id = o.customer_id`,
        `CREATE VIEW ${db}.everything AS SELECT * FROM ${db}.order_totals`,
      ])
        await conn.query(sql);
      connector = createDefaultRegistry()
        .get('mysql')
        .create(config, { guardAddress: createAddressGuard({ deny: [], allow: [] }) });
      ds = await createSource(`lineage-maria-${db}`, 'mysql', config);
      const writer = await catalog.openRun({
        dataSourceId: ds,
        executionId: `exec-lineage-my-${++runs}`,
        mode: 'full',
        batchSize: 5,
        scope,
      });
      for await (const batch of connector.collect({
        mode: 'full',
        scope,
        batchSize: 5,
        signal: new AbortController().signal,
      }))
        await writer.write(batch);
      await writer.complete();
    });
    afterAll(async () => {
      await connector?.close();
      await conn?.query(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
      await conn?.end();
    });

    it('derives view edges and column edges from the parsed definitions', async () => {
      const g = await graph(`asset_id=${await assetId(ds, db, 'orders')}&direction=downstream&depth=5`);
      expect(edgeList(g)).toEqual(['order_totals -> everything : view', 'orders -> order_totals : view']);
      expect(fieldList(g)).toEqual([
        'order_totals.customer -> everything.customer (identity)',
        'order_totals.id -> everything.id (identity)',
        'order_totals.total -> everything.total (identity)',
        'orders.amount -> order_totals.total (expression)',
        'orders.id -> order_totals.id (identity)',
      ]);
      const up = await graph(
        `asset_id=${await assetId(ds, db, 'everything')}&direction=upstream&depth=5&field=customer`,
      );
      expect(fieldList(up)).toEqual([
        'customers.name -> order_totals.customer (expression)',
        'order_totals.customer -> everything.customer (identity)',
      ]);
    });
  });
});
