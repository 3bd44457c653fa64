import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { bool, idColumn, instant, integer, refColumn, text, varchar } from './columns';

export class Foundation1764100000000 implements MigrationInterface {
  name = 'Foundation1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          idColumn(),
          varchar('username', 64),
          varchar('password_hash', 255),
          varchar('role', 16),
          bool('disabled', false),
          instant('created_at'),
          instant('updated_at'),
          instant('last_login_at', true),
        ],
        indices: [new TableIndex({ name: 'uq_users_username', columnNames: ['username'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          idColumn(),
          refColumn('user_id'),
          refColumn('family_id'),
          instant('expires_at'),
          instant('used_at', true),
          instant('revoked_at', true),
          instant('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_refresh_tokens_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ix_refresh_tokens_family', columnNames: ['family_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_logs',
        columns: [
          idColumn(),
          instant('created_at'),
          refColumn('actor_id', true),
          varchar('actor_username', 64, true),
          varchar('action', 96),
          varchar('resource_type', 32),
          varchar('resource_id', 64, true),
          varchar('method', 8, true),
          varchar('path', 512, true),
          integer('status_code', true),
          varchar('ip', 64, true),
          varchar('request_id', 128, true),
          text('details'),
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_logs_created', columnNames: ['created_at'] }),
          new TableIndex({ name: 'ix_audit_logs_resource', columnNames: ['resource_type', 'resource_id'] }),
          new TableIndex({ name: 'ix_audit_logs_actor', columnNames: ['actor_id'] }),
          new TableIndex({ name: 'ix_audit_logs_action', columnNames: ['action'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_logs');
    await q.dropTable('refresh_tokens');
    await q.dropTable('users');
  }
}
