import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonText } from './column-transformers';

/** A database, schema, vhost, keyspace or bucket of one data source. */
@Entity('catalog_namespaces')
export class CatalogNamespaceEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ name: 'data_source_id', type: 'varchar', length: 40 })
  dataSourceId: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  kind: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
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
