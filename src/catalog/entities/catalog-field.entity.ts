import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { jsonTransformer } from '../../database/json-column';
import { CatalogAssetEntity } from './catalog-asset.entity';

/** A column, document field or mapping field of an asset. */
@Entity('catalog_fields')
@Index('ix_catalog_fields_asset_ordinal', ['assetId', 'ordinal'])
@Index('ix_catalog_fields_name_lower', ['nameLower'])
// PostgreSQL's trigram index, made by the migration where pg_trgm is available.
@Index('ix_catalog_fields_name_trgm', { synchronize: false })
export class CatalogFieldEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey(() => CatalogAssetEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'asset_id', type: 'varchar', length: 40 })
  assetId: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ name: 'name_lower', type: 'varchar', length: 255 })
  nameLower: string;

  /** Dotted path of a nested document field; null for flat columns. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  path: string | null;

  @Column({ type: 'integer' })
  ordinal: number;

  /** The type as the source writes it. */
  @Column({ name: 'data_type', type: 'text' })
  dataType: string;

  /** typeFamily(dataType): integer, decimal, string, timestamp, … */
  @Column({ name: 'type_family', type: 'varchar', length: 16 })
  typeFamily: string;

  @Column({ type: 'boolean', default: true })
  nullable: boolean;

  @Column({ name: 'default_value', type: 'text', nullable: true })
  defaultValue: string | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'primary_key', type: 'boolean', default: false })
  primaryKey: boolean;

  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<Record<string, unknown>>() })
  properties: Record<string, unknown> | null;
}
