import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../common/timestamps';

@Index('ix_audit_logs_created', ['createdAt'])
@Index('ix_audit_logs_resource', ['resourceType', 'resourceId'])
@Index('ix_audit_logs_actor', ['actorId'])
@Index('ix_audit_logs_action', ['action'])
@Entity('audit_logs')
export class AuditLogEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @Column({ name: 'actor_id', type: 'varchar', length: 40, nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_username', type: 'varchar', length: 64, nullable: true })
  actorUsername: string | null;

  @Column({ type: 'varchar', length: 96 })
  action: string;

  @Column({ name: 'resource_type', type: 'varchar', length: 32 })
  resourceType: string;

  @Column({ name: 'resource_id', type: 'varchar', length: 64, nullable: true })
  resourceId: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  method: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  path: string | null;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  /** JSON, secrets already masked. */
  @Column({ type: 'text', nullable: true })
  details: string | null;
}
