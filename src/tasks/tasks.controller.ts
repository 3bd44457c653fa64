import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import { ServiceScope, TASKS_EXECUTE_SCOPE } from '../auth/service-tokens/service-scope';
import { BatchCreateTasksDto, BatchCreateTasksResultDto } from './dto/batch-create-tasks.dto';
import { CreateTaskDto } from './dto/create-task.dto';
import {
  ExecuteTaskDto,
  ExecuteTaskResponseDto,
  ExecutionDto,
  ExecutionListDto,
  ExecutionLogListDto,
  ListExecutionLogsQueryDto,
  ListExecutionsQueryDto,
} from '../executions/dto/execution.dto';
import { ListTasksQueryDto } from './dto/list-tasks-query.dto';
import { TaskDto, TaskListDto } from './dto/task.dto';
import { UpdateTaskDto } from './dto/update-task.dto';
import { TaskExecutionsService } from './task-executions.service';
import { TasksService } from './tasks.service';

@ApiTags('Tasks')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 409, 429, 502)
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly executions: TaskExecutionsService,
  ) {}

  @Requires(Permission.TasksRead)
  @Get()
  @ApiOkResponse({ type: TaskListDto })
  list(@Query() q: ListTasksQueryDto) {
    return this.tasks.list(q);
  }

  @Requires(Permission.TasksWrite)
  @Post()
  @ApiCreatedResponse({ type: TaskDto })
  create(@Body() dto: CreateTaskDto, @CurrentUser() actor: Principal): Promise<TaskDto> {
    return this.tasks.create(dto, actor);
  }

  @Requires(Permission.TasksWrite)
  @Post('batch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create several tasks; each item succeeds or fails on its own' })
  @ApiOkResponse({ type: BatchCreateTasksResultDto })
  createBatch(@Body() dto: BatchCreateTasksDto, @CurrentUser() actor: Principal): Promise<BatchCreateTasksResultDto> {
    return this.tasks.createBatch(dto.tasks, actor);
  }

  @Requires(Permission.TasksRead)
  @Get(':id')
  @ApiOkResponse({ type: TaskDto })
  get(@Param('id') id: string): Promise<TaskDto> {
    return this.tasks.get(id);
  }

  @Requires(Permission.TasksWrite)
  @Put(':id')
  @ApiOperation({ summary: 'Partial update; config merges key by key; a new schedule re-plans the next firing' })
  @ApiOkResponse({ type: TaskDto })
  update(@Param('id') id: string, @Body() dto: UpdateTaskDto): Promise<TaskDto> {
    return this.tasks.update(id, dto);
  }

  @Requires(Permission.TasksWrite)
  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a task, cancelling its running execution first' })
  async remove(@Param('id') id: string): Promise<{ success: true }> {
    await this.tasks.remove(id);
    return { success: true };
  }

  @Requires(Permission.TasksWrite)
  @Post(':id/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'inactive → active; an immediate schedule runs once now' })
  @ApiOkResponse({ type: TaskDto })
  start(@Param('id') id: string): Promise<TaskDto> {
    return this.tasks.start(id);
  }

  @Requires(Permission.TasksWrite)
  @Post(':id/stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'active/paused → inactive; cancels a pending or running execution (within 5 s)' })
  @ApiOkResponse({ type: TaskDto })
  stop(@Param('id') id: string): Promise<TaskDto> {
    return this.tasks.stop(id);
  }

  @Requires(Permission.TasksWrite)
  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'active → paused: no firings; the schedule is kept' })
  @ApiOkResponse({ type: TaskDto })
  pause(@Param('id') id: string): Promise<TaskDto> {
    return this.tasks.pause(id);
  }

  @Requires(Permission.TasksWrite)
  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'paused → active; firings missed while paused are not made up' })
  @ApiOkResponse({ type: TaskDto })
  resume(@Param('id') id: string): Promise<TaskDto> {
    return this.tasks.resume(id);
  }

  @Requires(Permission.TasksRun)
  @Post(':id/execute')
  @HttpCode(202)
  // The one route a DolphinScheduler callback's service token may call.
  @ServiceScope(TASKS_EXECUTE_SCOPE)
  @ApiOperation({
    summary: 'Run now in the background, in any task state; 409 while the task already has a run pending or running',
    description:
      'An active dolphinscheduler task starts a workflow instance there; the run begins when the instance calls back.',
  })
  @ApiAcceptedResponse({ type: ExecuteTaskResponseDto })
  execute(
    @Param('id') id: string,
    @CurrentUser() actor: Principal,
    @Body() body: ExecuteTaskDto,
  ): Promise<ExecuteTaskResponseDto> {
    return this.executions.execute(id, actor, body);
  }

  @Requires(Permission.TasksRead)
  @Get(':id/executions')
  @ApiOkResponse({ type: ExecutionListDto })
  listExecutions(@Param('id') id: string, @Query() q: ListExecutionsQueryDto) {
    return this.executions.list(id, q);
  }

  @Requires(Permission.TasksRead)
  @Get(':id/executions/:executionId')
  @ApiOperation({ summary: 'One execution: progress while it runs, result statistics, error and catalog changes' })
  @ApiOkResponse({ type: ExecutionDto })
  getExecution(@Param('id') id: string, @Param('executionId') executionId: string): Promise<ExecutionDto> {
    return this.executions.get(id, executionId);
  }

  @Requires(Permission.TasksRead)
  @Get(':id/executions/:executionId/logs')
  @ApiOperation({ summary: 'The execution’s structured log (bounded), oldest first; readable while it runs' })
  @ApiOkResponse({ type: ExecutionLogListDto })
  logs(@Param('id') id: string, @Param('executionId') executionId: string, @Query() q: ListExecutionLogsQueryDto) {
    return this.executions.logs(id, executionId, q);
  }
}
