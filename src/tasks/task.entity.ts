import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../common/timestamps';
import { jsonTransformer as json } from '../database/json-column';
import { TaskType } from '@app/connectors';
import { TaskConfig } from '../executions/run-config';
import { ScheduledTask, SchedulerType, TaskSchedule, TaskStatus } from '../scheduling/scheduling-types';

@Index('ix_tasks_due', ['status', 'nextExecuteAt'])
@Index('ix_tasks_datasource', ['datasourceId'])
@Index('ix_tasks_type', ['type'])
@Index('ix_tasks_created', ['createdAt'])
@Entity('tasks')
export class TaskEntity implements ScheduledTask {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Index('uq_tasks_name', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @ForeignKey('data_sources')
  @Column({ name: 'datasource_id', type: 'varchar', length: 40 })
  datasourceId: string;

  @Column({ type: 'varchar', length: 32 })
  type: TaskType;

  @Column({ type: 'varchar', length: 16 })
  status: TaskStatus;

  @Column({ type: 'text', transformer: json<TaskConfig>() })
  config: TaskConfig;

  @Column({ type: 'text', transformer: json<TaskSchedule>() })
  schedule: TaskSchedule;

  @Column({ name: 'scheduler_type', type: 'varchar', length: 32 })
  schedulerType: SchedulerType;

  /** The next firing the scheduler will claim; the store holds it so every replica agrees. */
  @TimestampColumn({ name: 'next_execute_at', nullable: true })
  nextExecuteAt: Date | null;

  /** The due time of the last firing claimed (the claim's guard value). */
  @TimestampColumn({ name: 'last_fired_at', nullable: true })
  lastFiredAt: Date | null;

  @TimestampColumn({ name: 'last_executed_at', nullable: true })
  lastExecutedAt: Date | null;

  /** DolphinScheduler: the workflow (process definition) code and schedule id this task owns there. */
  @Column({ name: 'external_workflow_code', type: 'varchar', length: 40, nullable: true })
  externalWorkflowCode: string | null;

  @Column({ name: 'external_schedule_id', type: 'varchar', length: 40, nullable: true })
  externalScheduleId: string | null;

  /** The service token embedded in the external workflow's callback (re-pushed once it is revoked). */
  @Column({ name: 'external_credential_id', type: 'varchar', length: 40, nullable: true })
  externalCredentialId: string | null;

  /** Held while a change is pushed to the external scheduler, so replicas never interleave two. */
  @Column({ name: 'sync_lock', type: 'varchar', length: 96, nullable: true, select: false })
  syncLock?: string | null;

  @TimestampColumn({ name: 'sync_lock_until', nullable: true, select: false })
  syncLockUntil?: Date | null;

  @Column({ name: 'created_by', type: 'varchar', length: 40, nullable: true })
  createdBy: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
