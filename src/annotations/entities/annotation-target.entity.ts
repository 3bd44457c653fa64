import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonTransformer } from '../../database/json-column';
import { DataSourceEntity } from '../../datasources/data-source.entity';
import type { TargetKind } from '../qualified-name';

export type CertificationStatus = 'certified' | 'deprecated';
export type PropertyValue = string | number | boolean;

/**
 * What people wrote about one data source, namespace, asset or field, keyed by its qualified name
 * (`targetKey`), not by a catalog row: a dropped and re-created table finds its annotations again.
 */
@Entity('annotation_targets')
@Index('uq_annotation_targets_key', ['targetKey'], { unique: true })
@Index('ix_annotation_targets_asset', ['dataSourceId', 'namespace', 'assetName'])
export class AnnotationTargetEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  /** SHA-256 (hex) of the qualified name; see qualified-name.ts. */
  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey: string;

  @Column({ name: 'target_kind', type: 'varchar', length: 16 })
  targetKind: TargetKind;

  @ForeignKey(() => DataSourceEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'data_source_id', type: 'varchar', length: 40 })
  dataSourceId: string;

  /** '' above the namespace level (likewise `assetName`, `fieldPath`). */
  @Column({ type: 'varchar', length: 255 })
  namespace: string;

  @Column({ name: 'asset_name', type: 'varchar', length: 400 })
  assetName: string;

  @Column({ name: 'field_path', type: 'varchar', length: 1024 })
  fieldPath: string;

  /** Markdown. */
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  certification: CertificationStatus | null;

  @Column({ name: 'certification_note', type: 'text', nullable: true })
  certificationNote: string | null;

  @Column({ name: 'certified_by', type: 'varchar', length: 64, nullable: true })
  certifiedBy: string | null;

  @TimestampColumn({ name: 'certified_at', nullable: true })
  certifiedAt: Date | null;

  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<Record<string, PropertyValue>>() })
  properties: Record<string, PropertyValue> | null;

  /** Bumped by every change; what `If-Match` compares. */
  @Column({ type: 'integer', default: 0 })
  version: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 64, nullable: true })
  updatedBy: string | null;
}
