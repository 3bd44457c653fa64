import { iso } from '../common/timestamps';
import { ExecutionDto, ExecutionLogDto } from './dto/execution.dto';
import { TaskDto } from './dto/task.dto';
import { TaskExecutionLogEntity } from './task-execution-log.entity';
import { TaskExecutionEntity } from './task-execution.entity';
import { TaskEntity } from './task.entity';
import { ExecutionStatus, TaskStatus } from './task-types';

export function toTaskDto(t: TaskEntity): TaskDto {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    datasource_id: t.datasourceId,
    type: t.type,
    status: t.status,
    config: t.config,
    schedule: t.schedule,
    scheduler_type: t.schedulerType,
    last_executed_at: iso(t.lastExecutedAt),
    // Only an active task fires; a paused one keeps its schedule but has no next firing.
    next_execute_at: t.status === TaskStatus.Active ? iso(t.nextExecuteAt) : null,
    external_workflow_code: t.externalWorkflowCode ?? null,
    external_schedule_id: t.externalScheduleId ?? null,
    created_by: t.createdBy,
    created_at: iso(t.createdAt)!,
    updated_at: iso(t.updatedAt)!,
  };
}

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
