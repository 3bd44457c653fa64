import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { idColumn, instant, integer, refColumn, text, varchar } from './columns';

const cascadeTo = (table: string, column: string) =>
  new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
/** Empty string rather than NULL for "not this level", so the parts stay comparable with `=` everywhere. */
const part = (name: string, length: number): TableColumnOptions => varchar(name, length);
const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: false });

/**
 * What people write about the catalog, apart from what collections read. A target is keyed by
 * its qualified name (data source, namespace, asset, field path; hashed into `target_key`), never
 * by a catalog row id, so it outlives the asset being dropped and re-created. Tags, terms and
 * owners are label rows, so filters are one indexed lookup.
 */
export class Annotations1764100008000 implements MigrationInterface {
  name = 'Annotations1764100008000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'annotation_targets',
        columns: [
          idColumn(),
          varchar('target_key', 64),
          varchar('target_kind', 16),
          refColumn('data_source_id'),
          part('namespace', 255),
          part('asset_name', 400),
          part('field_path', 1024),
          text('description'),
          varchar('certification', 16, true),
          text('certification_note'),
          varchar('certified_by', 64, true),
          instant('certified_at', true),
          text('properties'),
          integer('version', false, 0),
          instant('created_at'),
          instant('updated_at'),
          varchar('updated_by', 64, true),
        ],
        indices: [
          new TableIndex({ name: 'uq_annotation_targets_key', columnNames: ['target_key'], isUnique: true }),
          new TableIndex({
            name: 'ix_annotation_targets_asset',
            columnNames: ['data_source_id', 'namespace', 'asset_name'],
          }),
        ],
        foreignKeys: [cascadeTo('data_sources', 'data_source_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'annotation_labels',
        columns: [
          idColumn(),
          refColumn('target_id'),
          varchar('label_kind', 16),
          varchar('value', 255),
          varchar('detail', 32, true),
          integer('position', false, 0),
        ],
        indices: [
          new TableIndex({ name: 'ix_annotation_labels_kind_value', columnNames: ['label_kind', 'value'] }),
          new TableIndex({ name: 'ix_annotation_labels_target', columnNames: ['target_id'] }),
        ],
        foreignKeys: [cascadeTo('annotation_targets', 'target_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'annotation_versions',
        columns: [
          idColumn(),
          refColumn('target_id'),
          varchar('target_kind', 16),
          refColumn('data_source_id'),
          part('namespace', 255),
          part('asset_name', 400),
          part('field_path', 1024),
          integer('version'),
          text('changes', false),
          refColumn('actor_id', true),
          varchar('actor_name', 64, true),
          instant('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_annotation_versions_target', columnNames: ['target_id', 'version'] }),
          new TableIndex({
            name: 'ix_annotation_versions_asset',
            columnNames: ['data_source_id', 'namespace', 'asset_name'],
          }),
        ],
        foreignKeys: [cascadeTo('annotation_targets', 'target_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'tag_groups',
        columns: [
          idColumn(),
          varchar('name', 64),
          text('description'),
          flag('mutually_exclusive'),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_tag_groups_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'tags',
        columns: [
          idColumn(),
          refColumn('group_id'),
          varchar('name', 64),
          varchar('fqn', 129),
          text('description'),
          instant('created_at'),
        ],
        indices: [new TableIndex({ name: 'uq_tags_fqn', columnNames: ['fqn'], isUnique: true })],
        foreignKeys: [cascadeTo('tag_groups', 'group_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'teams',
        columns: [
          idColumn(),
          varchar('name', 64),
          text('description'),
          text('members', false),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_teams_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'glossaries',
        columns: [
          idColumn(),
          varchar('name', 64),
          text('description'),
          text('owners', false),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_glossaries_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'glossary_terms',
        columns: [
          idColumn(),
          refColumn('glossary_id'),
          refColumn('parent_id', true),
          varchar('name', 128),
          varchar('fqn', 512),
          text('description'),
          text('synonyms', false),
          text('related', false),
          text('owners', false),
          varchar('status', 16),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_glossary_terms_fqn', columnNames: ['fqn'], isUnique: true }),
          new TableIndex({ name: 'ix_glossary_terms_glossary', columnNames: ['glossary_id'] }),
        ],
        foreignKeys: [cascadeTo('glossaries', 'glossary_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'custom_property_defs',
        columns: [
          idColumn(),
          varchar('name', 64),
          varchar('applies_to', 32),
          varchar('value_type', 16),
          text('enum_values'),
          text('description'),
          instant('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_custom_property_defs_kind_name',
            columnNames: ['applies_to', 'name'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'custom_property_defs',
      'glossary_terms',
      'glossaries',
      'teams',
      'tags',
      'tag_groups',
      'annotation_versions',
      'annotation_labels',
      'annotation_targets',
    ])
      await q.dropTable(t);
  }
}
