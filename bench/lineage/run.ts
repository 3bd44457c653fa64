/**
 * Lineage benchmarks, each printed beside a baseline measured in the same run:
 *  - a depth-5 graph query (both directions) over 100,000 edges, p95, on SQLite and PostgreSQL,
 *    against walking the same graph one node at a time;
 *  - sustained OpenLineage ingest on the PostgreSQL store with 4 concurrent clients, against one client.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/lineage/run.ts [--edges 100000] [--queries 200] [--events 4000] [--stores sqlite,postgres]
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { bulkId } from '../../src/catalog/store/bulk-ids';
import { insertRows } from '../../src/catalog/store/bulk-sql';
import { dialectOf } from '../../src/catalog/store/sql-dialect';
import { LineageGraphService } from '../../src/lineage/lineage-graph.service';
import { datasetKey, edgeKey } from '../../src/lineage/lineage-keys';
import { ExternalAdoptionService } from '../../src/lineage/openlineage/external-adoption.service';
import { OpenLineageIngestService } from '../../src/lineage/openlineage/openlineage-ingest.service';
import { EDGE_COLUMNS } from '../../src/lineage/store/edge-columns';
import { WebhookOutboxService } from '../../src/webhooks/webhook-outbox.service';
import { freshStore, StoreName } from '../catalog/stores';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const EDGES = Number(arg('edges', '100000'));
const QUERIES = Number(arg('queries', '200'));
const EVENTS = Number(arg('events', '4000'));
const STORES = arg('stores', 'sqlite,postgres').split(',') as StoreName[];
const CLIENTS = 4;
/** Each node reads from two nodes of the layer before: layers of WIDTH nodes, 2 × WIDTH edges per layer. */
const WIDTH = 5000;
const FAN_IN = 2;

const results: Array<{ store: string; figure: string; value: string; baseline: string }> = [];
const now = () => Number(process.hrtime.bigint()) / 1e6;
const p95 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(v.length * 0.95))];

/** A layered graph: node (layer, i) reads from (layer-1, i) and (layer-1, (i*7+1) % WIDTH). */
async function seedGraph(db: DataSource, sourceId: string): Promise<{ ids: string[][]; edges: number }> {
  const d = dialectOf(db);
  const layers = Math.ceil(EDGES / (WIDTH * FAN_IN)) + 1;
  const ids: string[][] = [];
  const t = Date.now();
  for (let l = 0; l < layers; l++) {
    const rows: unknown[][] = [];
    const layer: string[] = [];
    for (let i = 0; i < WIDTH; i++) {
      const id = bulkId('lnd');
      const spec = { dataSourceId: sourceId, namespace: 'bench', name: `n${l}_${i}` };
      rows.push([id, datasetKey(spec), sourceId, 'bench', spec.name, null, null, null, t]);
      layer.push(id);
    }
    await insertRows(
      db.manager,
      d,
      'lineage_datasets',
      [
        'id',
        'node_key',
        'data_source_id',
        'namespace',
        'name',
        'ol_namespace',
        'ol_name',
        'unresolved',
        'created_at',
      ].map((name) => ({ name, type: name === 'created_at' ? ('bigint' as const) : ('varchar' as const) })),
      rows,
    );
    ids.push(layer);
  }
  let edges = 0;
  for (let l = 1; l < layers && edges < EDGES; l++) {
    const rows: unknown[][] = [];
    for (let i = 0; i < WIDTH && edges < EDGES; i++)
      for (const j of [i, (i * 7 + 1) % WIDTH]) {
        const up = ids[l - 1][j];
        const down = ids[l][i];
        const key = edgeKey({
          kind: 'view',
          originType: 'datasource',
          origin: sourceId,
          upstreamId: up,
          downstreamId: down,
        });
        rows.push([bulkId('lne'), key, up, down, 'view', 'datasource', sourceId, sourceId, null, null, t, t, null]);
        edges++;
      }
    await insertRows(db.manager, d, 'lineage_edges', EDGE_COLUMNS, rows);
  }
  if (d.store === 'postgres') await db.query('ANALYZE');
  return { ids, edges };
}

/** The baseline walk: one SELECT per node expanded, as an ORM lazily loading neighbours would. */
async function nodeByNodeWalk(db: DataSource, root: string, depth: number): Promise<number> {
  const d = dialectOf(db);
  const seen = new Set([root]);
  let frontier = [root];
  for (let hop = 0; hop < depth; hop++) {
    const next: string[] = [];
    for (const node of frontier)
      for (const [near, far] of [
        ['downstream_id', 'upstream_id'],
        ['upstream_id', 'downstream_id'],
      ]) {
        const rows = (await db.query(`SELECT ${far} AS id FROM lineage_edges WHERE ${near} = ${d.param(1)}`, [
          node,
        ])) as Array<{ id: string }>;
        for (const r of rows)
          if (!seen.has(r.id)) {
            seen.add(r.id);
            next.push(r.id);
          }
      }
    frontier = next;
  }
  return seen.size;
}

