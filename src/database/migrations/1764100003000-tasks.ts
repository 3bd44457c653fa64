import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { bool, idColumn, instant, integer, refColumn, text, varchar } from './columns';

/** Collection tasks, their executions and the executions' bounded logs. */
export class Tasks1764100003000 implements MigrationInterface {
  name = 'Tasks1764100003000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'tasks',
        columns: [
          idColumn(),
          varchar('name', 128),
          text('description'),
          refColumn('datasource_id'),
          varchar('type', 32),
          varchar('status', 16),
          text('config', false),
          text('schedule', false),
          varchar('scheduler_type', 32),
          instant('next_execute_at', true),
          instant('last_fired_at', true),
          instant('last_executed_at', true),
          refColumn('created_by', true),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_tasks_name', columnNames: ['name'], isUnique: true }),
          // The scheduler's tick: active tasks whose next firing is due.
          new TableIndex({ name: 'ix_tasks_due', columnNames: ['status', 'next_execute_at'] }),
          new TableIndex({ name: 'ix_tasks_datasource', columnNames: ['datasource_id'] }),
          new TableIndex({ name: 'ix_tasks_type', columnNames: ['type'] }),
          new TableIndex({ name: 'ix_tasks_created', columnNames: ['created_at'] }),
        ],
        // No cascade: a data source with tasks cannot be deleted (the API answers 409 first).
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['datasource_id'],
            referencedTableName: 'data_sources',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'task_executions',
        columns: [
          idColumn(),
          refColumn('task_id'),
          refColumn('datasource_id'),
          varchar('task_type', 32),
          varchar('status', 16),
          varchar('triggered_by', 16),
          integer('attempt', false, 1),
          integer('max_attempts', false, 1),
          refColumn('retry_of', true),
          instant('scheduled_at', true),
          instant('not_before'),
          instant('start_time'),
          instant('started_at', true),
          instant('end_time', true),
          refColumn('active_task', true),
          varchar('run_slot', 64, true),
          varchar('owner_id', 96, true),
          instant('lease_expires_at', true),
          bool('cancel_requested', false),
          varchar('cancel_reason', 255, true),
          text('progress'),
          text('result'),
          varchar('error_code', 40, true),
          text('error_message'),
          text('error_details'),
          refColumn('requested_by', true),
        ],
        indices: [
          // Unique while set (NULLs never collide): one pending/running run per task, and at most
          // MAX_CONCURRENT_PER_DATASOURCE running runs per data source, on every replica at once.
          new TableIndex({ name: 'uq_task_executions_active_task', columnNames: ['active_task'], isUnique: true }),
          new TableIndex({ name: 'uq_task_executions_run_slot', columnNames: ['run_slot'], isUnique: true }),
          new TableIndex({ name: 'ix_task_executions_task', columnNames: ['task_id', 'start_time'] }),
          new TableIndex({ name: 'ix_task_executions_queue', columnNames: ['status', 'not_before'] }),
          new TableIndex({ name: 'ix_task_executions_lease', columnNames: ['status', 'lease_expires_at'] }),
          new TableIndex({ name: 'ix_task_executions_datasource', columnNames: ['datasource_id', 'status'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['task_id'],
            referencedTableName: 'tasks',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'task_execution_logs',
        columns: [
          { ...refColumn('execution_id'), isPrimary: true },
          { ...integer('seq'), isPrimary: true },
          instant('at'),
          varchar('level', 8),
          text('message', false),
          text('meta'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['execution_id'],
            referencedTableName: 'task_executions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('task_execution_logs');
    await q.dropTable('task_executions');
    await q.dropTable('tasks');
  }
}
