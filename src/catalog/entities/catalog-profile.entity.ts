import type { AssetProfile } from '@app/connectors';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { bigintNumber, jsonText } from './column-transformers';

/** A data profile of one asset from one data_profile run; kept per run so trends can be read. */
@Entity('catalog_profiles')
export class CatalogProfileEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ name: 'asset_id', type: 'varchar', length: 40 })
  assetId: string;

  @Column({ name: 'data_source_id', type: 'varchar', length: 40 })
  dataSourceId: string;

  @Column({ name: 'execution_id', type: 'varchar', length: 40, nullable: true })
  executionId: string | null;

  @Column({ name: 'row_count', type: 'bigint', nullable: true, transformer: bigintNumber })
  rowCount: number | null;

  @Column({ type: 'boolean', default: false })
  sampled: boolean;

  @Column({ type: 'text', transformer: jsonText })
  profile: AssetProfile;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
