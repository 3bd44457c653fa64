import type { AssetProfile } from '@app/connectors';
import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonTransformer } from '../../database/json-column';
import { CatalogAssetEntity } from './catalog-asset.entity';
import { bigintNumber } from './column-transformers';

/** A data profile of one asset from one data_profile run; kept per run so trends can be read. */
@Entity('catalog_profiles')
@Index('ix_catalog_profiles_asset_created', ['assetId', 'createdAt'])
@Index('ix_catalog_profiles_execution', ['executionId'])
export class CatalogProfileEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey(() => CatalogAssetEntity, { onDelete: 'CASCADE' })
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

  @Column({ type: 'text', transformer: jsonTransformer<AssetProfile>() })
  profile: AssetProfile;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
