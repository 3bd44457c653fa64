/**
 * A --writer module for run.ts: writes the collected batches into a fresh, migrated SQLite catalog
 * (the service's embedded default) through the service's own catalog writer.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/collect/run.ts --writer bench/collect/sqlite-catalog-writer.ts
 */
import 'reflect-metadata';
import { CatalogService } from '../../src/catalog/catalog.service';
import { CatalogAssetEntity } from '../../src/catalog/entities/catalog-asset.entity';
import { CatalogProfileEntity } from '../../src/catalog/entities/catalog-profile.entity';
import { CatalogVersionEntity } from '../../src/catalog/entities/catalog-version.entity';
import { WebhookOutbox } from '../../src/webhooks/webhook-outbox.service';
import { freshStore } from '../catalog/stores';
import type { CatalogWriterFactory } from './run';

export const createCatalogWriter: CatalogWriterFactory = async (source) => {
  const store = await freshStore('sqlite');
  const service = new CatalogService(store.db, store.db.getRepository(CatalogAssetEntity), store.db.getRepository(CatalogProfileEntity), store.db.getRepository(CatalogVersionEntity), new WebhookOutbox());
  const dataSourceId = await store.addSource();
  let run: Awaited<ReturnType<CatalogService['openRun']>> | undefined;
  return {
    async write(batch) {
      run ??= await service.openRun({ dataSourceId, executionId: `exec-${source.name}`, mode: 'full', batchSize: 500, scope: {} });
      await run.write(batch);
    },
    async finish() {
      await run?.complete();
    },
    async close() {
      await store.drop();
    },
  };
};
