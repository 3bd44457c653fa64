import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { idColumn, instant, integer, refColumn, text, varchar } from './columns';

/**
 * Tags a data profile suggests for a field (PII.Email, PII.Phone, …), waiting for someone to accept
 * or reject them. Keyed like annotations, by the field's qualified name, and one row per field and
 * tag, so a rejected suggestion stays rejected on the next run.
 */
export class AnnotationSuggestions1764100020000 implements MigrationInterface {
  name = 'AnnotationSuggestions1764100020000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'annotation_suggestions',
        columns: [
          idColumn(),
          varchar('target_key', 64),
          refColumn('data_source_id'),
          varchar('namespace', 255),
          varchar('asset_name', 400),
          varchar('field_path', 1024),
          varchar('tag', 160),
          integer('confidence'),
          text('evidence', false),
          varchar('status', 16),
          refColumn('execution_id', true),
          instant('created_at'),
          instant('updated_at'),
          varchar('decided_by', 64, true),
          instant('decided_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_annotation_suggestions_target_tag',
            columnNames: ['target_key', 'tag'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_annotation_suggestions_asset',
            columnNames: ['data_source_id', 'namespace', 'asset_name'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['data_source_id'],
            referencedTableName: 'data_sources',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('annotation_suggestions');
  }
}
