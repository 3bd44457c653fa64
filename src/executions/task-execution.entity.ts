import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../common/timestamps';
import { jsonTransformer } from '../database/json-column';
import { TaskType } from '@app/connectors';
import { ExecutionStatus, ExecutionTrigger } from './execution-types';

export interface ExecutionProgress {
  assets_done: number;
  assets_known: number | null;
  percent: number | null;
  phase: string;
}

export interface ExecutionResult {
  tables_processed: number;
  records_processed: number;
  errors_count: number;
  warnings_count: number;
  processing_stats: Record<string, unknown>;
  /** Milliseconds the run took. */
  duration: number;
  changes: Record<string, number> | null;
}

@Index('uq_task_executions_active_task', ['activeTask'], { unique: true })
@Index('uq_task_executions_run_slot', ['runSlot'], { unique: true })
@Index('ix_task_executions_task', ['taskId', 'startTime'])
@Index('ix_task_executions_queue', ['status', 'notBefore'])
@Index('ix_task_executions_lease', ['status', 'leaseExpiresAt'])
@Index('ix_task_executions_datasource', ['datasourceId', 'status'])
@Index('uq_task_executions_external', ['externalId', 'attempt'], { unique: true })
@Entity('task_executions')
export class TaskExecutionEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @ForeignKey('tasks', { onDelete: 'CASCADE' })
  @Column({ name: 'task_id', type: 'varchar', length: 40 })
  taskId: string;

  @Column({ name: 'datasource_id', type: 'varchar', length: 40 })
  datasourceId: string;

  @Column({ name: 'task_type', type: 'varchar', length: 32 })
  taskType: TaskType;

  @Column({ type: 'varchar', length: 16 })
  status: ExecutionStatus;

  @Column({ name: 'triggered_by', type: 'varchar', length: 16 })
  trigger: ExecutionTrigger;

  @Column({ type: 'integer', default: 1 })
  attempt: number;

  @Column({ name: 'max_attempts', type: 'integer', default: 1 })
  maxAttempts: number;

  /** The first attempt of a chain of retries. */
  @Column({ name: 'retry_of', type: 'varchar', length: 40, nullable: true })
  retryOf: string | null;

  /** The firing this execution was created for (scheduled runs). */
  @TimestampColumn({ name: 'scheduled_at', nullable: true })
  scheduledAt: Date | null;

  /** Not started before this instant (retry back-off). */
  @TimestampColumn({ name: 'not_before' })
  notBefore: Date;

  /** When the execution was requested (the seed's `start_time`). */
  @TimestampColumn({ name: 'start_time' })
  startTime: Date;

  /** When a runner began it. */
  @TimestampColumn({ name: 'started_at', nullable: true })
  startedAt: Date | null;

  @TimestampColumn({ name: 'end_time', nullable: true })
  endTime: Date | null;

  /** The task id while pending or running: a unique index makes "one run per task" hold across replicas. */
  @Column({ name: 'active_task', type: 'varchar', length: 40, nullable: true })
  activeTask: string | null;

  /** `<datasource_id>#<n>` while running: a unique index bounds runs per data source across replicas. */
  @Column({ name: 'run_slot', type: 'varchar', length: 64, nullable: true })
  runSlot: string | null;

  @Column({ name: 'owner_id', type: 'varchar', length: 96, nullable: true })
  ownerId: string | null;

  @TimestampColumn({ name: 'lease_expires_at', nullable: true })
  leaseExpiresAt: Date | null;

  @Column({ name: 'cancel_requested', type: 'boolean', default: false })
  cancelRequested: boolean;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 255, nullable: true })
  cancelReason: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<ExecutionProgress>() })
  progress: ExecutionProgress | null;

  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<ExecutionResult>() })
  result: ExecutionResult | null;

  @Column({ name: 'error_code', type: 'varchar', length: 40, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'error_details', type: 'text', nullable: true })
  errorDetails: string | null;

  /**
   * The external scheduler's run this execution belongs to: a DolphinScheduler process instance id,
   * or `trigger:<code>` while a manual start has not yet been matched to its instance.
   */
  @Column({ name: 'external_id', type: 'varchar', length: 64, nullable: true })
  externalId: string | null;

  @Column({ name: 'requested_by', type: 'varchar', length: 40, nullable: true })
  requestedBy: string | null;
}
