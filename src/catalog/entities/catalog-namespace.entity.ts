import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonTransformer } from '../../database/json-column';
import { DataSourceEntity } from '../../datasources/data-source.entity';

/** A database, schema, vhost, keyspace or bucket of one data source. */
@Entity('catalog_namespaces')
@Index('uq_catalog_namespaces_source_name', ['dataSourceId', 'name'], { unique: true })
export class CatalogNamespaceEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey(() => DataSourceEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'data_source_id', type: 'varchar', length: 40 })
  dataSourceId: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  kind: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<Record<string, unknown>>() })
  properties: Record<string, unknown> | null;

  @TimestampColumn({ name: 'first_seen_at' })
  firstSeenAt: Date;

  @TimestampColumn({ name: 'last_seen_at' })
  lastSeenAt: Date;

  @Column({ name: 'last_seen_execution_id', type: 'varchar', length: 40, nullable: true })
  lastSeenExecutionId: string | null;

  @TimestampColumn({ name: 'removed_at', nullable: true })
  removedAt: Date | null;
}
