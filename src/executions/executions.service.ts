import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, FindOptionsWhere, In, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import { pageOf, pageRequest } from '../common/http/pagination';
import { ExecutionDto, ListExecutionLogsQueryDto, ListExecutionsQueryDto, LOG_LEVELS } from './dto/execution.dto';
import { ExecutionException } from './execution.exception';
import { toExecutionDto, toLogDto } from './execution.mapper';
import { ExecutionStoreService } from './execution-store.service';
import { ExecutionStatus } from './execution-types';
import { CATALOG_PORT, CatalogPort, TaskForRun } from './ports';
import { ExecutionRunnerService } from './runner/execution-runner.service';
import { TaskExecutionLogEntity } from './task-execution-log.entity';
import { TaskExecutionEntity } from './task-execution.entity';

/** How long stop and delete wait for a running execution to end after cancelling it. */
const CANCEL_WAIT_MS = 5000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A task's executions: queue a manual run, cancel runs, history, one execution with its catalog changes, and its logs. */
@Injectable()
export class ExecutionsService {
  private readonly logger = new Logger('TaskExecutions');

  constructor(
    @InjectRepository(TaskExecutionEntity) private readonly executions: Repository<TaskExecutionEntity>,
    @InjectRepository(TaskExecutionLogEntity) private readonly logRows: Repository<TaskExecutionLogEntity>,
    @Inject(CATALOG_PORT) private readonly catalog: CatalogPort,
    private readonly store: ExecutionStoreService,
    private readonly runner: ExecutionRunnerService,
  ) {}

  /** Queues a manual run; 409 while the task has one pending or running. */
  queueManual(task: TaskForRun, requestedBy: string | null, now: Date): Promise<TaskExecutionEntity> {
    return this.store.insertManual(task, requestedBy, now);
  }

  /** The task's pending or running execution, if any. */
  activeOf(taskId: string): Promise<TaskExecutionEntity | null> {
    return this.store.activeOf(taskId);
  }

  /** Cancels pending runs, asks running ones to stop (here at once, elsewhere on their next heartbeat) and waits up to 5 s. */
  async cancelRuns(taskId: string, reason: string): Promise<void> {
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

  async list(taskId: string, q: ListExecutionsQueryDto) {
    const p = pageRequest(q);
    const where: FindOptionsWhere<TaskExecutionEntity> = { taskId };
    if (q.status) where.status = q.status;
    const from = q.start_time ? new Date(q.start_time) : undefined;
    const to = q.end_time ? new Date(q.end_time) : undefined;
    if (from && to) where.startTime = Between(from, to);
    else if (from) where.startTime = MoreThanOrEqual(from);
    else if (to) where.startTime = LessThanOrEqual(to);
    const [rows, total] = await this.executions.findAndCount({
      where,
      order: { startTime: 'DESC', id: 'DESC' },
      skip: p.skip,
      take: p.pageSize,
    });
    const now = new Date();
    return pageOf(
      'executions',
      rows.map((r) => toExecutionDto(r, now)),
      total,
      p,
    );
  }

  async get(taskId: string, executionId: string): Promise<ExecutionDto> {
    const execution = await this.require(taskId, executionId);
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
    await this.require(taskId, executionId);
    const p = pageRequest(q);
    const where: FindOptionsWhere<TaskExecutionLogEntity> = { executionId };
    if (q.level) where.level = In(LOG_LEVELS.slice(LOG_LEVELS.indexOf(q.level)));
    const [rows, total] = await this.logRows.findAndCount({
      where,
      order: { seq: 'ASC' },
      skip: p.skip,
      take: p.pageSize,
    });
    return pageOf('logs', rows.map(toLogDto), total, p);
  }

  private async require(taskId: string, executionId: string): Promise<TaskExecutionEntity> {
    const execution = await this.executions.findOne({ where: { id: executionId, taskId } });
    if (!execution) throw ExecutionException.executionNotFound(taskId, executionId);
    return execution;
  }
}
