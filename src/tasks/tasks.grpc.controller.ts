import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { map, Observable } from 'rxjs';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import type { SuccessResponse } from '../grpc/generated/metadata/v1/common';
import type { ExecutionChanges } from '../grpc/generated/metadata/v1/metadata';
import type {
  Execution,
  ExecutionEvent,
  ExecuteTaskResponse,
  ListExecutionLogsResponse,
  ListExecutionsResponse,
  ListTasksResponse,
  Task,
} from '../grpc/generated/metadata/v1/tasks';
import { IdRequestDto } from '../grpc/id-request.dto';
import { CreateTaskDto } from './dto/create-task.dto';
import { ExecutionDto } from '../executions/dto/execution.dto';
import { ListTasksQueryDto } from './dto/list-tasks-query.dto';
import { watchExecution } from '../executions/execution-watch';
import { TaskExecutionsService } from './task-executions.service';
import { TasksService } from './tasks.service';
import {
  ExecutionRefDto,
  ListExecutionLogsRequestDto,
  ListExecutionsRequestDto,
  UpdateTaskRequestDto,
} from './tasks.grpc.dto';

const WATCH_POLL_MS = 500;

/** The service types an execution's catalog changes loosely (they come from the catalog feature); they are ExecutionChanges. */
function toExecution(dto: ExecutionDto): Execution {
  return { ...dto, changes: dto.changes as ExecutionChanges | null | undefined };
}

/** metadata.v1.TaskService: the REST task and execution calls over gRPC, through the same services and roles. */
@Controller()
export class TasksGrpcController {
  constructor(
    private readonly tasks: TasksService,
    private readonly executions: TaskExecutionsService,
  ) {}

  @Requires(Permission.TasksRead)
  @GrpcMethod('TaskService', 'List')
  list(@Payload() q: ListTasksQueryDto): Promise<ListTasksResponse> {
    return this.tasks.list(q);
  }

  @Requires(Permission.TasksWrite)
  @GrpcMethod('TaskService', 'Create')
  create(@Payload() dto: CreateTaskDto, @CurrentUser() actor: Principal): Promise<Task> {
    return this.tasks.create(dto, actor);
  }

  @Requires(Permission.TasksRead)
  @GrpcMethod('TaskService', 'Get')
  get(@Payload() req: IdRequestDto): Promise<Task> {
    return this.tasks.get(req.id);
  }

  @Requires(Permission.TasksWrite)
  @GrpcMethod('TaskService', 'Update')
  update(@Payload() req: UpdateTaskRequestDto): Promise<Task> {
    const { id, ...patch } = req;
    return this.tasks.update(id, patch);
  }

  @Requires(Permission.TasksWrite)
  @GrpcMethod('TaskService', 'Delete')
  async delete(@Payload() req: IdRequestDto): Promise<SuccessResponse> {
    await this.tasks.remove(req.id);
    return { success: true };
  }

  @Requires(Permission.TasksWrite)
  @GrpcMethod('TaskService', 'Start')
  start(@Payload() req: IdRequestDto): Promise<Task> {
    return this.tasks.start(req.id);
  }

  @Requires(Permission.TasksWrite)
  @GrpcMethod('TaskService', 'Stop')
  stop(@Payload() req: IdRequestDto): Promise<Task> {
    return this.tasks.stop(req.id);
  }

  @Requires(Permission.TasksWrite)
  @GrpcMethod('TaskService', 'Pause')
  pause(@Payload() req: IdRequestDto): Promise<Task> {
    return this.tasks.pause(req.id);
  }

  @Requires(Permission.TasksWrite)
  @GrpcMethod('TaskService', 'Resume')
  resume(@Payload() req: IdRequestDto): Promise<Task> {
    return this.tasks.resume(req.id);
  }

  @Requires(Permission.TasksRun)
  @GrpcMethod('TaskService', 'Execute')
  execute(@Payload() req: IdRequestDto, @CurrentUser() actor: Principal): Promise<ExecuteTaskResponse> {
    return this.executions.execute(req.id, actor);
  }

  @Requires(Permission.TasksRead)
  @GrpcMethod('TaskService', 'ListExecutions')
  async listExecutions(@Payload() req: ListExecutionsRequestDto): Promise<ListExecutionsResponse> {
    const { task_id, ...q } = req;
    const page = await this.executions.list(task_id, q);
    return { ...page, executions: page.executions.map(toExecution) };
  }

  @Requires(Permission.TasksRead)
  @GrpcMethod('TaskService', 'GetExecution')
  async getExecution(@Payload() req: ExecutionRefDto): Promise<Execution> {
    return toExecution(await this.executions.get(req.task_id, req.execution_id));
  }

  @Requires(Permission.TasksRead)
  @GrpcMethod('TaskService', 'ListExecutionLogs')
  listExecutionLogs(@Payload() req: ListExecutionLogsRequestDto): Promise<ListExecutionLogsResponse> {
    const { task_id, execution_id, ...q } = req;
    return this.executions.logs(task_id, execution_id, q);
  }

  @Requires(Permission.TasksRead)
  @GrpcMethod('TaskService', 'WatchExecution')
  watchExecution(@Payload() req: ExecutionRefDto): Observable<ExecutionEvent> {
    return watchExecution(this.executions, req.task_id, req.execution_id, { pollMs: WATCH_POLL_MS }).pipe(
      map((event) => ('execution' in event ? { execution: toExecution(event.execution) } : event)),
    );
  }
}
