/**
 * Catalog benchmarks: writing a 10,000-table × 20-column source, incremental reruns when nothing
 * and when 1% changed, and search latency over its 200,000 fields, on SQLite and PostgreSQL.
 * Every figure is printed beside a baseline measured in the same run.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/catalog/run.ts [--tables 10000] [--columns 20] [--stores sqlite,postgres] [--reps 11]
 *
 * PostgreSQL: a throwaway database on 127.0.0.1:5432 as user postgres (BENCH_PG_HOST/PORT/USER),
 * created and dropped by the run. SQLite: a file under the OS temp directory.
 */
import 'reflect-metadata';
import type { CatalogBatch } from '@app/connectors';
import { CatalogSearchService } from '../../src/catalog/catalog-search.service';
import { CatalogService } from '../../src/catalog/catalog.service';
import { CatalogAssetEntity } from '../../src/catalog/entities/catalog-asset.entity';
import { CatalogProfileEntity } from '../../src/catalog/entities/catalog-profile.entity';
import { CatalogVersionEntity } from '../../src/catalog/entities/catalog-version.entity';
import { WebhookOutboxService } from '../../src/webhooks/webhook-outbox.service';
import { ChangeSummary } from '../../src/catalog/run/change-summary';
import { naiveSearch, naiveWrite } from './baselines';
import { fullBatches, incrementalBatches } from './generate';
import { BenchStore, freshStore, StoreName } from './stores';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const TABLES = Number(arg('tables', '10000'));
const COLUMNS = Number(arg('columns', '20'));
const STORES = arg('stores', 'sqlite,postgres').split(',') as StoreName[];
const REPS = Number(arg('reps', '11'));
const BATCH = 500;

interface Row {
  store: string;
  figure: string;
  catalog: string;
  baseline: string;
}
const results: Row[] = [];

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const millis = (ms: number) => `${ms.toFixed(1)} ms`;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function writeRun(
  service: CatalogService,
  dataSourceId: string,
  mode: 'full' | 'incremental',
  batches: CatalogBatch[],
  tag: string,
): Promise<ChangeSummary> {
  const writer = await service.openRun({
    dataSourceId,
    executionId: `exec-bench-${tag}`,
    mode,
    batchSize: BATCH,
    scope: {},
  });
  for (const b of batches) await writer.write(b);
  return writer.complete();
}

const brief = (s: ChangeSummary) =>
  `+${s.assets_added} ~${s.assets_altered} -${s.assets_removed} =${s.assets_unchanged}`;

