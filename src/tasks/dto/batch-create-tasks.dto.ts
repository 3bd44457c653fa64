import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject } from 'class-validator';
import { CreateTaskDto } from './create-task.dto';
import { TaskDto } from './task.dto';

/** Each item is checked on its own so one bad item does not refuse the others. */
export class BatchCreateTasksDto {
  @ApiProperty({ type: [CreateTaskDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  tasks: Record<string, unknown>[];
}

export class BatchItemErrorDto {
  @ApiProperty({ example: 'INVALID_REQUEST' }) code: string;
  @ApiProperty() message: string;
  @ApiProperty() details: string;
}

export class BatchItemResultDto {
  @ApiProperty({ description: 'Position in the request' }) index: number;
  @ApiProperty() success: boolean;
  @ApiProperty({ type: TaskDto, required: false }) task?: TaskDto;
  @ApiProperty({ type: BatchItemErrorDto, required: false }) error?: BatchItemErrorDto;
}

export class BatchCreateTasksResultDto {
  @ApiProperty() total: number;
  @ApiProperty() success: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: [BatchItemResultDto] }) results: BatchItemResultDto[];
}
