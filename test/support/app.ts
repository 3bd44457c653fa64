/**
 * Boots the whole app the way main.ts does, on the store the Jest project picks (TEST_STORE):
 * a fresh SQLite file, or a fresh PostgreSQL database created here and dropped on close.
 */
import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { connectGrpc } from '../../src/grpc/grpc-server';
import { describeWithServers, SERVER_ENDPOINTS } from './servers';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export type Store = 'sqlite' | 'postgres' | 'mysql';

export function currentStore(): Store {
  const store = process.env.TEST_STORE;
  return store === 'postgres' || store === 'mysql' ? store : 'sqlite';
}

/** An e2e suite that runs on the project's store; on PostgreSQL or MariaDB it needs the server. */
export function describeE2E(title: string, body: () => void): void {
  const full = `${title} [${currentStore()}]`;
  if (currentStore() === 'postgres') describeWithServers(['postgres'], full, body);
  else if (currentStore() === 'mysql') describeWithServers(['mariadb'], full, body);
  else describe(full, body);
}

const pgAdminUrl = () =>
  `postgres://postgres@${SERVER_ENDPOINTS.postgres.host}:${SERVER_ENDPOINTS.postgres.port}/postgres`;

export interface StoreHandle {
  url: string;
  /** Reads the store directly (to check what is really stored). */
  query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  drop(): Promise<void>;
}

/** A brand-new, empty store for one app (or several replicas sharing it). */
export async function createStore(store: Store = currentStore()): Promise<StoreHandle> {
  if (store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'metadata-test-'));
    const file = join(dir, 'metadata.db');
    return {
      url: `sqlite:${file}`,
      async query(sql, params = []) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const Database = require('better-sqlite3') as typeof import('better-sqlite3');
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(sql).all(...params) as Array<Record<string, unknown>>;
        } finally {
          db.close();
        }
      },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (store === 'mysql') return createMysqlStore();
  const name = `metadata_test_${randomBytes(6).toString('hex')}`;
  if (!name.includes('test')) throw new Error('refusing a test database whose name lacks "test"');
  const admin = new Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `postgres://postgres@${SERVER_ENDPOINTS.postgres.host}:${SERVER_ENDPOINTS.postgres.port}/${name}`;
  return {
    url,
    async query(sql, params = []) {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        // Tests write `?` placeholders; PostgreSQL wants $1, $2, …
        let i = 0;
        return (
          await c.query(
            sql.replace(/\?/g, () => `$${++i}`),
            params,
          )
        ).rows as Array<Record<string, unknown>>;
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = new Client({ connectionString: pgAdminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: NestExpressApplication;
  store: StoreHandle;
  baseUrl: string;
  /** `127.0.0.1:<port>` of the gRPC server (env GRPC_PORT, else a free port). */
  grpcUrl: string;
  http: ReturnType<typeof request>;
  adminToken: string;
  login(username: string, password: string): Promise<string>;
  /** Creates a user with the role and returns an access token for it. */
  tokenFor(role: 'admin' | 'operator' | 'viewer'): Promise<string>;
  /** Closes the app; drops the store unless it is shared (`keepStore`). */
  close(): Promise<void>;
}

export interface BootOptions {
  env?: Record<string, string | undefined>;
  /** Reuse a store (a second replica, or a restart). */
  store?: StoreHandle;
  keepStore?: boolean;
  /** Runs after the modules are built and before the app starts (and its schedulers and runners with it). */
  prepare?: (app: NestExpressApplication) => void;
}

export async function bootApp(options: BootOptions = {}): Promise<TestApp> {
  const store = options.store ?? (await createStore());
  const dataDir = mkdtempSync(join(tmpdir(), 'metadata-data-'));
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    DATABASE_URL: store.url,
    DATA_DIR: dataDir,
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD,
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
    ENCRYPTION_KEY: 'test-encryption-key-0123456789abcdef012345',
    RATE_LIMIT_PER_SECOND: '100000',
    LOG_LEVEL: 'silent',
    REDIS_URL: undefined,
    ...options.env,
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureApp(app);
  options.prepare?.(app);
  const grpcUrl = `127.0.0.1:${Number(env.GRPC_PORT) || (await freePort())}`;
  await connectGrpc(app, grpcUrl);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const http = request(baseUrl);
  const login = async (username: string, password: string) => {
    const res = await http.post('/api/v1/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token as string;
  };
  const adminToken = await login('admin', ADMIN_PASSWORD);
  let users = 0;
  return {
    app,
    store,
    baseUrl,
    grpcUrl,
    http,
    adminToken,
    login,
    async tokenFor(role) {
      const username = `${role}-${++users}-${randomBytes(3).toString('hex')}`;
      const password = `${role}-password-123`;
      const res = await http
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ username, password, role });
      if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
      return login(username, password);
    },
    async close() {
      await closeQuietly(app);
      rmSync(dataDir, { recursive: true, force: true });
      if (!options.keepStore) await store.drop();
    },
  };
}

/** A port nothing listens on right now (grpc-js binds port 0 without telling Nest which port it got). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function closeQuietly(app: INestApplication): Promise<void> {
  await app.close().catch(() => undefined);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A fresh MariaDB/MySQL database as the store (root without password on the machine's MariaDB). */
async function createMysqlStore(): Promise<StoreHandle> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
  const { host, port } = SERVER_ENDPOINTS.mariadb;
  const name = `metadata_test_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection({ host, port, user: 'root' });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  await admin.end();
  return {
    url: `mysql://root@${host}:${port}/${name}`,
    async query(sql, params = []) {
      const c = await mysql.createConnection({ host, port, user: 'root', database: name });
      try {
        const [rows] = await c.query(sql, params);
        return rows as Array<Record<string, unknown>>;
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = await mysql.createConnection({ host, port, user: 'root' });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}
