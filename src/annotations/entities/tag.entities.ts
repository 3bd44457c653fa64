import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';

/** A set of tags an admin or steward defines; in a mutually exclusive group a target carries at most one. */
@Entity('tag_groups')
@Index('uq_tag_groups_name', ['name'], { unique: true })
export class TagGroupEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'mutually_exclusive', type: 'boolean' })
  mutuallyExclusive: boolean;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}

/** One tag of a group; targets refer to it by `fqn` (`PII.Email`). */
@Entity('tags')
@Index('uq_tags_fqn', ['fqn'], { unique: true })
export class TagEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey(() => TagGroupEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'group_id', type: 'varchar', length: 40 })
  groupId: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 129 })
  fqn: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
