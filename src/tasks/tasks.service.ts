import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, In, Repository } from 'typeorm';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { normalizeError } from '../common/errors/error-envelope';
import { pageOf, pageRequest } from '../common/http/pagination';
import { newId } from '../common/ids';
import { Principal } from '../auth/role';
import { BatchCreateTasksResultDto, BatchItemResultDto } from './dto/batch-create-tasks.dto';
import { CreateTaskDto } from './dto/create-task.dto';
import { ListTasksQueryDto } from './dto/list-tasks-query.dto';
import { TaskDto } from './dto/task.dto';
import { UpdateTaskDto } from './dto/update-task.dto';
import { validateItem } from './dto/validate-item';
import { ExecutionStore } from './runner/execution-store';
import { CONNECTORS_PORT, ConnectorsPort, DATA_SOURCES_PORT, DataSourceForRun, DataSourcesPort } from './runner/ports';
import { isUniqueViolation } from './runner/store-errors';
import { TaskRunner } from './runner/task-runner.service';
import { Schedulers } from './scheduler/schedulers';
import { TasksTicker } from './scheduler/tasks-ticker.service';
import { normalizeConfig } from './task-config';
import { TaskExecutionEntity } from './task-execution.entity';
import { TaskEntity } from './task.entity';
import { TaskErrorCode, TaskException } from './task.exception';
import { toTaskDto } from './task.mapper';
import { ExecutionStatus, ScheduleType, SchedulerType, TaskStatus, TaskType } from './task-types';

/** How long stop and delete wait for a running execution to end after cancelling it. */
const CANCEL_WAIT_MS = 5000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Tasks: CRUD, the life cycle (start, pause, resume, stop) and batch creation. */
@Injectable()
export class TasksService implements OnModuleInit {
  private readonly logger = new Logger('Tasks');

  constructor(
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    @InjectRepository(TaskExecutionEntity) private readonly executions: Repository<TaskExecutionEntity>,
    @Inject(DATA_SOURCES_PORT) private readonly dataSources: DataSourcesPort,
    @Inject(CONNECTORS_PORT) private readonly connectors: ConnectorsPort,
    private readonly schedulers: Schedulers,
    private readonly store: ExecutionStore,
    private readonly runner: TaskRunner,
    private readonly ticker: TasksTicker,
  ) {}

  onModuleInit(): void {
    // A data source with tasks cannot be deleted: DELETE /datasources/{id} answers 409 naming them.
    this.dataSources.registerDependents('tasks', (dataSourceId) => this.tasks.find({ where: { datasourceId: dataSourceId }, select: { id: true, name: true }, order: { name: 'ASC' } }));
  }

