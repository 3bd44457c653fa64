import type { CatalogIndex, CatalogKey } from '@app/connectors';
import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonTransformer } from '../../database/json-column';
import { DataSourceEntity } from '../../datasources/data-source.entity';
import { bigintNumber } from './column-transformers';

/**
 * A table, view, collection, topic, queue, bucket, index, key pattern… of one data source. A
 * removed asset keeps its row (with `removedAt`) so its versions stay readable; it comes back
 * as "added" if it reappears.
 */
@Entity('catalog_assets')
@Index('uq_catalog_assets_source_ns_name', ['dataSourceId', 'namespace', 'name'], { unique: true })
@Index('ix_catalog_assets_source_kind', ['dataSourceId', 'kind'])
@Index('ix_catalog_assets_kind_name', ['kind', 'nameLower'])
@Index('ix_catalog_assets_name_lower', ['nameLower'])
// PostgreSQL's trigram index, made by the migration where pg_trgm is available.
@Index('ix_catalog_assets_name_trgm', { synchronize: false })
export class CatalogAssetEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey(() => DataSourceEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'data_source_id', type: 'varchar', length: 40 })
  dataSourceId: string;

  @Column({ type: 'varchar', length: 255 })
  namespace: string;

  @Column({ type: 'varchar', length: 400 })
  name: string;

  /** `name` lower-cased for search and case-insensitive filters. */
  @Column({ name: 'name_lower', type: 'varchar', length: 400 })
  nameLower: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  owner: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<Record<string, unknown>>() })
  properties: Record<string, unknown> | null;

  @Column({ name: 'asset_keys', type: 'text', nullable: true, transformer: jsonTransformer<CatalogKey[]>() })
  keys: CatalogKey[] | null;

  @Column({ name: 'asset_indexes', type: 'text', nullable: true, transformer: jsonTransformer<CatalogIndex[]>() })
  indexes: CatalogIndex[] | null;

  @Column({ name: 'field_count', type: 'integer', default: 0 })
  fieldCount: number;

  @Column({ name: 'row_count', type: 'bigint', nullable: true, transformer: bigintNumber })
  rowCount: number | null;

  @Column({ name: 'size_bytes', type: 'bigint', nullable: true, transformer: bigintNumber })
  sizeBytes: number | null;

  @TimestampColumn({ name: 'stats_at', nullable: true })
  statsAt: Date | null;

  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ name: 'change_signal', type: 'varchar', length: 255, nullable: true })
  changeSignal: string | null;

  @TimestampColumn({ name: 'first_seen_at' })
  firstSeenAt: Date;

  @TimestampColumn({ name: 'last_seen_at' })
  lastSeenAt: Date;

  @Column({ name: 'last_seen_execution_id', type: 'varchar', length: 40, nullable: true })
  lastSeenExecutionId: string | null;

  /** When the shape last changed (added, altered or removed). */
  @TimestampColumn({ name: 'changed_at' })
  changedAt: Date;

  @TimestampColumn({ name: 'removed_at', nullable: true })
  removedAt: Date | null;
}
