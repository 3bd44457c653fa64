/**
 * Catalog collection benchmark.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/collect/run.ts [--tables 10000] [--engines postgresql,mariadb]
 *       [--sample 500] [--repeat 3] [--writer bench/collect/sqlite-catalog-writer.ts] [--keep]
 *       [--reuse-postgresql DB] [--reuse-mariadb DB]
 *
 * Generates a PostgreSQL and a MariaDB source of N tables × 20 columns (keys, indexes, comments, a
 * foreign key on every 10th table), then measures in the same run, per source: the connector's
 * full read (time, statements sent, peak memory), the same on half the tables (the memory held at
 * once should not grow with the source), an incremental run with nothing changed, the floor (the same catalog
 * rows from a handful of schema-wide queries) and per-table reflection as SQLAlchemy-based catalogs
 * do it (timed on a sample and extrapolated). The full read and the floors are run --repeat times
 * and the fastest kept, since the machine may be shared. With --writer it also times collection end to end
 * into the catalog. The generated databases are dropped at the end unless --keep is given.
 * Defaults reach PostgreSQL on 127.0.0.1:5432 (user postgres) and MariaDB on 127.0.0.1:3306 (root);
 * TEST_PG_HOST/PORT and TEST_MYSQL_HOST/PORT override them.
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { createAddressGuard } from '../../libs/connectors/src/core/address-policy';
import { assetKey } from '../../libs/connectors/src/core/scope';
import { CatalogBatch, CollectOptions, Connector } from '../../libs/connectors/src/core/types';
import { createMysqlConnector } from '../../libs/connectors/src/mysql/mysql.connector';
import { createPostgresConnector } from '../../libs/connectors/src/postgresql/postgresql.connector';
import {
  BaselineResult,
  mariadbFloorInformationSchema,
  mariadbFloorSameSources,
  mariadbReflection,
  pgFloor,
  pgReflection,
} from './baselines';
import { liveHeap, measure, Measurement, printTable } from './measure';
import { createMySource, createPgSource, dropMySource, dropPgSource, MySource, PgSource } from './sources';

// ---- END-TO-END HOOK --------------------------------------------------------------------------
// The catalog writer lives in the service. Pass `--writer path/to/module.ts`; the module exports
// `createCatalogWriter(source)` returning something with `write(batch)`, `finish()` and `close()`.
// Collection is timed from the connector's first statement until `finish()` returns; creating the
// writer and `close()` are outside the timing. bench/collect/sqlite-catalog-writer.ts writes into a
// fresh SQLite catalog (run with `-r tsconfig-paths/register`, as the service's modules need it).
export interface CatalogWriter {
  write(batch: CatalogBatch): Promise<void>;
  finish(): Promise<void>;
  close(): Promise<void>;
}
export type CatalogWriterFactory = (source: {
  engine: 'postgresql' | 'mariadb';
  name: string;
}) => Promise<CatalogWriter>;

async function loadWriter(path: string | undefined): Promise<CatalogWriterFactory | undefined> {
  if (!path) return undefined;
  const mod = (await import(resolve(path))) as { createCatalogWriter?: CatalogWriterFactory };
  if (typeof mod.createCatalogWriter !== 'function') throw new Error(`${path} does not export createCatalogWriter`);
  return mod.createCatalogWriter;
}
// -----------------------------------------------------------------------------------------------

function args(): Map<string, string | true> {
  const out = new Map<string, string | true>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) out.set(argv[i].slice(2), argv[++i]);
    else out.set(argv[i].slice(2), true);
  }
  return out;
}

const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const guard = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };

interface ReadResult {
  assets: number;
  fields: number;
  signals: Map<string, string>;
  unchanged: number;
}

async function readAll(
  connector: Connector,
  options: CollectOptions,
  keepSignals: boolean,
  writer?: CatalogWriter,
): Promise<ReadResult> {
  const result: ReadResult = { assets: 0, fields: 0, signals: new Map(), unchanged: 0 };
  for await (const batch of connector.collect(options)) {
    result.assets += batch.assets.length;
    result.unchanged += batch.unchanged?.length ?? 0;
    for (const a of batch.assets) {
      result.fields += a.fields.length;
      if (keepSignals) result.signals.set(assetKey(a.namespace, a.name), a.changeSignal ?? '');
    }
    if (writer) await writer.write(batch);
  }
  if (writer) await writer.finish();
  return result;
}

const collectOptions = (scope: CollectOptions['scope'], extra: Partial<CollectOptions> = {}): CollectOptions => ({
  mode: 'full',
  scope,
  batchSize: 500,
  signal: new AbortController().signal,
  ...extra,
});

interface EngineSetup {
  engine: 'postgresql' | 'mariadb';
  makeConnector(onQuery: () => void): Connector;
  scope: CollectOptions['scope'];
  floors: Array<[string, () => Promise<BaselineResult>]>;
  reflection(sample: number[]): Promise<BaselineResult>;
}

/** An untimed read that measures the heap held at once (see liveHeap). */
async function probeLiveHeap(setup: EngineSetup, scope: CollectOptions['scope']): Promise<number> {
  const connector = setup.makeConnector(() => undefined);
  try {
    return await liveHeap(connector.collect(collectOptions(scope)));
  } finally {
    await connector.close();
  }
}

