import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsISO8601, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { TASK_TYPES, TaskType } from '@app/connectors';
import { ExecutionStatus, ExecutionTrigger } from '../execution-types';

/** The execute route's body: empty for people; the external scheduler's callback says which run it is. */
export class ExecuteTaskDto {
  @ApiPropertyOptional({
    example: '4242',
    description: 'Scheduler callback only: the DolphinScheduler workflow instance id (${system.workflow.instance.id})',
  })
  @IsOptional()
  @IsString()
  @Length(0, 64)
  external_id?: string;

  @ApiPropertyOptional({
    description: 'Scheduler callback only: the execution a manual start is waiting for (empty on scheduled firings)',
  })
  @IsOptional()
  @IsString()
  @Length(0, 64)
  execution_id?: string;
}

export class ExecuteTaskResponseDto {
  @ApiProperty({ example: 'exec-01jabcdefghjkmnpqrstvwxyz0' }) execution_id: string;
  @ApiProperty() task_id: string;
  @ApiProperty({ enum: [ExecutionStatus.Pending] }) status: ExecutionStatus;
  @ApiProperty({ example: '2024-01-01T00:00:00Z' }) start_time: string;
}

export class ExecutionProgressDto {
  @ApiProperty({ description: 'Assets (tables, topics, …) done so far' }) assets_done: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Assets known to be in scope, where the source can tell' })
  assets_known: number | null;
  @ApiProperty({ nullable: true, type: Number }) percent: number | null;
  @ApiProperty({ example: 'collecting' }) phase: string;
}

export class ExecutionResultDto {
  @ApiProperty({ description: 'Assets (tables, views, topics, …) collected or profiled' }) tables_processed: number;
  @ApiProperty({ description: 'Collections: fields/columns read; data_profile: rows profiled' })
  records_processed: number;
  @ApiProperty() errors_count: number;
  @ApiProperty() warnings_count: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) processing_stats: Record<string, unknown>;
  @ApiProperty({ description: 'Milliseconds' }) duration: number;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'Catalog changes this run made',
  })
  changes: Record<string, number> | null;
}

export class ExecutionErrorDto {
  @ApiProperty({
    example: 'TIMEOUT',
    description:
      'TIMEOUT, INTERRUPTED, CANCELLED, DATASOURCE_INACTIVE, DATASOURCE_NOT_FOUND, a connector code (AUTH_FAILED, UNREACHABLE, …) or INTERNAL',
  })
  code: string;
  @ApiProperty() message: string;
  @ApiProperty({ nullable: true, type: String }) details: string | null;
}

export class ExecutionDto {
  @ApiProperty() id: string;
  @ApiProperty() task_id: string;
  @ApiProperty() datasource_id: string;
  @ApiProperty({ enum: TASK_TYPES }) task_type: TaskType;
  @ApiProperty({ enum: ExecutionStatus }) status: ExecutionStatus;
  @ApiProperty({ enum: ExecutionTrigger }) trigger: ExecutionTrigger;
  @ApiProperty({ description: '1 for the first attempt' }) attempt: number;
  @ApiProperty() max_attempts: number;
  @ApiProperty({ nullable: true, type: String, description: 'The first attempt this one retries' }) retry_of:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The firing it was created for' }) scheduled_at:
    string | null;
  @ApiProperty({ description: 'When it was requested' }) start_time: string;
  @ApiProperty({ nullable: true, type: String, description: 'When a runner began it' }) started_at: string | null;
  @ApiProperty({ nullable: true, type: String }) end_time: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Milliseconds from started_at to end_time (or to now while running)',
  })
  duration: number | null;
  @ApiProperty({ type: ExecutionProgressDto, nullable: true }) progress: ExecutionProgressDto | null;
  @ApiProperty({ type: ExecutionResultDto, nullable: true }) result: ExecutionResultDto | null;
  @ApiProperty({ type: ExecutionErrorDto, nullable: true }) error: ExecutionErrorDto | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The external scheduler run it belongs to (DolphinScheduler workflow instance id)',
  })
  external_id: string | null;
  @ApiPropertyOptional({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'Catalog versions this run recorded (detail view)',
  })
  changes?: unknown;
}

export class ExecutionListDto {
  @ApiProperty({ type: [ExecutionDto] }) executions: ExecutionDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}

export class ListExecutionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ExecutionStatus })
  @IsOptional()
  @IsEnum(ExecutionStatus)
  status?: ExecutionStatus;

  @ApiPropertyOptional({
    example: '2024-01-01T00:00:00Z',
    description: 'Executions requested at or after this instant',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  start_time?: string;

  @ApiPropertyOptional({
    example: '2024-01-02T00:00:00Z',
    description: 'Executions requested at or before this instant',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  end_time?: string;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export class ListExecutionLogsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LOG_LEVELS, description: 'Only lines at this level or above' })
  @IsOptional()
  @IsIn(LOG_LEVELS)
  level?: (typeof LOG_LEVELS)[number];
}

export class ExecutionLogDto {
  @ApiProperty() seq: number;
  @ApiProperty() time: string;
  @ApiProperty({ enum: LOG_LEVELS }) level: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) meta: Record<string, unknown> | null;
}

export class ExecutionLogListDto {
  @ApiProperty({ type: [ExecutionLogDto] }) logs: ExecutionLogDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}
