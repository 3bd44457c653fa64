import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonTransformer } from '../../database/json-column';

/** A named group of users that can own things. */
@Entity('teams')
@Index('uq_teams_name', ['name'], { unique: true })
export class TeamEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** User ids. */
  @Column({ type: 'text', transformer: jsonTransformer<string[]>() })
  members: string[];

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
