import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import type { AssetDiff } from '../shape/asset-diff';
import { jsonTransformer } from '../../database/json-column';
import { CatalogAssetEntity } from './catalog-asset.entity';

export type ChangeType = 'added' | 'removed' | 'altered';

/** One change of one asset found by one run, with the field-level diff. */
@Entity('catalog_versions')
@Index('ix_catalog_versions_asset_created', ['assetId', 'createdAt'])
@Index('ix_catalog_versions_execution', ['executionId'])
@Index('ix_catalog_versions_source_created', ['dataSourceId', 'createdAt'])
export class CatalogVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey(() => CatalogAssetEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'asset_id', type: 'varchar', length: 40 })
  assetId: string;

  @Column({ name: 'data_source_id', type: 'varchar', length: 40 })
  dataSourceId: string;

  @Column({ name: 'execution_id', type: 'varchar', length: 40, nullable: true })
  executionId: string | null;

  @Column({ name: 'change_type', type: 'varchar', length: 16 })
  changeType: ChangeType;

  @Column({ type: 'varchar', length: 255 })
  namespace: string;

  @Column({ name: 'asset_name', type: 'varchar', length: 400 })
  assetName: string;

  @Column({ name: 'asset_kind', type: 'varchar', length: 32 })
  assetKind: string;

  @Column({ name: 'fields_added', type: 'integer', default: 0 })
  fieldsAdded: number;

  @Column({ name: 'fields_removed', type: 'integer', default: 0 })
  fieldsRemoved: number;

  @Column({ name: 'fields_altered', type: 'integer', default: 0 })
  fieldsAltered: number;

  @Column({ type: 'text', transformer: jsonTransformer<AssetDiff>() })
  diff: AssetDiff;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
