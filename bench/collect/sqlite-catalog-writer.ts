/**
 * A --writer module for run.ts: writes the collected batches into a fresh, migrated SQLite catalog
 * (the service's embedded default) through the service's own catalog writer.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/collect/run.ts --writer bench/collect/sqlite-catalog-writer.ts
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CatalogService } from '../../src/catalog/catalog.service';
import { CatalogAssetEntity } from '../../src/catalog/entities/catalog-asset.entity';
import { CatalogFieldEntity } from '../../src/catalog/entities/catalog-field.entity';
import { CatalogNamespaceEntity } from '../../src/catalog/entities/catalog-namespace.entity';
import { CatalogProfileEntity } from '../../src/catalog/entities/catalog-profile.entity';
import { CatalogVersionEntity } from '../../src/catalog/entities/catalog-version.entity';
import { DataSourceEntity } from '../../src/datasources/data-source.entity';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { WebhookOutboxService } from '../../src/webhooks/webhook-outbox.service';
import { WebhookDeliveryEntity, WebhookEntity, WebhookEventEntity } from '../../src/webhooks/webhook.entities';
import type { CatalogWriterFactory } from './run';

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

export const createCatalogWriter: CatalogWriterFactory = async (source) => {
  const dir = mkdtempSync(join(tmpdir(), 'collect-bench-'));
  const db = new DataSource({ ...dataSourceOptions(`sqlite:${join(dir, 'catalog.db')}`), entities: ENTITIES });
  await db.initialize();
  await db.runMigrations();
  const dataSourceId = `ds-bench-${source.engine}`;
  const now = Date.now();
  // Catalog rows reference their data source.
  await db.query(
    `INSERT INTO data_sources (id, name, type, description, status, config, config_version, tags, status_changed_at, created_at, updated_at)
     VALUES (?, ?, ?, NULL, 'active', '{}', 1, '[]', ?, ?, ?)`,
    [dataSourceId, source.name, source.engine === 'mariadb' ? 'mysql' : 'postgresql', now, now, now],
  );
  const service = new CatalogService(
    db,
    db.getRepository(CatalogAssetEntity),
    db.getRepository(CatalogProfileEntity),
    db.getRepository(CatalogVersionEntity),
    new WebhookOutboxService(),
  );
  let run: Awaited<ReturnType<CatalogService['openRun']>> | undefined;
  return {
    async write(batch) {
      run ??= await service.openRun({
        dataSourceId,
        executionId: `exec-${source.name}`,
        mode: 'full',
        batchSize: 500,
        scope: {},
      });
      await run.write(batch);
    },
    async finish() {
      await run?.complete();
    },
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
