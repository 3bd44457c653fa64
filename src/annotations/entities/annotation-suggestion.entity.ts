import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonTransformer } from '../../database/json-column';
import { DataSourceEntity } from '../../datasources/data-source.entity';

export const SUGGESTION_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** Why a tag was suggested: counts only, never the values looked at. */
export interface SuggestionEvidence {
  /** The column's name reads like the tag (e.g. `email`, `phone_number`). */
  name_match: boolean;
  /** Values looked at (the profile's top values) and how many the validator accepted. */
  values_checked: number;
  values_matched: number;
}

/** A tag a data profile suggests for a field; it becomes an annotation only when someone accepts it. */
@Entity('annotation_suggestions')
@Index('uq_annotation_suggestions_target_tag', ['targetKey', 'tag'], { unique: true })
@Index('ix_annotation_suggestions_asset', ['dataSourceId', 'namespace', 'assetName'])
export class AnnotationSuggestionEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  /** The field's annotation target key (see qualified-name.ts). */
  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey: string;

  @ForeignKey(() => DataSourceEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'data_source_id', type: 'varchar', length: 40 })
  dataSourceId: string;

  @Column({ type: 'varchar', length: 255 })
  namespace: string;

  @Column({ name: 'asset_name', type: 'varchar', length: 400 })
  assetName: string;

  @Column({ name: 'field_path', type: 'varchar', length: 1024 })
  fieldPath: string;

  @Column({ type: 'varchar', length: 160 })
  tag: string;

  /** 0–100. */
  @Column({ type: 'integer' })
  confidence: number;

  @Column({ type: 'text', transformer: jsonTransformer<SuggestionEvidence>() })
  evidence: SuggestionEvidence;

  @Column({ type: 'varchar', length: 16 })
  status: SuggestionStatus;

  @Column({ name: 'execution_id', type: 'varchar', length: 40, nullable: true })
  executionId: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;

  @Column({ name: 'decided_by', type: 'varchar', length: 64, nullable: true })
  decidedBy: string | null;

  @TimestampColumn({ name: 'decided_at', nullable: true })
  decidedAt: Date | null;
}