/** Runs a measurement `repeat` times and keeps the fastest: the machine is shared, the floor too. */
async function best<T>(repeat: number, once: () => ReturnType<typeof measure<T>>): ReturnType<typeof measure<T>> {
  let fastest = await once();
  for (let i = 1; i < repeat; i++) {
    const next = await once();
    if (next.seconds < fastest.seconds) fastest = next;
  }
  return fastest;
}

async function benchEngine(
  setup: EngineSetup,
  tables: number,
  sampleSize: number,
  repeat: number,
  writerFactory: CatalogWriterFactory | undefined,
  rows: Measurement[],
): Promise<void> {
  const { engine } = setup;
  let queries = 0;
  const count = () => queries++;

  // Connector, full read.
  const full = await best(repeat, () => {
    queries = 0;
    return measure(async () => {
      const connector = setup.makeConnector(count);
      try {
        return await readAll(connector, collectOptions(setup.scope), true);
      } finally {
        await connector.close();
      }
    });
  });
  const fullRow: Measurement = {
    engine,
    label: 'connector read, full',
    seconds: full.seconds,
    queries,
    peakHeapMb: full.peakHeapMb,
    peakRssMb: full.peakRssMb,
    note: `${full.value.assets} assets, ${full.value.fields} fields`,
  };
  rows.push(fullRow);
  fullRow.liveHeapMb = await probeLiveHeap(setup, setup.scope);
  log(`${engine}: connector read ${full.seconds.toFixed(2)} s, ${queries} statements`);

  // Half the tables: the memory held at once should not change with the source's size.
  const digits = String(tables).length;
  if (/^10+$/.test(String(tables)) && tables >= 1000) {
    queries = 0;
    const prefix = `t${'0'.repeat(6 - digits)}`;
    const halfScope = { ...setup.scope, includeTables: ['0', '1', '2', '3', '4'].map((d) => `${prefix}${d}*`) };
    const half = await measure(async () => {
      const connector = setup.makeConnector(count);
      try {
        return await readAll(connector, collectOptions(halfScope), false);
      } finally {
        await connector.close();
      }
    });
    rows.push({
      engine,
      label: 'connector read, half the tables',
      seconds: half.seconds,
      queries,
      peakHeapMb: half.peakHeapMb,
      peakRssMb: half.peakRssMb,
      liveHeapMb: await probeLiveHeap(setup, halfScope),
      note: `${half.value.assets} assets`,
    });
  }

  // Incremental run with nothing changed.
  queries = 0;
  const previous = full.value.signals;
  const incremental = await measure(async () => {
    const connector = setup.makeConnector(count);
    try {
      return await readAll(
        connector,
        collectOptions(setup.scope, { mode: 'incremental', previousSignals: previous }),
        false,
      );
    } finally {
      await connector.close();
    }
  });
  rows.push({
    engine,
    label: 'connector incremental, no change',
    seconds: incremental.seconds,
    queries,
    peakHeapMb: incremental.peakHeapMb,
    peakRssMb: incremental.peakRssMb,
    note: `${incremental.value.assets} re-read, ${incremental.value.unchanged} unchanged`,
  });
  log(`${engine}: incremental ${incremental.seconds.toFixed(2)} s`);

  // End to end into the catalog, when a writer is given.
  if (writerFactory) {
    queries = 0;
    const writer = await writerFactory({ engine, name: `bench-${engine}` });
    try {
      const e2e = await measure(async () => {
        const connector = setup.makeConnector(count);
        try {
          return await readAll(connector, collectOptions(setup.scope), false, writer);
        } finally {
          await connector.close();
        }
      });
      rows.push({
        engine,
        label: 'end to end into the catalog',
        seconds: e2e.seconds,
        queries,
        peakHeapMb: e2e.peakHeapMb,
        peakRssMb: e2e.peakRssMb,
        note: `${e2e.value.assets} assets`,
      });
      log(`${engine}: end to end ${e2e.seconds.toFixed(2)} s`);
    } finally {
      await writer.close();
    }
  } else {
    rows.push({
      engine,
      label: 'end to end into the catalog',
      seconds: NaN,
      queries: null,
      peakHeapMb: NaN,
      peakRssMb: NaN,
      note: 'not measured: pass --writer MODULE',
    });
  }

  // Floors.
  for (const [label, run] of setup.floors) {
    const floor = await best(repeat, () => measure(run));
    rows.push({
      engine,
      label,
      seconds: floor.seconds,
      queries: floor.value.queries,
      peakHeapMb: floor.peakHeapMb,
      peakRssMb: floor.peakRssMb,
      note: `${floor.value.rows} rows`,
    });
    log(`${engine}: ${label} ${floor.seconds.toFixed(2)} s`);
  }

  // Per-table reflection on a sample, extrapolated.
  const step = tables / sampleSize;
  const sample = Array.from({ length: sampleSize }, (_, k) => Math.floor(k * step));
  const reflection = await measure(() => setup.reflection(sample));
  const factor = tables / sampleSize;
  rows.push({
    engine,
    label: 'per-table reflection (extrapolated)',
    seconds: reflection.seconds * factor,
    queries: Math.round(reflection.value.queries * factor),
    peakHeapMb: reflection.peakHeapMb,
    peakRssMb: reflection.peakRssMb,
    note: `timed on ${sampleSize} tables (${reflection.seconds.toFixed(2)} s) × ${factor.toFixed(1)}`,
  });
  log(`${engine}: reflection of ${sampleSize} tables ${reflection.seconds.toFixed(2)} s`);
}

