import { iso } from '../common/timestamps';
import { ExecutionDto, ExecutionLogDto } from './dto/execution.dto';
import { ExecutionStatus } from './execution-types';
import { TaskExecutionLogEntity } from './task-execution-log.entity';
import { TaskExecutionEntity } from './task-execution.entity';

export function toExecutionDto(e: TaskExecutionEntity, now = new Date()): ExecutionDto {
  const end = e.endTime ?? (e.status === ExecutionStatus.Running ? now : null);
  return {
    id: e.id,
    task_id: e.taskId,
    datasource_id: e.datasourceId,
    task_type: e.taskType,
    status: e.status,
    trigger: e.trigger,
    attempt: e.attempt,
    max_attempts: e.maxAttempts,
    retry_of: e.retryOf,
    scheduled_at: iso(e.scheduledAt),
    start_time: iso(e.startTime)!,
    started_at: iso(e.startedAt),
    end_time: iso(e.endTime),
    duration: e.startedAt && end ? Math.max(0, end.getTime() - e.startedAt.getTime()) : null,
    progress: e.progress,
    result: e.result,
    error: e.errorCode ? { code: e.errorCode, message: e.errorMessage ?? '', details: e.errorDetails } : null,
    // `trigger:<code>` is internal bookkeeping until the instance is known.
    external_id: e.externalId && !e.externalId.startsWith('trigger:') ? e.externalId : null,
  };
}

export function toLogDto(l: TaskExecutionLogEntity): ExecutionLogDto {
  return { seq: l.seq, time: iso(l.at)!, level: l.level, message: l.message, meta: l.meta };
}
