import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../common/timestamps';
import { jsonTransformer } from '../database/json-column';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured log line of an execution; at most EXECUTION_LOG_LIMIT per execution. */
@Entity('task_execution_logs')
export class TaskExecutionLogEntity {
  @ForeignKey('task_executions', { onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'execution_id', type: 'varchar', length: 40 })
  executionId: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @TimestampColumn()
  at: Date;

  @Column({ type: 'varchar', length: 8 })
  level: LogLevel;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<Record<string, unknown>>() })
  meta: Record<string, unknown> | null;
}