  async list(q: ListTasksQueryDto) {
    const p = pageRequest(q);
    const where: FindOptionsWhere<TaskEntity> = {};
    if (q.datasource_id) where.datasourceId = q.datasource_id;
    if (q.status) where.status = q.status;
    if (q.type) where.type = q.type;
    const [rows, total] = await this.tasks.findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, skip: p.skip, take: p.pageSize });
    return pageOf('tasks', rows.map(toTaskDto), total, p);
  }

  async get(id: string): Promise<TaskDto> {
    return toTaskDto(await this.require(id));
  }

  async require(id: string): Promise<TaskEntity> {
    const task = await this.tasks.findOne({ where: { id } });
    if (!task) throw TaskException.taskNotFound(id);
    return task;
  }

  async create(dto: CreateTaskDto, actor: Principal | null): Promise<TaskDto> {
    const now = new Date();
    const schedulerType = dto.scheduler_type ?? SchedulerType.Builtin;
    const scheduler = this.schedulers.of(schedulerType);
    const ds = await this.requireDataSource(dto.datasource_id);
    this.checkTaskType(ds, dto.type);
    const schedule = scheduler.normalize(dto.schedule ?? { type: ScheduleType.Immediate }, now);
    const task = this.tasks.create({
      id: newId('task'),
      name: dto.name,
      description: dto.description ?? null,
      datasourceId: ds.id,
      type: dto.type,
      status: TaskStatus.Inactive,
      config: normalizeConfig(dto.type, dto.config),
      schedule,
      schedulerType,
      nextExecuteAt: null,
      lastFiredAt: null,
      lastExecutedAt: null,
      createdBy: actor?.id ?? null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.tasks.insert(task);
    } catch (err) {
      if (isUniqueViolation(err)) throw TaskException.nameTaken(dto.name);
      throw err;
    }
    return toTaskDto(task);
  }

  /** Creates each item on its own; one item's failure does not stop the others. */
  async createBatch(items: unknown[], actor: Principal | null): Promise<BatchCreateTasksResultDto> {
    const results: BatchItemResultDto[] = [];
    for (const [index, item] of items.entries()) {
      try {
        const dto = await validateItem(CreateTaskDto, item);
        results.push({ index, success: true, task: await this.create(dto, actor) });
      } catch (err) {
        const e = normalizeError(err);
        if (e.unexpected) this.logger.error({ err, index }, 'Creating a task of a batch failed');
        results.push({ index, success: false, error: { code: e.code, message: e.message, details: e.details ?? '' } });
      }
    }
    const success = results.filter((r) => r.success).length;
    return { total: items.length, success, failed: items.length - success, results };
  }

  /** Partial update: absent fields stay, config merges key by key, a new schedule re-plans the next firing. */
  async update(id: string, dto: UpdateTaskDto): Promise<TaskDto> {
    const task = await this.require(id);
    const now = new Date();
    const changes: Partial<TaskEntity> = { updatedAt: now };
    const type = dto.type ?? task.type;
    const schedulerType = dto.scheduler_type ?? task.schedulerType;
    const scheduler = this.schedulers.of(schedulerType);
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.datasource_id !== undefined || dto.type !== undefined) {
      const ds = await this.requireDataSource(dto.datasource_id ?? task.datasourceId);
      this.checkTaskType(ds, type);
      changes.datasourceId = ds.id;
      changes.type = type;
    }
    if (dto.config !== undefined || dto.type !== undefined) changes.config = normalizeConfig(type, dto.config, task.config);
    if (dto.scheduler_type !== undefined) changes.schedulerType = schedulerType;
    if (dto.schedule !== undefined) changes.schedule = scheduler.normalize(dto.schedule, now);
    const replan = dto.schedule !== undefined || dto.scheduler_type !== undefined;
    // Only the fields that changed are written, so a firing claimed meanwhile is never overwritten.
    if (replan && task.status !== TaskStatus.Inactive) {
      changes.nextExecuteAt = scheduler.plan({ schedule: changes.schedule ?? task.schedule, lastFiredAt: task.lastFiredAt }, now);
    }
    try {
      await this.tasks.update({ id }, changes);
    } catch (err) {
      if (isUniqueViolation(err)) throw TaskException.nameTaken(dto.name ?? task.name);
      throw err;
    }
    if (replan) void this.ticker.kick();
    return this.get(id);
  }

  /** Deletes a task, cancelling its run first (executions and their logs go with it). */
  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.tasks.update({ id }, { status: TaskStatus.Inactive, nextExecuteAt: null, updatedAt: new Date() });
    await this.cancelRuns(id, 'the task was deleted');
    await this.tasks.delete({ id });
  }

  async start(id: string): Promise<TaskDto> {
    const task = await this.require(id);
    const now = new Date();
    const next = this.schedulers.of(task.schedulerType).plan(task, now);
    await this.transition(task, 'start', [TaskStatus.Inactive], TaskStatus.Active, { nextExecuteAt: next });
    void this.ticker.kick();
    return this.get(id);
  }

  /** No firings while paused; the schedule (and an unfired once/immediate firing) is kept. */
  async pause(id: string): Promise<TaskDto> {
    const task = await this.require(id);
    await this.transition(task, 'pause', [TaskStatus.Active], TaskStatus.Paused, {});
    return this.get(id);
  }

  /** Firings missed while paused are not made up: cron and interval go on from now. */
  async resume(id: string): Promise<TaskDto> {
    const task = await this.require(id);
    const now = new Date();
    const kept = task.nextExecuteAt;
    const keep = kept && (task.schedule.type === ScheduleType.Once || task.schedule.type === ScheduleType.Immediate || kept.getTime() > now.getTime());
    const next = keep ? kept : this.schedulers.of(task.schedulerType).plan(task, now);
    await this.transition(task, 'resume', [TaskStatus.Paused], TaskStatus.Active, { nextExecuteAt: next });
    void this.ticker.kick();
    return this.get(id);
  }

  /** active/paused → inactive, cancelling a pending or running execution; on an inactive task it cancels a manual run. */
  async stop(id: string): Promise<TaskDto> {
    const task = await this.require(id);
    if (task.status === TaskStatus.Inactive) {
      const active = await this.store.activeOf(id);
      if (!active) throw TaskException.invalidTransition('stop', task.status, [TaskStatus.Active, TaskStatus.Paused, 'running a manual execution']);
    } else {
      await this.transition(task, 'stop', [TaskStatus.Active, TaskStatus.Paused], TaskStatus.Inactive, { nextExecuteAt: null });
    }
    await this.cancelRuns(id, 'the task was stopped');
    return this.get(id);
  }

  /** One conditional UPDATE: only from the expected states, so concurrent calls cannot both win. */
  private async transition(task: TaskEntity, action: string, from: TaskStatus[], to: TaskStatus, extra: Partial<TaskEntity>): Promise<void> {
    if (!from.includes(task.status)) throw TaskException.invalidTransition(action, task.status, from);
    const res = await this.tasks.update({ id: task.id, status: In(from) }, { ...extra, status: to, updatedAt: new Date() });
    if (res.affected !== 1) {
      const now = await this.require(task.id);
      throw TaskException.invalidTransition(action, now.status, from);
    }
  }

  /** Cancels pending runs, asks running ones to stop (here at once, elsewhere on their next heartbeat) and waits up to 5 s. */
  private async cancelRuns(taskId: string, reason: string): Promise<void> {
    await this.store.cancelPending(taskId, reason, new Date());
    const running = await this.store.requestCancel(taskId, reason);
    for (const run of running) this.runner.cancelLocal(run.id, reason);
    const ids = running.map((r) => r.id);
    const deadline = Date.now() + CANCEL_WAIT_MS;
    while (ids.length && Date.now() < deadline) {
      const still = await this.executions.count({ where: { id: In(ids), status: ExecutionStatus.Running } });
      if (!still) return;
      await sleep(100);
    }
  }

  private async requireDataSource(id: string): Promise<DataSourceForRun> {
    try {
      return await this.dataSources.requireForRun(id);
    } catch (err) {
      if (err instanceof DomainException && err.code === ErrorCode.NotFound) throw TaskException.dataSourceNotFound(id);
      throw err;
    }
  }

  private checkTaskType(ds: DataSourceForRun, type: TaskType): void {
    if (!this.connectors.registry.has(ds.type)) return;
    const capabilities = this.connectors.registry.get(ds.type).capabilities;
    const supported = capabilities.taskTypes.includes(type) && (type !== 'data_profile' || capabilities.profile.length > 0);
    if (!supported) {
      throw new TaskException(
        TaskErrorCode.UnsupportedTaskType,
        `${ds.type} data sources do not support ${type} tasks`,
        `supported: ${capabilities.taskTypes.filter((t) => t !== 'data_profile' || capabilities.profile.length > 0).join(', ')}`,
      );
    }
  }
}
