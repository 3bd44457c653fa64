import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { bool, idColumn, instant, integer, refColumn, text, varchar } from './columns';

export class Webhooks1764100004000 implements MigrationInterface {
  name = 'Webhooks1764100004000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'webhooks',
        columns: [
          idColumn(),
          varchar('name', 128),
          varchar('url', 2048),
          text('events', false),
          refColumn('datasource_id', true),
          bool('active', true),
          text('secret', false),
          integer('consecutive_failures', false, 0),
          varchar('disabled_reason', 512, true),
          refColumn('created_by', true),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ix_webhooks_active', columnNames: ['active'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_events',
        columns: [
          idColumn(),
          varchar('type', 64),
          refColumn('datasource_id', true),
          text('payload', false),
          instant('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_webhook_events_created', columnNames: ['created_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          idColumn(),
          refColumn('webhook_id'),
          refColumn('event_id'),
          varchar('event_type', 64),
          varchar('status', 16),
          integer('attempts', false, 0),
          instant('next_attempt_at', true),
          integer('last_status_code', true),
          integer('last_latency_ms', true),
          varchar('last_error', 1024, true),
          varchar('locked_by', 64, true),
          instant('locked_until', true),
          instant('created_at'),
          instant('delivered_at', true),
        ],
        indices: [
          // The dispatcher's scan: pending deliveries per webhook in order.
          new TableIndex({ name: 'ix_webhook_deliveries_pending', columnNames: ['status', 'webhook_id', 'id'] }),
          new TableIndex({ name: 'ix_webhook_deliveries_webhook', columnNames: ['webhook_id', 'created_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['webhook_id'],
            referencedTableName: 'webhooks',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            columnNames: ['event_id'],
            referencedTableName: 'webhook_events',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('webhook_deliveries');
    await q.dropTable('webhook_events');
    await q.dropTable('webhooks');
  }
}
