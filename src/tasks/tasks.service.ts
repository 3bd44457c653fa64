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
import { isUniqueViolation } from '../database/store-errors';
import { TaskRunner } from './runner/task-runner.service';
import { ExternalRefs } from './scheduler/scheduler';
import { Schedulers } from './scheduler/schedulers';
import { TasksTicker } from './scheduler/tasks-ticker.service';
import { normalizeConfig } from './task-config';
import { TaskExecutionEntity } from './task-execution.entity';
import { TaskEntity } from './task.entity';
import { TaskErrorCode, TaskException } from './task.exception';
import { TaskLock } from './task-lock';
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
    private readonly lock: TaskLock,
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
      externalWorkflowCode: null,
      externalScheduleId: null,
      externalCredentialId: null,
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
    const newType = dto.scheduler_type ?? task.schedulerType;
    const switching = newType !== task.schedulerType;
    // A change that an external scheduler must hear of is pushed there first, under the task's lock.
    const external = switching ? this.isExternal(task.schedulerType) || this.isExternal(newType) : dto.schedule !== undefined && this.isExternal(task.schedulerType);
    if (external) {
      await this.lock.run(id, () => this.updateExternal(id, dto));
      return this.get(id);
    }
    const now = new Date();
    const changes = await this.plainChanges(task, dto, now);
    const replan = dto.schedule !== undefined || dto.scheduler_type !== undefined;
    if (replan) {
      const scheduler = this.schedulers.of(newType);
      if (dto.scheduler_type !== undefined) changes.schedulerType = newType;
      if (dto.schedule !== undefined) changes.schedule = scheduler.normalize(dto.schedule, now);
      // Only the fields that changed are written, so a firing claimed meanwhile is never overwritten.
      if (task.status !== TaskStatus.Inactive) changes.nextExecuteAt = scheduler.plan({ schedule: changes.schedule ?? task.schedule, lastFiredAt: task.lastFiredAt }, now);
    }
    await this.write(id, changes, dto.name ?? task.name);
    if (replan) void this.ticker.kick();
    return this.get(id);
  }

  /** The changes of an update that no scheduler cares about: name, description, data source, type, config. */
  private async plainChanges(task: TaskEntity, dto: UpdateTaskDto, now: Date): Promise<Partial<TaskEntity>> {
    const changes: Partial<TaskEntity> = { updatedAt: now };
    const type = dto.type ?? task.type;
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.datasource_id !== undefined || dto.type !== undefined) {
      const ds = await this.requireDataSource(dto.datasource_id ?? task.datasourceId);
      this.checkTaskType(ds, type);
      changes.datasourceId = ds.id;
      changes.type = type;
    }
    if (dto.config !== undefined || dto.type !== undefined) changes.config = normalizeConfig(type, dto.config, task.config);
    return changes;
  }

  private async write(id: string, changes: Partial<TaskEntity>, name: string): Promise<void> {
    try {
      await this.tasks.update({ id }, changes);
    } catch (err) {
      if (isUniqueViolation(err)) throw TaskException.nameTaken(name);
      throw err;
    }
  }

  /**
   * A schedule change of an externally scheduled task, or a move between schedulers. A move stops
   * the old side before the new side starts: the builtin's next firing is cleared (or the external
   * workflow removed) first, then the new scheduler is set up, then the task row is written. Any
   * failure puts the old side back and removes what the new side made.
   */
  private async updateExternal(id: string, dto: UpdateTaskDto): Promise<void> {
    const task = await this.require(id);
    const now = new Date();
    const oldScheduler = this.schedulers.of(task.schedulerType);
    const newScheduler = this.schedulers.of(dto.scheduler_type ?? task.schedulerType);
    const switching = newScheduler.type !== oldScheduler.type;
    const changes = await this.plainChanges(task, dto, now);
    // The stored schedule must suit the new scheduler too (e.g. only cron for DolphinScheduler).
    const schedule = dto.schedule !== undefined ? newScheduler.normalize(dto.schedule, now) : switching ? newScheduler.normalize({ ...task.schedule }, now) : task.schedule;
    const target: TaskEntity = { ...task, ...changes, schedule, schedulerType: newScheduler.type };
    const live = task.status !== TaskStatus.Inactive;
    changes.schedule = schedule;
    changes.nextExecuteAt = live ? newScheduler.plan(target, now) : null;

    if (!switching) {
      const refs = live ? await newScheduler.onScheduleChanged(target, task.schedule) : this.refs(task);
      await this.writeOrUndo(id, { ...changes, ...refs }, target.name, () => (live ? oldScheduler.onScheduleChanged(task, schedule) : Promise.resolve()));
      return;
    }

    // 1. The old side stops firing.
    if (oldScheduler.external) await oldScheduler.onDelete(task);
    else await this.tasks.update({ id, schedulerType: task.schedulerType }, { nextExecuteAt: null });
    const restoreOld = async () => {
      if (oldScheduler.external) {
        if (live) await this.tasks.update({ id }, await oldScheduler.onStart(task));
      } else {
        await this.tasks.update({ id }, { nextExecuteAt: task.nextExecuteAt });
      }
    };
    // 2. The new side starts (an inactive task's external schedule is made on its next start).
    let refs: ExternalRefs = { externalWorkflowCode: null, externalScheduleId: null, externalCredentialId: null };
    try {
      if (newScheduler.external && live) refs = await newScheduler.onStart(target);
    } catch (err) {
      await this.undo('restore the previous scheduler', restoreOld);
      throw err;
    }
    // 3. The task row says so.
    await this.writeOrUndo(id, { ...changes, ...refs, schedulerType: newScheduler.type }, target.name, async () => {
      if (newScheduler.external) await newScheduler.onDelete({ ...target, ...refs });
      await restoreOld();
    });
    void this.ticker.kick();
  }

  private refs(task: TaskEntity): ExternalRefs {
    return { externalWorkflowCode: task.externalWorkflowCode, externalScheduleId: task.externalScheduleId, externalCredentialId: task.externalCredentialId };
  }

  private isExternal(type: TaskEntity['schedulerType']): boolean {
    return this.schedulers.of(type).external;
  }

  /** Writes the task row; when that fails, undoes what was already done elsewhere, then rethrows. */
  private async writeOrUndo(id: string, changes: Partial<TaskEntity>, name: string, undo: () => Promise<unknown>): Promise<void> {
    try {
      await this.write(id, changes, name);
    } catch (err) {
      await this.undo('undo the external change after the store refused the task', undo);
      throw err;
    }
  }

  private async undo(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.logger.error({ err }, `Could not ${what}`);
    }
  }

  /** Deletes a task, cancelling its run first (executions and their logs go with it). */
  async remove(id: string): Promise<void> {
    const task = await this.require(id);
    // A task that never reached an external scheduler is deleted here alone (even once that scheduler is unconfigured).
    const scheduler = task.externalWorkflowCode ? this.schedulers.of(task.schedulerType) : this.schedulers.of(SchedulerType.Builtin);
    if (!scheduler.external) {
      await this.tasks.update({ id }, { status: TaskStatus.Inactive, nextExecuteAt: null, updatedAt: new Date() });
      await this.cancelRuns(id, 'the task was deleted');
      await this.tasks.delete({ id });
      return;
    }
    await this.lock.run(id, async () => {
      const current = await this.require(id);
      // What DolphinScheduler holds goes first: if that fails, the task stays as it was.
      await scheduler.onDelete(current);
      await this.tasks.update({ id }, { status: TaskStatus.Inactive, nextExecuteAt: null, externalWorkflowCode: null, externalScheduleId: null, updatedAt: new Date() });
      await this.cancelRuns(id, 'the task was deleted');
      await this.tasks.delete({ id });
    });
  }

  async start(id: string): Promise<TaskDto> {
    const task = await this.require(id);
    const scheduler = this.schedulers.of(task.schedulerType);
    if (!scheduler.external) {
      const next = scheduler.plan(task, new Date());
      await this.transition(task, 'start', [TaskStatus.Inactive], TaskStatus.Active, { nextExecuteAt: next });
      void this.ticker.kick();
      return this.get(id);
    }
    await this.lock.run(id, async () => {
      const current = await this.require(id);
      this.allowed(current, 'start', [TaskStatus.Inactive]);
      const refs = await scheduler.onStart(current);
      const next = scheduler.plan(current, new Date());
      await this.transitionOrUndo(current, 'start', [TaskStatus.Inactive], TaskStatus.Active, { nextExecuteAt: next, ...refs }, () => scheduler.onStop({ ...current, ...refs }));
    });
    return this.get(id);
  }

  /** No firings while paused; the schedule (and an unfired once/immediate firing) is kept. */
  async pause(id: string): Promise<TaskDto> {
    const task = await this.require(id);
    const scheduler = this.schedulers.of(task.schedulerType);
    if (!scheduler.external) {
      await this.transition(task, 'pause', [TaskStatus.Active], TaskStatus.Paused, {});
      return this.get(id);
    }
    await this.lock.run(id, async () => {
      const current = await this.require(id);
      this.allowed(current, 'pause', [TaskStatus.Active]);
      await scheduler.onPause(current);
      await this.transitionOrUndo(current, 'pause', [TaskStatus.Active], TaskStatus.Paused, {}, () => scheduler.onResume(current));
    });
    return this.get(id);
  }

  /** Firings missed while paused are not made up: cron and interval go on from now. */
  async resume(id: string): Promise<TaskDto> {
    const task = await this.require(id);
    const scheduler = this.schedulers.of(task.schedulerType);
    if (!scheduler.external) {
      const now = new Date();
      const kept = task.nextExecuteAt;
      const keep = kept && (task.schedule.type === ScheduleType.Once || task.schedule.type === ScheduleType.Immediate || kept.getTime() > now.getTime());
      const next = keep ? kept : scheduler.plan(task, now);
      await this.transition(task, 'resume', [TaskStatus.Paused], TaskStatus.Active, { nextExecuteAt: next });
      void this.ticker.kick();
      return this.get(id);
    }
    await this.lock.run(id, async () => {
      const current = await this.require(id);
      this.allowed(current, 'resume', [TaskStatus.Paused]);
      const refs = await scheduler.onResume(current);
      const next = scheduler.plan(current, new Date());
      await this.transitionOrUndo(current, 'resume', [TaskStatus.Paused], TaskStatus.Active, { nextExecuteAt: next, ...refs }, () => scheduler.onPause({ ...current, ...refs }));
    });
    return this.get(id);
  }

  /** active/paused → inactive, cancelling a pending or running execution; on an inactive task it cancels a manual run. */
  async stop(id: string): Promise<TaskDto> {
    const task = await this.require(id);
    if (task.status === TaskStatus.Inactive) {
      const active = await this.store.activeOf(id);
      if (!active) throw TaskException.invalidTransition('stop', task.status, [TaskStatus.Active, TaskStatus.Paused, 'running a manual execution']);
    } else {
      const scheduler = this.schedulers.of(task.schedulerType);
      if (!scheduler.external) {
        await this.transition(task, 'stop', [TaskStatus.Active, TaskStatus.Paused], TaskStatus.Inactive, { nextExecuteAt: null });
      } else {
        await this.lock.run(id, async () => {
          const current = await this.require(id);
          this.allowed(current, 'stop', [TaskStatus.Active, TaskStatus.Paused]);
          await scheduler.onStop(current);
          const restore: () => Promise<unknown> = current.status === TaskStatus.Active ? () => scheduler.onResume(current) : () => Promise.resolve();
          await this.transitionOrUndo(current, 'stop', [TaskStatus.Active, TaskStatus.Paused], TaskStatus.Inactive, { nextExecuteAt: null }, restore);
        });
      }
    }
    await this.cancelRuns(id, 'the task was stopped');
    return this.get(id);
  }

  private allowed(task: TaskEntity, action: string, from: TaskStatus[]): void {
    if (!from.includes(task.status)) throw TaskException.invalidTransition(action, task.status, from);
  }

  /** The transition, undoing the external scheduler's change when the store refuses it. */
  private async transitionOrUndo(task: TaskEntity, action: string, from: TaskStatus[], to: TaskStatus, extra: Partial<TaskEntity>, undo: () => Promise<unknown>): Promise<void> {
    try {
      await this.transition(task, action, from, to, extra);
    } catch (err) {
      await this.undo(`undo the external scheduler's ${action}`, undo);
      throw err;
    }
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
