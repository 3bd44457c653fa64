/** Fresh, migrated catalog stores for the benchmark: a SQLite file or a PostgreSQL database. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CatalogAssetEntity } from '../../src/catalog/entities/catalog-asset.entity';
import { CatalogFieldEntity } from '../../src/catalog/entities/catalog-field.entity';
import { CatalogNamespaceEntity } from '../../src/catalog/entities/catalog-namespace.entity';
import { CatalogProfileEntity } from '../../src/catalog/entities/catalog-profile.entity';
import { CatalogVersionEntity } from '../../src/catalog/entities/catalog-version.entity';
import { DataSourceEntity } from '../../src/datasources/data-source.entity';
import { WebhookDeliveryEntity, WebhookEntity, WebhookEventEntity } from '../../src/webhooks/webhook.entities';
import { dataSourceOptions } from '../../src/database/data-source-options';

export type StoreName = 'sqlite' | 'postgres';

export interface BenchStore {
  name: StoreName;
  db: DataSource;
  /** Adds a data source row (catalog rows reference it) and returns its id. */
  addSource(): Promise<string>;
  drop(): Promise<void>;
}

const PG = {
  host: process.env.BENCH_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_PG_PORT ?? 5432),
  user: process.env.BENCH_PG_USER ?? 'postgres',
};
// The catalog writer announces changes through the webhook outbox, so its tables are mapped too.
// The catalog's foreign keys name the data sources table.
const ENTITIES = [
  DataSourceEntity,
  CatalogNamespaceEntity,
  CatalogAssetEntity,
  CatalogFieldEntity,
  CatalogVersionEntity,
  CatalogProfileEntity,
  WebhookEntity,
  WebhookEventEntity,
  WebhookDeliveryEntity,
];

export async function freshStore(name: StoreName): Promise<BenchStore> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-bench-'));
    url = `sqlite:${join(dir, 'catalog.db')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const database = `catalog_bench_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ ...PG, database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    url = `postgres://${PG.user}@${PG.host}:${PG.port}/${database}`;
    cleanup = async () => {
      const c = new Client({ ...PG, database: 'postgres' });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await c.end();
    };
  }
  const db = new DataSource({ ...dataSourceOptions(url), entities: ENTITIES });
  await db.initialize();
  await db.runMigrations();
  let sources = 0;
  return {
    name,
    db,
    async addSource() {
      const id = `ds-bench-${++sources}`;
      const now = Date.now();
      const p = name === 'postgres' ? ['$1', '$2', '$3', '$4', '$5'] : ['?', '?', '?', '?', '?'];
      await db.query(
        `INSERT INTO data_sources (id, name, type, description, status, config, config_version, tags, status_changed_at, created_at, updated_at)
         VALUES (${p[0]}, ${p[1]}, 'postgresql', NULL, 'active', '{}', 1, '[]', ${p[2]}, ${p[3]}, ${p[4]})`,
        [id, `bench-${id}`, now, now, now],
      );
      return id;
    },
    async drop() {
      await db.destroy();
      await cleanup();
    },
  };
}
