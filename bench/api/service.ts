import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Child, freePort, startNode } from './processes';

const PG = {
  host: process.env.TEST_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.TEST_PG_PORT ?? 5432),
  user: 'postgres',
};
const ADMIN_PASSWORD = 'Bench-only passphrase, never reused 7!';

export interface RunningService {
  child: Child;
  base: string;
  grpcUrl: string;
  token: string;
  /** Ids the routes need: a data source, and the catalogued 20-column table. */
  dataSourceId: string;
  assetId: string;
  searchTerm: string;
  stop(): Promise<void>;
}

async function pgAdmin<T>(database: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...PG, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function api(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Starts the built service (dist/) as shipped — JWT with the revocation check, the rate limiter
 * (with a limit no bench reaches), request logs at info into a file, audit and metrics — on a
 * fresh SQLite or PostgreSQL store, and fills it: 20 data sources, a few tasks, and one real
 * collection of a PostgreSQL table with 20 columns so the catalog routes have an asset to serve.
 */
export async function startService(store: 'sqlite' | 'postgres', logDir: string): Promise<RunningService> {
  const suffix = randomBytes(4).toString('hex');
  const storeDb = `bench_api_store_${suffix}`;
  const schema = `bench_api_${suffix}`;
  let databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'bench-api-')), 'metadata.db')}`;
  if (store === 'postgres') {
    await pgAdmin('test', (c) => c.query(`CREATE DATABASE ${storeDb}`));
    databaseUrl = `postgres://${PG.user}@${PG.host}:${PG.port}/${storeDb}`;
  }
  const columns = Array.from({ length: 19 }, (_, i) => `col_${String(i + 1).padStart(2, '0')} varchar(40)`).join(', ');
  await pgAdmin('test', async (c) => {
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.query(`CREATE TABLE ${schema}.bench_orders (id bigint PRIMARY KEY, ${columns})`);
    await c.query(`COMMENT ON TABLE ${schema}.bench_orders IS 'Orders for the API benchmark'`);
  });

  const port = await freePort();
  const grpcPort = await freePort();
  const base = `http://127.0.0.1:${port}/api/v1`;
  const child = await startNode(
    ['dist/src/main.js'],
    {
      NODE_ENV: 'development',
      PORT: String(port),
      GRPC_PORT: String(grpcPort),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-api-data-')),
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD,
      RATE_LIMIT_PER_SECOND: '10000000',
      LOG_LEVEL: 'info',
      HEALTH_CHECK_INTERVAL_SECONDS: '0',
    },
    join(logDir, `service-${store}.log`),
    async () => (await fetch(`${base}/health`)).ok,
  );

  const login = await api(base, null, 'POST', '/login', { username: 'admin', password: ADMIN_PASSWORD });
  const token = login.access_token as string;
  const config = { host: PG.host, port: PG.port, username: PG.user, database: 'test', password: 'not-needed-here' };
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const ds = await api(base, token, 'POST', '/datasources', {
      name: `bench-source-${String(i).padStart(2, '0')}`,
      type: 'postgresql',
      description: `Source ${i} of the API benchmark`,
      config,
      tags: ['bench'],
    });
    ids.push(ds.id as string);
  }
  const task = (i: number) => ({
    name: `bench-task-${i}`,
    datasource_id: ids[0],
    type: 'full_collection',
    config: { include_schemas: [schema] },
    schedule: { type: 'cron', cron_expr: '0 3 * * *', timezone: 'UTC' },
    scheduler_type: 'builtin',
  });
  const tasks = [];
  for (let i = 0; i < 5; i++) tasks.push(await api(base, token, 'POST', '/tasks', task(i)));
  const run = await api(base, token, 'POST', `/tasks/${tasks[0].id as string}/execute`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = await api(base, token, 'GET', `/tasks/${tasks[0].id as string}/executions`);
    const execution = (list.executions as Array<{ execution_id?: string; id?: string; status: string }>).find(
      (e) => (e.execution_id ?? e.id) === run.execution_id,
    );
    if (execution?.status === 'completed') break;
    if (execution && ['failed', 'cancelled'].includes(execution.status))
      throw new Error(`the seeding collection ended ${execution.status}; see the service log`);
    if (Date.now() > deadline) throw new Error('the seeding collection did not complete within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  const assets = await api(base, token, 'GET', `/metadata/assets?datasource_id=${ids[0]}`);
  const assetId = (assets.assets as Array<{ id: string }>)[0].id;

  return {
    child,
    base,
    grpcUrl: `127.0.0.1:${grpcPort}`,
    token,
    dataSourceId: ids[0],
    assetId,
    searchTerm: 'col_07',
    stop: async () => {
      await child.stop();
      await pgAdmin('test', async (c) => {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        if (store === 'postgres') await c.query(`DROP DATABASE IF EXISTS ${storeDb} WITH (FORCE)`);
      });
    },
  };
}
