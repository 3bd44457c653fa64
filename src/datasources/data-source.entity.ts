import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DataSourceType } from '@app/connectors';
import { TimestampColumn } from '../common/timestamps';

export const DATA_SOURCE_STATUSES = ['active', 'inactive', 'error', 'testing'] as const;
export type DataSourceStatus = (typeof DATA_SOURCE_STATUSES)[number];

@Index('uq_data_sources_name', ['name'], { unique: true })
@Index('ix_data_sources_type', ['type'])
@Index('ix_data_sources_status', ['status', 'lastTestAt'])
@Index('ix_data_sources_created', ['createdAt'])
@Entity('data_sources')
export class DataSourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  type: DataSourceType;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: DataSourceStatus;

  /** JSON text; secret fields hold SecretCipher ciphertext, never clear text. */
  @Column({ type: 'text' })
  config: string;

  /** Bumped on every config change: the version pools are cached under. */
  @Column({ name: 'config_version', type: 'integer', default: 1 })
  configVersion: number;

  /** JSON array of strings. */
  @Column({ type: 'text' })
  tags: string;

  @TimestampColumn({ name: 'last_test_at', nullable: true })
  lastTestAt: Date | null;

  @Column({ name: 'last_latency_ms', type: 'integer', nullable: true })
  lastLatencyMs: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @TimestampColumn({ name: 'status_changed_at' })
  statusChangedAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 40, nullable: true })
  createdBy: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
