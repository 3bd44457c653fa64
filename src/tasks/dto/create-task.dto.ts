import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { TASK_TYPES, TaskType } from '@app/connectors';
import { SchedulerType } from '../../scheduling/scheduling-types';
import { TaskConfigDto } from './task-config.dto';
import { TaskScheduleDto } from './task-schedule.dto';

export class CreateTaskDto {
  @ApiProperty({ example: 'daily-collection', maxLength: 128 })
  @IsString()
  @Length(1, 128)
  name: string;

  @ApiProperty({ example: 'ds-01jabcdefghjkmnpqrstvwxyz0' })
  @IsString()
  @Length(1, 40)
  datasource_id: string;

  @ApiProperty({ enum: TASK_TYPES, example: 'full_collection' })
  @IsIn(TASK_TYPES)
  type: TaskType;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  description?: string;

  @ApiPropertyOptional({ type: TaskConfigDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskConfigDto)
  config?: TaskConfigDto;

  @ApiPropertyOptional({ type: TaskScheduleDto, description: 'Default: `{"type":"immediate"}`' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskScheduleDto)
  schedule?: TaskScheduleDto;

  @ApiPropertyOptional({
    enum: SchedulerType,
    default: SchedulerType.Builtin,
    description:
      '`dolphinscheduler` runs the task from DolphinScheduler; 400 SCHEDULER_UNAVAILABLE when DOLPHINSCHEDULER_URL is not set',
  })
  @IsOptional()
  @IsEnum(SchedulerType)
  scheduler_type?: SchedulerType;
}
