import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { idColumn, instant, refColumn, text, varchar } from './columns';

const cascadeTo = (table: string, column: string) =>
  new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/**
 * Lineage. A dataset is a node of the graph keyed by what it is (data source, namespace, name; or an
 * OpenLineage namespace and name nobody registered yet), never by a catalog row id, so edges survive a
 * table being dropped and re-created and an external dataset can be adopted by a later registration.
 * Edges join datasets; field edges join their fields and go with their edge. OpenLineage jobs,
 * runs and the events received are kept as sent (facets as JSON text).
 */
export class Lineage1764100019000 implements MigrationInterface {
  name = 'Lineage1764100019000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'lineage_datasets',
        columns: [
          idColumn(),
          varchar('node_key', 64),
          refColumn('data_source_id', true),
          varchar('namespace', 255),
          varchar('name', 1024),
          varchar('ol_namespace', 255, true),
          varchar('ol_name', 1024, true),
          text('unresolved'),
          instant('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_lineage_datasets_key', columnNames: ['node_key'], isUnique: true }),
          new TableIndex({ name: 'ix_lineage_datasets_source', columnNames: ['data_source_id'] }),
        ],
        foreignKeys: [cascadeTo('data_sources', 'data_source_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lineage_jobs',
        columns: [
          idColumn(),
          varchar('job_key', 64),
          varchar('namespace', 255),
          varchar('name', 1024),
          varchar('producer', 1024, true),
          text('facets'),
          refColumn('latest_run_id', true),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_lineage_jobs_key', columnNames: ['job_key'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lineage_runs',
        columns: [
          idColumn(),
          refColumn('job_id'),
          varchar('run_uuid', 64),
          varchar('state', 16),
          instant('started_at', true),
          instant('ended_at', true),
          instant('event_time'),
          text('facets'),
          text('error_message'),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_lineage_runs_uuid', columnNames: ['run_uuid'], isUnique: true }),
          new TableIndex({ name: 'ix_lineage_runs_job', columnNames: ['job_id', 'created_at'] }),
        ],
        foreignKeys: [cascadeTo('lineage_jobs', 'job_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lineage_events',
        columns: [
          idColumn(),
          varchar('event_key', 64),
          varchar('event_type', 16),
          refColumn('run_id', true),
          instant('event_time'),
          text('payload', false),
          instant('received_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_lineage_events_key', columnNames: ['event_key'], isUnique: true }),
          new TableIndex({ name: 'ix_lineage_events_run', columnNames: ['run_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lineage_edges',
        columns: [
          idColumn(),
          varchar('edge_key', 64),
          refColumn('upstream_id'),
          refColumn('downstream_id'),
          varchar('kind', 24),
          varchar('origin_type', 16),
          varchar('origin', 1024),
          refColumn('origin_data_source_id', true),
          refColumn('job_id', true),
          refColumn('run_id', true),
          instant('first_seen_at'),
          instant('last_seen_at'),
          refColumn('last_execution_id', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_lineage_edges_key', columnNames: ['edge_key'], isUnique: true }),
          new TableIndex({ name: 'ix_lineage_edges_up', columnNames: ['upstream_id', 'downstream_id'] }),
          new TableIndex({ name: 'ix_lineage_edges_down', columnNames: ['downstream_id', 'upstream_id'] }),
          new TableIndex({ name: 'ix_lineage_edges_origin_source', columnNames: ['origin_data_source_id'] }),
          new TableIndex({ name: 'ix_lineage_edges_job', columnNames: ['job_id'] }),
        ],
        foreignKeys: [
          cascadeTo('lineage_datasets', 'upstream_id'),
          cascadeTo('lineage_datasets', 'downstream_id'),
          cascadeTo('data_sources', 'origin_data_source_id'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lineage_field_edges',
        columns: [
          idColumn(),
          refColumn('edge_id'),
          refColumn('upstream_id'),
          varchar('upstream_field', 255),
          refColumn('downstream_id'),
          varchar('downstream_field', 255),
          varchar('transformation', 16),
        ],
        indices: [
          new TableIndex({ name: 'ix_lineage_field_edges_edge', columnNames: ['edge_id'] }),
          new TableIndex({
            name: 'ix_lineage_field_edges_up',
            columnNames: ['upstream_id', 'upstream_field'],
          }),
          new TableIndex({
            name: 'ix_lineage_field_edges_down',
            columnNames: ['downstream_id', 'downstream_field'],
          }),
        ],
        foreignKeys: [cascadeTo('lineage_edges', 'edge_id')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'lineage_field_edges',
      'lineage_edges',
      'lineage_events',
      'lineage_runs',
      'lineage_jobs',
      'lineage_datasets',
    ])
      await q.dropTable(table, true);
  }
}
