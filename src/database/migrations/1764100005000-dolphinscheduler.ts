import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { idColumn, instant, refColumn, text, varchar } from './columns';

/**
 * DolphinScheduler as a second scheduler: the external ids a task keeps, the process instance an
 * execution belongs to, a short lock serialising a task's external changes across replicas, and
 * the narrowly scoped service tokens the scheduler calls back with.
 */
export class Dolphinscheduler1764100005000 implements MigrationInterface {
  name = 'Dolphinscheduler1764100005000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('tasks', [
      new TableColumn(varchar('external_workflow_code', 40, true)),
      new TableColumn(varchar('external_schedule_id', 40, true)),
      new TableColumn(refColumn('external_credential_id', true)),
      new TableColumn(varchar('sync_lock', 96, true)),
      new TableColumn(instant('sync_lock_until', true)),
    ]);
    await q.addColumn('task_executions', new TableColumn(varchar('external_id', 64, true)));
    // One execution per process instance and attempt, whichever replica the callback reaches.
    await q.createIndex(
      'task_executions',
      new TableIndex({ name: 'uq_task_executions_external', columnNames: ['external_id', 'attempt'], isUnique: true }),
    );
    await q.createTable(
      new Table({
        name: 'service_tokens',
        columns: [
          idColumn(),
          varchar('name', 128),
          varchar('scope', 64),
          varchar('token_hash', 64),
          // Ciphertext of the token, kept only for tokens this service embeds in another system.
          text('sealed'),
          // The manager's name while the token is its active one (unique), null once revoked.
          varchar('active_for', 64, true),
          refColumn('created_by', true),
          instant('created_at'),
          instant('last_used_at', true),
          instant('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_service_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'uq_service_tokens_active_for', columnNames: ['active_for'], isUnique: true }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('service_tokens');
    await q.dropIndex('task_executions', 'uq_task_executions_external');
    await q.dropColumn('task_executions', 'external_id');
    for (const c of [
      'sync_lock_until',
      'sync_lock',
      'external_credential_id',
      'external_schedule_id',
      'external_workflow_code',
    ])
      await q.dropColumn('tasks', c);
  }
}
