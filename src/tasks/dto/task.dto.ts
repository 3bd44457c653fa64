import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_TYPES, TaskType } from '@app/connectors';
import { SchedulerType, TaskStatus } from '../../scheduling/scheduling-types';
import { TaskConfigDto } from './task-config.dto';
import { TaskScheduleDto } from './task-schedule.dto';

export class TaskDto {
  @ApiProperty({ example: 'task-01jabcdefghjkmnpqrstvwxyz0' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() datasource_id: string;
  @ApiProperty({ enum: TASK_TYPES }) type: TaskType;
  @ApiProperty({ enum: TaskStatus, description: 'inactive → start → active ⇄ pause/resume ⇄ paused; stop → inactive' })
  status: TaskStatus;
  @ApiProperty({ type: TaskConfigDto, description: 'Defaults filled in' }) config: TaskConfigDto;
  @ApiProperty({ type: TaskScheduleDto }) schedule: TaskScheduleDto;
  @ApiProperty({ enum: SchedulerType }) scheduler_type: SchedulerType;
  @ApiProperty({ nullable: true, type: String, description: 'When its last run began' }) last_executed_at:
    string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The next firing while the task is active; null otherwise',
  })
  next_execute_at: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'dolphinscheduler: the code of the workflow (process definition) it holds',
  })
  external_workflow_code: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'dolphinscheduler: the id of its schedule' })
  external_schedule_id: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) created_by: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class TaskListDto {
  @ApiProperty({ type: [TaskDto] }) tasks: TaskDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}
