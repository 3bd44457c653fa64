import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonTransformer } from '../../database/json-column';

export const TERM_STATUSES = ['draft', 'approved', 'deprecated'] as const;
export type TermStatus = (typeof TERM_STATUSES)[number];

/** Owners as written (`{user}` or `{team}` by name, with a type); see annotation-document.ts. */
export interface StoredOwner {
  kind: 'user' | 'team';
  id: string;
  type: string;
}

@Entity('glossaries')
@Index('uq_glossaries_name', ['name'], { unique: true })
export class GlossaryEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', transformer: jsonTransformer<StoredOwner[]>() })
  owners: StoredOwner[];

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}

/** A term of a glossary; `parentId` nests it, `fqn` is `Glossary.Parent.Term`. */
@Entity('glossary_terms')
@Index('uq_glossary_terms_fqn', ['fqn'], { unique: true })
@Index('ix_glossary_terms_glossary', ['glossaryId'])
export class GlossaryTermEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey(() => GlossaryEntity, { onDelete: 'CASCADE' })
  @Column({ name: 'glossary_id', type: 'varchar', length: 40 })
  glossaryId: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 40, nullable: true })
  parentId: string | null;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 512 })
  fqn: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', transformer: jsonTransformer<string[]>() })
  synonyms: string[];

  /** Ids of related terms. */
  @Column({ type: 'text', transformer: jsonTransformer<string[]>() })
  related: string[];

  @Column({ type: 'text', transformer: jsonTransformer<StoredOwner[]>() })
  owners: StoredOwner[];

  @Column({ type: 'varchar', length: 16 })
  status: TermStatus;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
