import { IsString, Length } from 'class-validator';
import { ListExecutionLogsQueryDto, ListExecutionsQueryDto } from '../executions/dto/execution.dto';
import { UpdateTaskDto } from './dto/update-task.dto';

// The gRPC requests: the REST bodies and queries plus the ids REST takes from the path.

export class UpdateTaskRequestDto extends UpdateTaskDto {
  @IsString()
  @Length(1, 64)
  id: string;
}

export class ListExecutionsRequestDto extends ListExecutionsQueryDto {
  @IsString()
  @Length(1, 64)
  task_id: string;
}

export class ExecutionRefDto {
  @IsString()
  @Length(1, 64)
  task_id: string;

  @IsString()
  @Length(1, 64)
  execution_id: string;
}

export class ListExecutionLogsRequestDto extends ListExecutionLogsQueryDto {
  @IsString()
  @Length(1, 64)
  task_id: string;

  @IsString()
  @Length(1, 64)
  execution_id: string;
}
