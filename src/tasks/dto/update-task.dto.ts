import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { TASK_TYPES, TaskType } from '@app/connectors';
import { SchedulerType } from '../../scheduling/scheduling-types';
import { TaskConfigDto } from './task-config.dto';
import { TaskScheduleDto } from './task-schedule.dto';

/** Partial: absent fields stay; `config` merges key by key; a given `schedule` replaces the old one and re-plans the next firing. */
export class UpdateTaskDto {
  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 40)
  datasource_id?: string;

  @ApiPropertyOptional({ enum: TASK_TYPES })
  @IsOptional()
  @IsIn(TASK_TYPES)
  type?: TaskType;

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

  @ApiPropertyOptional({ type: TaskScheduleDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskScheduleDto)
  schedule?: TaskScheduleDto;

  @ApiPropertyOptional({ enum: SchedulerType })
  @IsOptional()
  @IsEnum(SchedulerType)
  scheduler_type?: SchedulerType;
}