async function main(): Promise<void> {
  const a = args();
  const tables = Number(a.get('tables') ?? 10000);
  const engines = String(a.get('engines') ?? 'postgresql,mariadb').split(',');
  const sampleSize = Math.min(tables, Number(a.get('sample') ?? 500));
  const repeat = Math.max(1, Number(a.get('repeat') ?? 3));
  const keep = a.has('keep');
  const writerFactory = await loadWriter(typeof a.get('writer') === 'string' ? (a.get('writer') as string) : undefined);
  const suffix = Math.random().toString(36).slice(2, 8);
  const rows: Measurement[] = [];
  const setupTimes: string[] = [];

  log(
    `benchmark: ${tables} tables × 20 columns; engines ${engines.join(', ')}; reflection sample ${sampleSize}; best of ${repeat}`,
  );

  if (engines.includes('postgresql')) {
    const reuse = a.get('reuse-postgresql');
    const source: PgSource = {
      host: process.env.TEST_PG_HOST ?? '127.0.0.1',
      port: Number(process.env.TEST_PG_PORT ?? 5432),
      user: 'postgres',
      database: typeof reuse === 'string' ? reuse : `bench_collect_${suffix}`,
      schema: 'bench',
    };
    try {
      if (typeof reuse !== 'string') {
        const t0 = Date.now();
        await createPgSource(source, tables, log);
        setupTimes.push(`postgresql source generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      // Baselines open a fresh session per run, as the connector does: a warm backend's catalog
      // caches would flatter them.
      const withClient = async <T>(work: (c: Client) => Promise<T>): Promise<T> => {
        const client = new Client({
          host: source.host,
          port: source.port,
          user: source.user,
          database: source.database,
        });
        await client.connect();
        try {
          return await work(client);
        } finally {
          await client.end();
        }
      };
      await benchEngine(
        {
          engine: 'postgresql',
          scope: { includeSchemas: [source.schema] },
          makeConnector: (onQuery) =>
            createPostgresConnector(
              { host: source.host, port: source.port, username: source.user, database: source.database, timeout: 600 },
              guard,
              { onQuery },
            ),
          floors: [['floor: 4 schema-wide queries', () => withClient((c) => pgFloor(c, source.schema))]],
          reflection: (sample) => withClient((c) => pgReflection(c, source.schema, sample)),
        },
        tables,
        sampleSize,
        repeat,
        writerFactory,
        rows,
      );
    } finally {
      if (!keep && typeof reuse !== 'string')
        await dropPgSource(source).catch((e) => log(`could not drop ${source.database}: ${String(e)}`));
    }
  }

  if (engines.includes('mariadb')) {
    const reuse = a.get('reuse-mariadb');
    const source: MySource = {
      host: process.env.TEST_MYSQL_HOST ?? '127.0.0.1',
      port: Number(process.env.TEST_MYSQL_PORT ?? 3306),
      user: 'root',
      database: typeof reuse === 'string' ? reuse : `bench_collect_${suffix}`,
    };
    try {
      if (typeof reuse !== 'string') {
        const t0 = Date.now();
        await createMySource(source, tables, log);
        setupTimes.push(`mariadb source generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      const withConn = async <T>(work: (c: mysql.Connection) => Promise<T>): Promise<T> => {
        const conn = await mysql.createConnection({ host: source.host, port: source.port, user: source.user });
        try {
          return await work(conn);
        } finally {
          await conn.end();
        }
      };
      await benchEngine(
        {
          engine: 'mariadb',
          scope: { includeSchemas: [source.database] },
          makeConnector: (onQuery) =>
            createMysqlConnector({ host: source.host, port: source.port, username: source.user, timeout: 600 }, guard, {
              onQuery,
            }),
          floors: [
            [
              'floor: 5 information_schema queries',
              () => withConn((c) => mariadbFloorInformationSchema(c, source.database)),
            ],
            [
              'floor: 7 queries, same sources as connector',
              () => withConn((c) => mariadbFloorSameSources(c, source.database)),
            ],
          ],
          reflection: (sample) => withConn((c) => mariadbReflection(c, source.database, sample)),
        },
        tables,
        sampleSize,
        repeat,
        writerFactory,
        rows,
      );
    } finally {
      if (!keep && typeof reuse !== 'string')
        await dropMySource(source).catch((e) => log(`could not drop ${source.database}: ${String(e)}`));
    }
  }

  console.log('');
  for (const s of setupTimes) console.log(s);
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log('');
  printTable(rows);
  console.log('');
  for (const engine of ['postgresql', 'mariadb']) {
    const read = rows.find((r) => r.engine === engine && r.label === 'connector read, full');
    const floors = rows.filter((r) => r.engine === engine && r.label.startsWith('floor'));
    const reflection = rows.find((r) => r.engine === engine && r.label.startsWith('per-table reflection'));
    if (!read) continue;
    const e2e = rows.find(
      (r) => r.engine === engine && r.label === 'end to end into the catalog' && !Number.isNaN(r.seconds),
    );
    for (const f of floors) {
      console.log(`${engine}: read / ${f.label} = ${(read.seconds / f.seconds).toFixed(2)}×`);
      if (e2e) console.log(`${engine}: end to end / ${f.label} = ${(e2e.seconds / f.seconds).toFixed(2)}×`);
    }
    if (reflection)
      console.log(`${engine}: per-table reflection / read = ${(reflection.seconds / read.seconds).toFixed(1)}×`);
    // Set-based reads: the statement count is a constant of the connector, not of the source's size.
    const statements = rows
      .filter((r) => r.engine === engine && r.label.startsWith('connector') && r.queries !== null)
      .map((r) => `${r.queries} (${r.label.replace(/^connector /, '')})`);
    console.log(`${engine}: statements per run: ${statements.join(', ')}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
