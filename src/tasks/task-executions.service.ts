import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, FindOptionsWhere, In, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import { pageOf, pageRequest } from '../common/http/pagination';
import { iso } from '../common/timestamps';
import { Principal } from '../auth/role';
import { DomainException } from '../common/errors/domain.exception';
import { ExecuteTaskDto, ExecuteTaskResponseDto, ExecutionDto, ListExecutionLogsQueryDto, ListExecutionsQueryDto, LOG_LEVELS } from './dto/execution.dto';
import { ExecutionStore } from './runner/execution-store';
import { CATALOG_PORT, CatalogPort } from './runner/ports';
import { DsCallbacks } from './scheduler/dolphinscheduler/ds-callbacks.service';
import { Schedulers } from './scheduler/schedulers';
import { TasksTicker } from './scheduler/tasks-ticker.service';
import { TaskExecutionLogEntity } from './task-execution-log.entity';
import { TaskExecutionEntity } from './task-execution.entity';
import { TaskEntity } from './task.entity';
import { TaskException } from './task.exception';
import { toExecutionDto, toLogDto } from './task.mapper';
import { ExecutionStatus, SchedulerType, TaskStatus } from './task-types';

/** Executions: run now, history, one execution with its progress and catalog changes, and its logs. */
@Injectable()
export class TaskExecutionsService {
  private readonly logger = new Logger('TaskExecutions');

  constructor(
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    @InjectRepository(TaskExecutionEntity) private readonly executions: Repository<TaskExecutionEntity>,
    @InjectRepository(TaskExecutionLogEntity) private readonly logRows: Repository<TaskExecutionLogEntity>,
    @Inject(CATALOG_PORT) private readonly catalog: CatalogPort,
    private readonly store: ExecutionStore,
    private readonly ticker: TasksTicker,
    private readonly schedulers: Schedulers,
    private readonly callbacks: DsCallbacks,
  ) {}

  /**
   * Runs the task now, whatever its state; 409 while it has a run pending or running. An active
   * task that DolphinScheduler schedules starts a workflow instance there (the run begins when its
   * callback arrives); the callback itself (a service token) runs the execution of that instance.
   */
  async execute(taskId: string, actor: Principal | null, body: ExecuteTaskDto = {}): Promise<ExecuteTaskResponseDto> {
    const task = await this.requireTask(taskId);
    if (actor?.service) return this.callbacks.accept(task, body);
    if (body.external_id || body.execution_id) throw DomainException.invalid('external_id and execution_id are sent by the scheduler callback only', 'Call execute with an empty body');
    if (task.schedulerType !== SchedulerType.Builtin && task.status === TaskStatus.Active) {
      const started = await this.schedulers.of(task.schedulerType).executeNow(task, actor);
      if (started) return started;
    }
    const execution = await this.store.insertManual(task, actor?.id ?? null, new Date());
    void this.ticker.kick();
    return { execution_id: execution.id, task_id: task.id, status: ExecutionStatus.Pending, start_time: iso(execution.startTime)! };
  }

  async list(taskId: string, q: ListExecutionsQueryDto) {
    await this.requireTask(taskId);
    const p = pageRequest(q);
    const where: FindOptionsWhere<TaskExecutionEntity> = { taskId };
    if (q.status) where.status = q.status;
    const from = q.start_time ? new Date(q.start_time) : undefined;
    const to = q.end_time ? new Date(q.end_time) : undefined;
    if (from && to) where.startTime = Between(from, to);
    else if (from) where.startTime = MoreThanOrEqual(from);
    else if (to) where.startTime = LessThanOrEqual(to);
    const [rows, total] = await this.executions.findAndCount({ where, order: { startTime: 'DESC', id: 'DESC' }, skip: p.skip, take: p.pageSize });
    const now = new Date();
    return pageOf(
      'executions',
      rows.map((r) => toExecutionDto(r, now)),
      total,
      p,
    );
  }

  async get(taskId: string, executionId: string): Promise<ExecutionDto> {
    const execution = await this.requireExecution(taskId, executionId);
    const dto = toExecutionDto(execution);
    if (execution.status !== ExecutionStatus.Pending) {
      try {
        dto.changes = await this.catalog.changesOfExecution(execution.id);
      } catch (err) {
        this.logger.warn({ err, execution_id: execution.id }, 'Could not read the catalog changes of an execution');
        dto.changes = null;
      }
    }
    return dto;
  }

  async logs(taskId: string, executionId: string, q: ListExecutionLogsQueryDto) {
    await this.requireExecution(taskId, executionId);
    const p = pageRequest(q);
    const where: FindOptionsWhere<TaskExecutionLogEntity> = { executionId };
    if (q.level) where.level = In(LOG_LEVELS.slice(LOG_LEVELS.indexOf(q.level)));
    const [rows, total] = await this.logRows.findAndCount({ where, order: { seq: 'ASC' }, skip: p.skip, take: p.pageSize });
    return pageOf('logs', rows.map(toLogDto), total, p);
  }

  private async requireTask(id: string): Promise<TaskEntity> {
    const task = await this.tasks.findOne({ where: { id } });
    if (!task) throw TaskException.taskNotFound(id);
    return task;
  }

  private async requireExecution(taskId: string, executionId: string): Promise<TaskExecutionEntity> {
    await this.requireTask(taskId);
    const execution = await this.executions.findOne({ where: { id: executionId, taskId } });
    if (!execution) throw TaskException.executionNotFound(taskId, executionId);
    return execution;
  }
}
