import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DataSourceType } from '@app/connectors';
import { TimestampColumn } from '../common/timestamps';

@Index('uq_templates_type_name', ['type', 'name'], { unique: true })
@Index('ix_templates_created', ['createdAt'])
@Entity('templates')
export class TemplateEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  type: DataSourceType;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** JSON text; secret fields hold SecretCipher ciphertext. */
  @Column({ name: 'config_template', type: 'text' })
  configTemplate: string;

  /** Built in and read-only. */
  @Column({ name: 'is_system', type: 'boolean', default: false })
  isSystem: boolean;

  @Column({ name: 'created_by', type: 'varchar', length: 40, nullable: true })
  createdBy: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
