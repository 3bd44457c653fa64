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
import { TaskType } from '@app/connectors';
import { isUniqueViolation } from '../database/store-errors';
import { ExecutionsService } from '../executions/executions.service';
import {
  CONNECTORS_PORT,
  ConnectorsPort,
  DATA_SOURCES_PORT,
  DataSourceForRun,
  DataSourcesPort,
} from '../executions/ports';
import { ExternalRefs, NO_EXTERNAL_REFS, Scheduler } from '../scheduling/scheduler';
import { SchedulerFactory } from '../scheduling/scheduler.factory';
import { ScheduleType, SchedulerType, TaskStatus } from '../scheduling/scheduling-types';
import { TickerService } from '../scheduling/ticker.service';
import { normalizeConfig } from './task-config';
import { TaskEntity } from './task.entity';
import { TaskException } from './task.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { toTaskDto } from './task.mapper';

/** What a life-cycle change asks of the task's scheduler: the hook's result to store, and how to undo the hook. */
interface HookOutcome {
  extra: Partial<TaskEntity>;
  undo: () => Promise<unknown>;
}

/** Tasks: CRUD, the life cycle (start, pause, resume, stop) and batch creation. */
@Injectable()
export class TasksService implements OnModuleInit {
  private readonly logger = new Logger('Tasks');

  constructor(
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    @Inject(DATA_SOURCES_PORT) private readonly dataSources: DataSourcesPort,
    @Inject(CONNECTORS_PORT) private readonly connectors: ConnectorsPort,
    private readonly schedulers: SchedulerFactory,
    private readonly executions: ExecutionsService,
    private readonly ticker: TickerService,
  ) {}

  onModuleInit(): void {
    // A data source with tasks cannot be deleted: DELETE /datasources/{id} answers 409 naming them.
    this.dataSources.registerDependents('tasks', (dataSourceId) =>
      this.tasks.find({
        where: { datasourceId: dataSourceId },
        select: { id: true, name: true },
        order: { name: 'ASC' },
      }),
    );
  }

