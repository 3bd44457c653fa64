import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AnnotationTargetEntity } from './annotation-target.entity';

export type LabelKind = 'tag' | 'term' | 'owner';

/**
 * A tag (value: `Group.Tag`), glossary term (value: term id) or owner (value: `user:<id>` or
 * `team:<id>`, detail: the ownership type) on a target: one row each, so filters are an index lookup.
 */
@Entity('annotation_labels')
@Index('ix_annotation_labels_kind_value', ['labelKind', 'value'])
@Index('ix_annotation_labels_target', ['targetId'])
export class AnnotationLabelEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey(() => AnnotationTargetEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'target_id', type: 'varchar', length: 40 })
  targetId: string;

  @Column({ name: 'label_kind', type: 'varchar', length: 16 })
  labelKind: LabelKind;

  @Column({ type: 'varchar', length: 255 })
  value: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  detail: string | null;

  /** Order as written. */
  @Column({ type: 'integer', default: 0 })
  position: number;
}
