import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Principal } from '../auth/role';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { iso } from '../common/timestamps';
import {
  ExecuteTaskDto,
  ExecuteTaskResponseDto,
  ExecutionDto,
  ListExecutionLogsQueryDto,
  ListExecutionsQueryDto,
} from '../executions/dto/execution.dto';
import { ExecutionsService } from '../executions/executions.service';
import { ExecutionStatus } from '../executions/execution-types';
import { DsCallbacksService } from '../scheduling/dolphinscheduler/ds-callbacks.service';
import { SchedulerFactory } from '../scheduling/scheduler.factory';
import { TaskStatus } from '../scheduling/scheduling-types';
import { TickerService } from '../scheduling/ticker.service';
import { TaskEntity } from './task.entity';
import { TaskException } from './task.exception';

/** A task's executions as the API shows them: run now, history, one execution, its logs (404 for an unknown task first). */
@Injectable()
export class TaskExecutionsService {
  constructor(
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    private readonly executions: ExecutionsService,
    private readonly schedulers: SchedulerFactory,
    private readonly ticker: TickerService,
    private readonly callbacks: DsCallbacksService,
  ) {}

  /**
   * Runs the task now, whatever its state; 409 while it has a run pending or running. An active
   * task's scheduler may start the run itself (DolphinScheduler starts a workflow instance whose
   * callback begins the run); a scheduler's callback (a service token) runs the execution of that instance.
   */
  async execute(taskId: string, actor: Principal | null, body: ExecuteTaskDto = {}): Promise<ExecuteTaskResponseDto> {
    const task = await this.requireTask(taskId);
    if (actor?.service) return this.callbacks.accept(task, body);
    if (body.external_id || body.execution_id)
      throw new DomainException(
        ErrorReason.CallbackInvalid,
        'external_id and execution_id are sent by the scheduler callback only',
        'Call execute with an empty body',
      );
    if (task.status === TaskStatus.Active) {
      const started = await this.schedulers.of(task.schedulerType).executeNow(task, actor);
      if (started) return started;
    }
    const execution = await this.executions.queueManual(task, actor?.id ?? null, new Date());
    void this.ticker.kick();
    return {
      execution_id: execution.id,
      task_id: task.id,
      status: ExecutionStatus.Pending,
      start_time: iso(execution.startTime)!,
    };
  }

  async list(taskId: string, q: ListExecutionsQueryDto) {
    await this.requireTask(taskId);
    return this.executions.list(taskId, q);
  }

  async get(taskId: string, executionId: string): Promise<ExecutionDto> {
    await this.requireTask(taskId);
    return this.executions.get(taskId, executionId);
  }

  async logs(taskId: string, executionId: string, q: ListExecutionLogsQueryDto) {
    await this.requireTask(taskId);
    return this.executions.logs(taskId, executionId, q);
  }

  private async requireTask(id: string): Promise<TaskEntity> {
    const task = await this.tasks.findOne({ where: { id } });
    if (!task) throw TaskException.taskNotFound(id);
    return task;
  }
}
