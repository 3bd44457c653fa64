/**
 * Every table's schema is stated in its migration and in its entity; they must say the same.
 * On a store the app's migrations built, TypeORM's schema builder compares the tables with the
 * entities and lists the statements that would make them agree (generating a migration from the
 * entities): there must be none, and no table may be left without an entity.
 */
import { DataSource, DataSourceOptions } from 'typeorm';
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
    // A table rebuild, checked below to differ from the stored table only in how defaults are spelled.
    /^(DROP|CREATE) (UNIQUE )?INDEX "\w+"/,
    /^CREATE TABLE "temporary_\w+" /,
    /^INSERT INTO "temporary_\w+"/,
    /^DROP TABLE "\w+"$/,
    /^ALTER TABLE "temporary_(\w+)" RENAME TO "\1"$/,
  ],
  mysql: [
    /^ALTER TABLE `\w+` DROP FOREIGN KEY `FK_\w+`$/,
    /^ALTER TABLE `\w+` ADD CONSTRAINT `FK_\w+` FOREIGN KEY \(`\w+`\) REFERENCES `\w+`\(`id`\) ON DELETE (CASCADE|NO ACTION) ON UPDATE NO ACTION$/,
    // A default that differs shows on PostgreSQL and SQLite too; here only the width is read differently.
    /^ALTER TABLE `\w+` CHANGE `(\w+)` `\1` tinyint NOT NULL( DEFAULT [01])?$/,
  ],
};

/**
 * Tables no entity describes, on purpose: SQLite's full-text indexes of catalog search (an FTS5
 * virtual table and its shadow tables, kept by triggers), and the lineage store, which is written
 * and read with SQL of its own and has no entities yet.
 */
const WITHOUT_ENTITY = [/^catalog_(assets|fields)_fts(_\w+)?$/, /^lineage_\w+$/];

/** The tables of a store, but the migrations' own bookkeeping. */
async function tablesOf(t: TestApp, store: Store): Promise<string[]> {
  const sql: Record<Store, string> = {
    sqlite: `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
    postgres: `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
    mysql: `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()`,
  };
  const rows = await t.store.query(sql[store]);
  return rows
    .map((r) => String(r.name ?? r.NAME ?? r.TABLE_NAME))
    .filter((name) => name !== 'migrations' && !WITHOUT_ENTITY.some((known) => known.test(name)))
    .sort();
}

describeE2E('the schema of every table', () => {
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
  });

  afterAll(async () => {
    await db?.destroy();
    await t?.close();
  });

  it('has an entity for every table the migrations create', async () => {
    const described = db.entityMetadatas.map((m) => m.tableName).sort();
    expect(await tablesOf(t, currentStore())).toEqual(described);
  });

  it('built by the migrations is the one the entities describe', async () => {
    const pending = (await db.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    expect(pending.filter((sql) => !SPELLING[currentStore()].some((known) => known.test(sql)))).toEqual([]);
    if (currentStore() === 'sqlite') {
      // A rebuild drops a table's indexes and creates them again, the same: no index only one side has.
      const named = (verb: RegExp) =>
        pending.flatMap((q) => (verb.test(q) ? [/INDEX "(\w+)"/.exec(q)![1]] : [])).sort();
      expect(named(/^DROP INDEX/)).toEqual(named(/^CREATE (UNIQUE )?INDEX/));
      // The tables SQLite would rebuild differ from the migrated ones only in how defaults are spelled.
      for (const sql of pending.filter((q) => q.startsWith('CREATE TABLE'))) {
        const table = /"temporary_(\w+)"/.exec(sql)![1];
        const [stored] = await t.store.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [
          table,
        ]);
        const respelled = sql
          .replace(`"temporary_${table}"`, `"${table}"`)
          .replace(/( boolean NOT NULL DEFAULT )\(1\)/g, '$1(true)')
          .replace(/( boolean NOT NULL DEFAULT )\(0\)/g, '$1(false)')
          // NO ACTION is SQLite's default for a foreign key's ON UPDATE.
          .replace(/ ON UPDATE NO ACTION/g, '');
        expect(respelled).toBe(String(stored.sql).replace(/ ON UPDATE NO ACTION/g, ''));
      }
    }
  });
});
