import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { bigint, bool, idColumn, instant, integer, refColumn, text, varchar } from './columns';

const cascadeTo = (table: string, column: string) =>
  new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/**
 * The metadata catalog. Namespaces and assets belong to a data source and go with it (ON DELETE
 * CASCADE); fields, versions and profiles belong to an asset and go with it. Keys and indexes
 * are JSON on the asset: they are always read whole with it and never queried on their own.
 *
 * Search runs over `name_lower` and comments. On PostgreSQL trigram indexes (pg_trgm) serve
 * substring matches; on SQLite FTS5 trigram tables kept in step by triggers do. Without either
 * (MySQL, or PostgreSQL without pg_trgm) search scans, which is correct but slower.
 */
export class Catalog1764100002000 implements MigrationInterface {
  name = 'Catalog1764100002000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'catalog_namespaces',
        columns: [
          idColumn(),
          refColumn('data_source_id'),
          varchar('name', 255),
          varchar('kind', 32, true),
          text('properties'),
          instant('first_seen_at'),
          instant('last_seen_at'),
          refColumn('last_seen_execution_id', true),
          instant('removed_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_catalog_namespaces_source_name',
            columnNames: ['data_source_id', 'name'],
            isUnique: true,
          }),
        ],
        foreignKeys: [cascadeTo('data_sources', 'data_source_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'catalog_assets',
        columns: [
          idColumn(),
          refColumn('data_source_id'),
          varchar('namespace', 255),
          varchar('name', 400),
          varchar('name_lower', 400),
          varchar('kind', 32),
          text('comment'),
          varchar('owner', 255, true),
          text('properties'),
          text('asset_keys'),
          text('asset_indexes'),
          integer('field_count', false, 0),
          bigint('row_count'),
          bigint('size_bytes'),
          instant('stats_at', true),
          varchar('fingerprint', 64),
          varchar('change_signal', 255, true),
          instant('first_seen_at'),
          instant('last_seen_at'),
          refColumn('last_seen_execution_id', true),
          instant('changed_at'),
          instant('removed_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_catalog_assets_source_ns_name',
            columnNames: ['data_source_id', 'namespace', 'name'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_catalog_assets_source_kind', columnNames: ['data_source_id', 'kind'] }),
          new TableIndex({ name: 'ix_catalog_assets_kind_name', columnNames: ['kind', 'name_lower'] }),
          new TableIndex({ name: 'ix_catalog_assets_name_lower', columnNames: ['name_lower'] }),
        ],
        foreignKeys: [cascadeTo('data_sources', 'data_source_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'catalog_fields',
        columns: [
          idColumn(),
          refColumn('asset_id'),
          varchar('name', 255),
          varchar('name_lower', 255),
          varchar('path', 1024, true),
          integer('ordinal'),
          text('data_type', false),
          varchar('type_family', 16),
          bool('nullable', true),
          text('default_value'),
          text('comment'),
          bool('primary_key', false),
          text('properties'),
        ],
        indices: [
          new TableIndex({ name: 'ix_catalog_fields_asset_ordinal', columnNames: ['asset_id', 'ordinal'] }),
          new TableIndex({ name: 'ix_catalog_fields_name_lower', columnNames: ['name_lower'] }),
        ],
        foreignKeys: [cascadeTo('catalog_assets', 'asset_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'catalog_versions',
        columns: [
          idColumn(),
          refColumn('asset_id'),
          refColumn('data_source_id'),
          refColumn('execution_id', true),
          varchar('change_type', 16),
          varchar('namespace', 255),
          varchar('asset_name', 400),
          varchar('asset_kind', 32),
          integer('fields_added', false, 0),
          integer('fields_removed', false, 0),
          integer('fields_altered', false, 0),
          text('diff', false),
          instant('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_catalog_versions_asset_created', columnNames: ['asset_id', 'created_at'] }),
          new TableIndex({ name: 'ix_catalog_versions_execution', columnNames: ['execution_id'] }),
          new TableIndex({ name: 'ix_catalog_versions_source_created', columnNames: ['data_source_id', 'created_at'] }),
        ],
        foreignKeys: [cascadeTo('catalog_assets', 'asset_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'catalog_profiles',
        columns: [
          idColumn(),
          refColumn('asset_id'),
          refColumn('data_source_id'),
          refColumn('execution_id', true),
          bigint('row_count'),
          bool('sampled', false),
          text('profile', false),
          instant('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_catalog_profiles_asset_created', columnNames: ['asset_id', 'created_at'] }),
          new TableIndex({ name: 'ix_catalog_profiles_execution', columnNames: ['execution_id'] }),
        ],
        foreignKeys: [cascadeTo('catalog_assets', 'asset_id')],
      }),
    );
    const type = q.connection.options.type;
    if (type === 'postgres') await this.postgresSpecifics(q);
    if (type === 'better-sqlite3' || type === 'sqlite') await this.sqliteSearchTables(q);
  }

  /** Room for in-place updates, and trigram GIN indexes for substring search when the server ships pg_trgm. */
  private async postgresSpecifics(q: QueryRunner): Promise<void> {
    // Every run stamps last_seen_at on every asset; free room on each page lets PostgreSQL update
    // such unindexed columns in place (HOT) instead of touching every index, trigram ones included.
    await q.query('ALTER TABLE catalog_assets SET (fillfactor = 70)');
    const available = (await q.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`)) as unknown[];
    if (available.length === 0) return;
    // A role without the right to create the extension keeps plain scans instead of failing the migration.
    await q.query('SAVEPOINT catalog_trgm');
    try {
      await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    } catch {
      await q.query('ROLLBACK TO SAVEPOINT catalog_trgm');
      return;
    }
    await q.query('RELEASE SAVEPOINT catalog_trgm');
    for (const table of ['catalog_assets', 'catalog_fields']) {
      await q.query(`CREATE INDEX ix_${table}_name_trgm ON ${table} USING gin (name_lower gin_trgm_ops)`);
      await q.query(`CREATE INDEX ix_${table}_comment_trgm ON ${table} USING gin (lower(comment) gin_trgm_ops)`);
    }
  }

  /**
   * FTS5 trigram tables over name and comment, holding the content table's rowid; triggers keep
   * them in step with every insert, update and delete (cascades included).
   */
  private async sqliteSearchTables(q: QueryRunner): Promise<void> {
    for (const table of ['catalog_assets', 'catalog_fields']) {
      const fts = `${table}_fts`;
      await q.query(
        `CREATE VIRTUAL TABLE ${fts} USING fts5(name, comment, content='${table}', content_rowid='rowid', tokenize='trigram')`,
      );
      await q.query(
        `CREATE TRIGGER ${fts}_ai AFTER INSERT ON ${table} BEGIN INSERT INTO ${fts}(rowid, name, comment) VALUES (new.rowid, new.name, new.comment); END`,
      );
      await q.query(
        `CREATE TRIGGER ${fts}_ad AFTER DELETE ON ${table} BEGIN INSERT INTO ${fts}(${fts}, rowid, name, comment) VALUES ('delete', old.rowid, old.name, old.comment); END`,
      );
      await q.query(
        `CREATE TRIGGER ${fts}_au AFTER UPDATE OF name, comment ON ${table} BEGIN ` +
          `INSERT INTO ${fts}(${fts}, rowid, name, comment) VALUES ('delete', old.rowid, old.name, old.comment); ` +
          `INSERT INTO ${fts}(rowid, name, comment) VALUES (new.rowid, new.name, new.comment); END`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const type = q.connection.options.type;
    if (type === 'better-sqlite3' || type === 'sqlite') {
      for (const table of ['catalog_assets', 'catalog_fields']) {
        for (const suffix of ['ai', 'ad', 'au']) await q.query(`DROP TRIGGER IF EXISTS ${table}_fts_${suffix}`);
        await q.query(`DROP TABLE IF EXISTS ${table}_fts`);
      }
    }
    await q.dropTable('catalog_profiles');
    await q.dropTable('catalog_versions');
    await q.dropTable('catalog_fields');
    await q.dropTable('catalog_assets');
    await q.dropTable('catalog_namespaces');
  }
}
