import { iso } from '../common/timestamps';
import { TaskStatus } from '../scheduling/scheduling-types';
import { TaskDto } from './dto/task.dto';
import { TaskEntity } from './task.entity';

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
