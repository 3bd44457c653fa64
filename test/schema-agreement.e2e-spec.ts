/**
 * The catalog's schema is stated in its migration and in its entities; they must say the same.
 * On a store the app's migrations built, TypeORM's schema builder compares the tables with the
 * entities and lists the statements that would make them agree: there must be none.
 */
import { DataSource, DataSourceOptions } from 'typeorm';
import { CatalogAssetEntity } from '../src/catalog/entities/catalog-asset.entity';
import { CatalogFieldEntity } from '../src/catalog/entities/catalog-field.entity';
import { CatalogNamespaceEntity } from '../src/catalog/entities/catalog-namespace.entity';
import { CatalogProfileEntity } from '../src/catalog/entities/catalog-profile.entity';
import { CatalogVersionEntity } from '../src/catalog/entities/catalog-version.entity';
import { bootApp, currentStore, describeE2E, Store, TestApp } from './support/app';

/**
 * Differences TypeORM reports that are spelling, not schema: SQLite keeps a boolean default as the
 * migration wrote it (`true`) where TypeORM expects `1`, and can change it only by rebuilding the
 * table; MariaDB reads a boolean back as tinyint(1), and a foreign key without ON UPDATE as
 * RESTRICT, which is what NO ACTION means there.
 */
const SPELLING: Record<Store, RegExp[]> = {
  postgres: [],
  sqlite: [
    /^(DROP|CREATE) INDEX "ix_catalog_(fields|profiles)_\w+"/,
    /^CREATE TABLE "temporary_catalog_(fields|profiles)" /,
    /^INSERT INTO "temporary_catalog_(fields|profiles)"/,
    /^DROP TABLE "catalog_(fields|profiles)"$/,
    /^ALTER TABLE "temporary_catalog_(fields|profiles)" RENAME TO "catalog_(fields|profiles)"$/,
  ],
  mysql: [
    /^ALTER TABLE `catalog_\w+` DROP FOREIGN KEY `FK_\w+`$/,
    /^ALTER TABLE `catalog_\w+` ADD CONSTRAINT `FK_\w+` FOREIGN KEY \(`\w+`\) REFERENCES `\w+`\(`id`\) ON DELETE CASCADE ON UPDATE NO ACTION$/,
    /^ALTER TABLE `catalog_(fields|profiles)` CHANGE `(nullable|primary_key|sampled)` `\2` tinyint NOT NULL DEFAULT [01]$/,
  ],
};

const CATALOG = [
  CatalogNamespaceEntity,
  CatalogAssetEntity,
  CatalogFieldEntity,
  CatalogVersionEntity,
  CatalogProfileEntity,
];

describeE2E('the catalog schema', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await bootApp();
    const app = t.app.get(DataSource);
    // The test store is MariaDB: TypeORM reads its column defaults right only when told so.
    const type = currentStore() === 'mysql' ? { type: 'mariadb' } : {};
    db = await new DataSource({
      ...app.options,
      ...type,
      entities: app.entityMetadatas.map((m) => m.target),
      migrationsRun: false,
    } as DataSourceOptions).initialize();
    // Only the catalog's tables are compared here; the tables they refer to are built by their own migrations.
    for (const m of db.entityMetadatas)
      if (!CATALOG.includes(m.target as (typeof CATALOG)[number])) m.synchronize = false;
  });

  afterAll(async () => {
    await db?.destroy();
    await t?.close();
  });

  it('built by the migrations is the one the entities describe', async () => {
    const pending = (await db.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    expect(pending.filter((sql) => !SPELLING[currentStore()].some((known) => known.test(sql)))).toEqual([]);
    if (currentStore() === 'sqlite') {
      // The tables SQLite would rebuild differ from the migrated ones only in how defaults are spelled.
      for (const sql of pending.filter((q) => q.startsWith('CREATE TABLE'))) {
        const table = /"temporary_(\w+)"/.exec(sql)![1];
        const [stored] = await t.store.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [
          table,
        ]);
        const respelled = sql
          .replace(`"temporary_${table}"`, `"${table}"`)
          .replace(/DEFAULT \(1\)/g, 'DEFAULT (true)')
          .replace(/DEFAULT \(0\)/g, 'DEFAULT (false)')
          // NO ACTION is SQLite's default for a foreign key's ON UPDATE.
          .replace(/ ON UPDATE NO ACTION/g, '');
        expect(respelled).toBe(stored.sql);
      }
    }
  });
});
