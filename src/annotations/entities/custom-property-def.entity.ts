import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';
import { jsonTransformer } from '../../database/json-column';

export const PROPERTY_TYPES = ['string', 'number', 'boolean', 'enum'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** A custom property people may set on targets of one kind (`table`, `topic`, `field`, …, or `*`). */
@Entity('custom_property_defs')
@Index('uq_custom_property_defs_kind_name', ['appliesTo', 'name'], { unique: true })
export class CustomPropertyDefEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'applies_to', type: 'varchar', length: 32 })
  appliesTo: string;

  @Column({ name: 'value_type', type: 'varchar', length: 16 })
  valueType: PropertyType;

  @Column({ name: 'enum_values', type: 'text', nullable: true, transformer: jsonTransformer<string[]>() })
  enumValues: string[] | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