async function benchStore(name: StoreName): Promise<void> {
  const log = (m: string) => process.stdout.write(`[${name}] ${m}\n`);
  const store = await freshStore(name);
  try {
    const service = new CatalogService(
      store.db,
      store.db.getRepository(CatalogAssetEntity),
      store.db.getRepository(CatalogProfileEntity),
      store.db.getRepository(CatalogVersionEntity),
      new WebhookOutboxService(),
    );
    const search = new CatalogSearchService(store.db);
    const source = await store.addSource();
    const label = `${TABLES} tables × ${COLUMNS} columns`;

    const initial = [...fullBatches(TABLES, COLUMNS, BATCH)];
    const write = await timed(() => writeRun(service, source, 'full', initial, 'initial'));
    log(`catalog write ${seconds(write.ms)} (${brief(write.value)}, fields +${write.value.fields_added})`);
    const naive = await timedNaive(name, initial);
    log(`row-by-row write ${seconds(naive)}`);
    results.push({
      store: name,
      figure: `write ${label}`,
      catalog: seconds(write.ms),
      baseline: `${seconds(naive)} (one INSERT per row)`,
    });

    const never = () => false;
    const quietIncremental = await timed(() =>
      writeRun(service, source, 'incremental', [...incrementalBatches(TABLES, COLUMNS, BATCH, never)], 'quiet-incr'),
    );
    const quietFull = await timed(() =>
      writeRun(service, source, 'full', [...fullBatches(TABLES, COLUMNS, BATCH, never)], 'quiet-full'),
    );
    log(
      `nothing changed: incremental ${seconds(quietIncremental.ms)} (${brief(quietIncremental.value)}), full ${seconds(quietFull.ms)} (${brief(quietFull.value)})`,
    );
    results.push({
      store: name,
      figure: 'rerun, nothing changed: incremental',
      catalog: seconds(quietIncremental.ms),
      baseline: `${seconds(quietFull.ms)} (full rerun, fingerprints compared)`,
    });

    const onePercent = (offset: number) => (i: number) => i % 100 === offset;
    const changedIncremental = await timed(() =>
      writeRun(
        service,
        source,
        'incremental',
        [...incrementalBatches(TABLES, COLUMNS, BATCH, onePercent(0))],
        'pct-incr',
      ),
    );
    const changedFull = await timed(() =>
      writeRun(
        service,
        source,
        'full',
        [...fullBatches(TABLES, COLUMNS, BATCH, (i) => i % 100 === 0 || i % 100 === 50)],
        'pct-full',
      ),
    );
    log(
      `1% changed: incremental ${seconds(changedIncremental.ms)} (${brief(changedIncremental.value)}), full ${seconds(changedFull.ms)} (${brief(changedFull.value)})`,
    );
    results.push({
      store: name,
      figure: 'rerun, 1% changed: incremental',
      catalog: seconds(changedIncremental.ms),
      baseline: `${seconds(changedFull.ms)} (full rerun, another 1% changed)`,
    });

    // Search is measured in steady state: planner statistics as autovacuum (PostgreSQL) or an
    // occasional ANALYZE (SQLite) would leave them after the bulk load.
    await store.db.query('ANALYZE');
    const fields = Number(
      ((await store.db.query('SELECT COUNT(*) AS n FROM catalog_fields')) as Array<{ n: unknown }>)[0].n,
    );
    for (const q of ['customer_email', 'invoice', 'ment_sta', 'warehouse of', 'zzqx', 'id']) {
      const ours: number[] = [];
      const plain: number[] = [];
      let hits = 0;
      let plainHits = 0;
      for (let r = 0; r < REPS; r++) {
        const a = await timed(() => search.search({ q, page: 1, page_size: 20 }));
        const b = await timed(() => naiveSearch(store.db, q, 20));
        // The first repetition warms caches; it counts only when it is the only one.
        if (r > 0 || REPS === 1) {
          ours.push(a.ms);
          plain.push(b.ms);
        }
        hits = a.value.total;
        plainHits = b.value;
      }
      if (hits !== plainHits) throw new Error(`search "${q}" found ${hits}, the plain scan ${plainHits}`);
      log(`search "${q}": ${millis(median(ours))} vs ${millis(median(plain))} (${hits} hits over ${fields} fields)`);
      results.push({
        store: name,
        figure: `search "${q}" (${hits} hits, ${fields} fields)`,
        catalog: millis(median(ours)),
        baseline: `${millis(median(plain))} (LIKE scan)`,
      });
    }
  } finally {
    await store.drop();
  }
}

/** The row-by-row baseline, into a store of its own so neither run sees the other's rows. */
async function timedNaive(name: StoreName, batches: CatalogBatch[]): Promise<number> {
  const store: BenchStore = await freshStore(name);
  try {
    const source = await store.addSource();
    return (await timed(() => naiveWrite(store.db, source, batches))).ms;
  } finally {
    await store.drop();
  }
}

async function main(): Promise<void> {
  for (const name of STORES) await benchStore(name);
  const widths = (['store', 'figure', 'catalog', 'baseline'] as const).map((k) =>
    Math.max(k.length, ...results.map((r) => r[k].length)),
  );
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(
    `\n${line(['store', 'figure', 'catalog', 'baseline'])}\n${line(widths.map((w) => '-'.repeat(w)))}\n`,
  );
  for (const r of results) process.stdout.write(`${line([r.store, r.figure, r.catalog, r.baseline])}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
