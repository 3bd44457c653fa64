import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonTransformer } from '../../database/json-column';
import type { TargetKind } from '../qualified-name';
import type { DocumentChanges } from '../annotation-document';
import { AnnotationTargetEntity } from './annotation-target.entity';

/** One change of one target's annotations: who, when, and each changed key old → new. */
@Entity('annotation_versions')
@Index('ix_annotation_versions_target', ['targetId', 'version'])
@Index('ix_annotation_versions_asset', ['dataSourceId', 'namespace', 'assetName'])
export class AnnotationVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey(() => AnnotationTargetEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'target_id', type: 'varchar', length: 40 })
  targetId: string;

  @Column({ name: 'target_kind', type: 'varchar', length: 16 })
  targetKind: TargetKind;

  @Column({ name: 'data_source_id', type: 'varchar', length: 40 })
  dataSourceId: string;

  @Column({ type: 'varchar', length: 255 })
  namespace: string;

  @Column({ name: 'asset_name', type: 'varchar', length: 400 })
  assetName: string;

  @Column({ name: 'field_path', type: 'varchar', length: 1024 })
  fieldPath: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text', transformer: jsonTransformer<DocumentChanges>() })
  changes: DocumentChanges;

  @Column({ name: 'actor_id', type: 'varchar', length: 40, nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 64, nullable: true })
  actorName: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