  async list(q: ListTasksQueryDto) {
    const p = pageRequest(q);
    const where: FindOptionsWhere<TaskEntity> = {};
    if (q.datasource_id) where.datasourceId = q.datasource_id;
    if (q.status) where.status = q.status;
    if (q.type) where.type = q.type;
    const [rows, total] = await this.tasks.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: p.skip,
      take: p.pageSize,
    });
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
    // A new schedule or scheduler is a change of the task's schedule: through the schedulers' hooks.
    if (dto.schedule !== undefined || newType !== task.schedulerType) {
      const involved = [this.schedulers.of(task.schedulerType), this.schedulers.of(newType)];
      await this.schedulers.serialize(id, involved, (locked) => this.reschedule(id, dto, locked ? null : task));
      void this.ticker.kick();
      return this.get(id);
    }
    const now = new Date();
    const changes = await this.plainChanges(task, dto, now);
    const replan = dto.scheduler_type !== undefined;
    if (replan) {
      const newScheduler = this.schedulers.of(newType);
      changes.schedulerType = newScheduler.type;
      // Only the fields that changed are written, so a firing claimed meanwhile is never overwritten.
      if (task.status !== TaskStatus.Inactive) changes.nextExecuteAt = newScheduler.plan(task, now);
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
    if (dto.config !== undefined || dto.type !== undefined)
      changes.config = normalizeConfig(type, dto.config, task.config);
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
   * A schedule change, or a move between schedulers. A move stops the old side before the new
   * side starts: the old scheduler stops firing the task first, then the new one is set up, then
   * the task row is written. Any failure puts the old side back and removes what the new side made.
   */
  private async reschedule(id: string, dto: UpdateTaskDto, read: TaskEntity | null): Promise<void> {
    const task = read ?? (await this.require(id));
    const now = new Date();
    const oldScheduler = this.schedulers.of(task.schedulerType);
    const newScheduler = this.schedulers.of(dto.scheduler_type ?? task.schedulerType);
    const switching = newScheduler !== oldScheduler;
    const changes = await this.plainChanges(task, dto, now);
    // The stored schedule must suit the new scheduler too (e.g. only cron for DolphinScheduler).
    const schedule =
      dto.schedule !== undefined
        ? newScheduler.normalize(dto.schedule, now)
        : switching
          ? newScheduler.normalize({ ...task.schedule }, now)
          : task.schedule;
    const target: TaskEntity = { ...task, ...changes, schedule, schedulerType: newScheduler.type };
    const live = task.status !== TaskStatus.Inactive;
    changes.schedule = schedule;
    changes.nextExecuteAt = live ? newScheduler.plan(target, now) : null;

    if (!switching) {
      const refs = live ? await newScheduler.onScheduleChanged(target, task.schedule) : this.refs(task);
      await this.writeOrUndo(id, { ...changes, ...refs }, target.name, () =>
        live ? oldScheduler.onScheduleChanged(task, schedule) : Promise.resolve(),
      );
      return;
    }

    // 1. The old side stops firing.
    const restoreOld = await oldScheduler.leave(task);
    // 2. The new side starts (an inactive task's schedule is made on its next start).
    let refs: ExternalRefs = NO_EXTERNAL_REFS;
    try {
      if (live) refs = await newScheduler.onStart(target);
    } catch (err) {
      await this.undo('restore the previous scheduler', restoreOld);
      throw err;
    }
    // 3. The task row says so.
    await this.writeOrUndo(id, { ...changes, ...refs, schedulerType: newScheduler.type }, target.name, async () => {
      await newScheduler.onDelete({ ...target, ...refs });
      await restoreOld();
    });
  }

  private refs(task: TaskEntity): ExternalRefs {
    return {
      externalWorkflowCode: task.externalWorkflowCode,
      externalScheduleId: task.externalScheduleId,
      externalCredentialId: task.externalCredentialId,
    };
  }

  /** Writes the task row; when that fails, undoes what was already done elsewhere, then rethrows. */
  private async writeOrUndo(
    id: string,
    changes: Partial<TaskEntity>,
    name: string,
    undo: () => Promise<unknown>,
  ): Promise<void> {
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
    const scheduler = this.schedulers.holding(task);
    await this.schedulers.serialize(id, [scheduler], async (locked) => {
      const current = locked ? await this.require(id) : task;
      // What the scheduler holds goes first: if that fails, the task stays as it was.
      await scheduler.onDelete(current);
      await this.tasks.update(
        { id },
        {
          status: TaskStatus.Inactive,
          nextExecuteAt: null,
          externalWorkflowCode: null,
          externalScheduleId: null,
          updatedAt: new Date(),
        },
      );
      await this.executions.cancelRuns(id, 'the task was deleted');
      await this.tasks.delete({ id });
    });
  }

  async start(id: string): Promise<TaskDto> {
    await this.change(id, 'start', [TaskStatus.Inactive], TaskStatus.Active, async (task, scheduler) => {
      const refs = await scheduler.onStart(task);
      return {
        extra: { nextExecuteAt: scheduler.plan(task, new Date()), ...refs },
        undo: () => scheduler.onStop({ ...task, ...refs }),
      };
    });
    void this.ticker.kick();
    return this.get(id);
  }

  /** No firings while paused; the schedule (and an unfired once/immediate firing) is kept. */
  async pause(id: string): Promise<TaskDto> {
    await this.change(id, 'pause', [TaskStatus.Active], TaskStatus.Paused, async (task, scheduler) => {
      await scheduler.onPause(task);
      return { extra: {}, undo: () => scheduler.onResume(task) };
    });
    return this.get(id);
  }

  /** Firings missed while paused are not made up: cron and interval go on from now. */
  async resume(id: string): Promise<TaskDto> {
    await this.change(id, 'resume', [TaskStatus.Paused], TaskStatus.Active, async (task, scheduler) => {
      const refs = await scheduler.onResume(task);
      return {
        extra: { nextExecuteAt: scheduler.planResume(task, new Date()), ...refs },
        undo: () => scheduler.onPause({ ...task, ...refs }),
      };
    });
    void this.ticker.kick();
    return this.get(id);
  }

  /** active/paused → inactive, cancelling a pending or running execution; on an inactive task it cancels a manual run. */
  async stop(id: string): Promise<TaskDto> {
    const task = await this.require(id);
    if (task.status === TaskStatus.Inactive) {
      const active = await this.executions.activeOf(id);
      if (!active)
        throw TaskException.invalidTransition('stop', task.status, [
          TaskStatus.Active,
          TaskStatus.Paused,
          'running a manual execution',
        ]);
    } else {
      await this.change(
        id,
        'stop',
        [TaskStatus.Active, TaskStatus.Paused],
        TaskStatus.Inactive,
        async (current, scheduler) => {
          await scheduler.onStop(current);
          return {
            extra: { nextExecuteAt: null },
            undo: current.status === TaskStatus.Active ? () => scheduler.onResume(current) : () => Promise.resolve(),
          };
        },
      );
    }
    await this.executions.cancelRuns(id, 'the task was stopped');
    return this.get(id);
  }

  /**
   * The one path of every life-cycle change: the transition is allowed, the scheduler's hook runs,
   * the new state is stored with one conditional UPDATE, and the hook is undone if the store refuses.
   */
  private async change(
    id: string,
    action: string,
    from: TaskStatus[],
    to: TaskStatus,
    hook: (task: TaskEntity, scheduler: Scheduler) => Promise<HookOutcome>,
  ): Promise<void> {
    const task = await this.require(id);
    const scheduler = this.schedulers.of(task.schedulerType);
    await this.schedulers.serialize(id, [scheduler], async (locked) => {
      const current = locked ? await this.require(id) : task;
      this.allowed(current, action, from);
      const { extra, undo } = await hook(current, scheduler);
      try {
        await this.transition(current, action, from, to, extra);
      } catch (err) {
        await this.undo(`undo the scheduler's ${action}`, undo);
        throw err;
      }
    });
  }

  private allowed(task: TaskEntity, action: string, from: TaskStatus[]): void {
    if (!from.includes(task.status)) throw TaskException.invalidTransition(action, task.status, from);
  }

  /** One conditional UPDATE: only from the expected states, so concurrent calls cannot both win. */
  private async transition(
    task: TaskEntity,
    action: string,
    from: TaskStatus[],
    to: TaskStatus,
    extra: Partial<TaskEntity>,
  ): Promise<void> {
    this.allowed(task, action, from);
    const res = await this.tasks.update(
      { id: task.id, status: In(from) },
      { ...extra, status: to, updatedAt: new Date() },
    );
    if (res.affected !== 1) {
      const now = await this.require(task.id);
      throw TaskException.invalidTransition(action, now.status, from);
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
    const supported =
      capabilities.taskTypes.includes(type) && (type !== 'data_profile' || capabilities.profile.length > 0);
    if (!supported) {
      throw new TaskException(
        ErrorReason.UnsupportedTaskType,
        `${ds.type} data sources do not support ${type} tasks`,
        `supported: ${capabilities.taskTypes.filter((t) => t !== 'data_profile' || capabilities.profile.length > 0).join(', ')}`,
      );
    }
  }
}