async function benchGraph(name: StoreName): Promise<void> {
  const log = (m: string) => process.stdout.write(`[${name}] ${m}\n`);
  const store = await freshStore(name);
  try {
    const source = await store.addSource();
    const seeded = await seedGraph(store.db, source);
    log(`seeded ${seeded.edges} edges over ${seeded.ids.length * WIDTH} nodes`);
    const ingest = new OpenLineageIngestService(store.db, new WebhookOutboxService());
    const graph = new LineageGraphService(store.db, new ExternalAdoptionService(store.db, ingest));
    const middle = Math.floor(seeded.ids.length / 2);
    const roots = Array.from({ length: QUERIES }, (_, k) => seeded.ids[middle][(k * 37) % WIDTH]);
    await graph.graph({ asset_id: roots[0], direction: 'both', depth: 5 });
    const times: number[] = [];
    let nodes = 0;
    for (const root of roots) {
      const start = now();
      const g = await graph.graph({ asset_id: root, direction: 'both', depth: 5, limit: 100 });
      times.push(now() - start);
      nodes += g.nodes.length;
    }
    const naive: number[] = [];
    for (const root of roots.slice(0, Math.max(10, Math.floor(QUERIES / 10)))) {
      const start = now();
      await nodeByNodeWalk(store.db, root, 5);
      naive.push(now() - start);
    }
    log(
      `depth-5 graph p95 ${p95(times).toFixed(1)} ms (avg ${Math.round(nodes / roots.length)} nodes); node by node p95 ${p95(naive).toFixed(1)} ms`,
    );
    results.push({
      store: name,
      figure: `depth-5 graph query, ${seeded.edges} edges (p95 of ${QUERIES})`,
      value: `${p95(times).toFixed(1)} ms`,
      baseline: `${p95(naive).toFixed(1)} ms (one query per node)`,
    });
  } finally {
    await store.drop();
  }
}

function event(i: number, runId: string, eventType: string): Record<string, unknown> {
  return {
    eventType,
    eventTime: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    run: { runId },
    job: { namespace: 'bench', name: `job-${i % 200}` },
    inputs: [{ namespace: 'postgres://db.example:5432', name: `shop.public.t${i % 1000}` }],
    outputs: [{ namespace: 'postgres://db.example:5432', name: `shop.public.t${(i % 1000) + 1000}` }],
    producer: 'https://example.org/bench',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  };
}

async function ingestRate(service: OpenLineageIngestService, events: Array<Record<string, unknown>>, clients: number) {
  let next = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < events.length) await service.ingest(events[next++]);
    }),
  );
  return (events.length / (now() - start)) * 1000;
}

async function benchIngest(): Promise<void> {
  const store = await freshStore('postgres');
  try {
    await store.addSource();
    const service = new OpenLineageIngestService(store.db, new WebhookOutboxService());
    const make = (n: number, offset: number) =>
      Array.from({ length: n }, (_, k) => {
        const i = offset + k;
        return event(i, randomUUID(), i % 2 === 0 ? 'START' : 'COMPLETE');
      });
    await ingestRate(service, make(200, 0), CLIENTS); // warm-up
    const serial = await ingestRate(service, make(Math.max(200, Math.floor(EVENTS / 4)), 1_000_000), 1);
    const concurrent = await ingestRate(service, make(EVENTS, 2_000_000), CLIENTS);
    process.stdout.write(
      `[postgres] ingest ${concurrent.toFixed(0)} events/s with ${CLIENTS} clients; ${serial.toFixed(0)} with 1\n`,
    );
    results.push({
      store: 'postgres',
      figure: `OpenLineage ingest, ${CLIENTS} clients (${EVENTS} events)`,
      value: `${concurrent.toFixed(0)} events/s`,
      baseline: `${serial.toFixed(0)} events/s (one client)`,
    });
  } finally {
    await store.drop();
  }
}

async function main(): Promise<void> {
  for (const s of STORES) await benchGraph(s);
  if (STORES.includes('postgres')) await benchIngest();
  process.stdout.write('\n| store | figure | lineage | baseline |\n|---|---|---|---|\n');
  for (const r of results) process.stdout.write(`| ${r.store} | ${r.figure} | ${r.value} | ${r.baseline} |\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
