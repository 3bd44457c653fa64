import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bool, idColumn, instant, integer, refColumn, text, varchar } from './columns';

export class Datasources1764100001000 implements MigrationInterface {
  name = 'Datasources1764100001000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'data_sources',
        columns: [
          idColumn(),
          varchar('name', 128),
          varchar('type', 32),
          text('description'),
          varchar('status', 16),
          // JSON; secret fields hold SecretCipher ciphertext.
          text('config', false),
          integer('config_version', false, 1),
          text('tags', false),
          instant('last_test_at', true),
          integer('last_latency_ms', true),
          text('last_error'),
          instant('status_changed_at'),
          refColumn('created_by', true),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_data_sources_name', columnNames: ['name'], isUnique: true }),
          new TableIndex({ name: 'ix_data_sources_type', columnNames: ['type'] }),
          new TableIndex({ name: 'ix_data_sources_status', columnNames: ['status', 'last_test_at'] }),
          new TableIndex({ name: 'ix_data_sources_created', columnNames: ['created_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'templates',
        columns: [
          idColumn(),
          varchar('name', 128),
          varchar('type', 32),
          text('description'),
          text('config_template', false),
          bool('is_system', false),
          refColumn('created_by', true),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_templates_type_name', columnNames: ['type', 'name'], isUnique: true }),
          new TableIndex({ name: 'ix_templates_created', columnNames: ['created_at'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('templates');
    await q.dropTable('data_sources');
  }
}
