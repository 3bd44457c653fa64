import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryDeepPartialEntity, Repository } from 'typeorm';
import { newId } from '../common/ids';
import { iso } from '../common/timestamps';
import { isUniqueViolation } from '../database/store-errors';
import { WebhookOutboxService } from '../webhooks/webhook-outbox.service';
import { ExecutionException } from './execution.exception';
import { ExecutionStatus, ExecutionTrigger } from './execution-types';
import { TaskForRun } from './ports';
import { TaskExecutionLogEntity } from './task-execution-log.entity';
import { ExecutionProgress, ExecutionResult, TaskExecutionEntity } from './task-execution.entity';

export interface ExecutionError {
  code: string;
  message: string;
  details?: string | null;
}

export interface FinishOutcome {
  status: ExecutionStatus.Completed | ExecutionStatus.Failed | ExecutionStatus.Cancelled;
  result: ExecutionResult | null;
  progress: ExecutionProgress | null;
  error: ExecutionError | null;
  /** When set, the next attempt is queued in the same transaction, not before this instant. */
  retryAt?: Date | null;
}

export interface HeartbeatAnswer {
  state: 'ok' | 'cancel' | 'lost';
  reason?: string | null;
}

const ms = (d: Date) => d.getTime();

/** JSON columns (free-form objects) go through their transformer; TypeORM's deep-partial type cannot follow them. */
const row = <T>(entity: T) => entity as QueryDeepPartialEntity<T>;

/**
 * Every write to task_executions. Each state change is one conditional UPDATE (or a short
 * transaction around one), so replicas sharing a store never both win the same change.
 */
@Injectable()
export class ExecutionStoreService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(TaskExecutionEntity) private readonly executions: Repository<TaskExecutionEntity>,
    @InjectRepository(TaskExecutionLogEntity) private readonly logs: Repository<TaskExecutionLogEntity>,
    private readonly outbox: WebhookOutboxService,
  ) {}

  /** `execution.finished`, recorded in the transaction that ends the run. */
  private announceFinished(
    m: EntityManager,
    e: TaskExecutionEntity,
    status: ExecutionStatus,
    now: Date,
    result: ExecutionResult | null,
    error: ExecutionError | null,
  ): Promise<string> {
    return this.outbox.enqueue(m, {
      type: 'execution.finished',
      dataSourceId: e.datasourceId,
      data: {
        task_id: e.taskId,
        execution_id: e.id,
        datasource_id: e.datasourceId,
        task_type: e.taskType,
        status,
        attempt: e.attempt,
        start_time: iso(e.startTime),
        end_time: iso(now),
        duration: now.getTime() - e.startTime.getTime(),
        result,
        error,
      },
    });
  }

  build(
    task: TaskForRun,
    trigger: ExecutionTrigger,
    now: Date,
    opts: { scheduledAt?: Date | null; requestedBy?: string | null } = {},
  ): TaskExecutionEntity {
    return this.executions.create({
      id: newId('exec'),
      taskId: task.id,
      datasourceId: task.datasourceId,
      taskType: task.type,
      status: ExecutionStatus.Pending,
      trigger,
      attempt: 1,
      maxAttempts: 1 + (task.config.retry_count ?? 0),
      retryOf: null,
      scheduledAt: opts.scheduledAt ?? null,
      notBefore: now,
      startTime: now,
      startedAt: null,
      endTime: null,
      activeTask: task.id,
      runSlot: null,
      ownerId: null,
      leaseExpiresAt: null,
      cancelRequested: false,
      cancelReason: null,
      progress: null,
      result: null,
      errorCode: null,
      errorMessage: null,
      errorDetails: null,
      requestedBy: opts.requestedBy ?? null,
    });
  }

  /** Queues a manual run; the unique `active_task` index refuses a second one while one is pending or running. */
  async insertManual(task: TaskForRun, requestedBy: string | null, now: Date): Promise<TaskExecutionEntity> {
    const execution = this.build(task, ExecutionTrigger.Manual, now, { requestedBy });
    try {
      await this.executions.insert(row(execution));
      return execution;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const active = await this.activeOf(task.id);
      throw ExecutionException.runInProgress(task.id, active?.id);
    }
  }

  async insertWith(manager: EntityManager, execution: TaskExecutionEntity): Promise<void> {
    await manager.getRepository(TaskExecutionEntity).insert(row(execution));
  }

  activeOf(taskId: string, manager?: EntityManager): Promise<TaskExecutionEntity | null> {
    const repo = manager ? manager.getRepository(TaskExecutionEntity) : this.executions;
    return repo.findOne({ where: { activeTask: taskId } });
  }

  get(id: string): Promise<TaskExecutionEntity | null> {
    return this.executions.findOne({ where: { id } });
  }

  /** Pending executions whose back-off has passed, oldest first. */
  ready(now: Date, limit: number): Promise<TaskExecutionEntity[]> {
    return this.executions
      .createQueryBuilder('e')
      .where('e.status = :pending AND e.not_before <= :now', { pending: ExecutionStatus.Pending, now: ms(now) })
      .orderBy('e.not_before', 'ASC')
      .addOrderBy('e.start_time', 'ASC')
      .limit(limit)
      .getMany();
  }

  async slotsInUse(dataSourceId: string): Promise<Set<string>> {
    const rows = await this.executions
      .createQueryBuilder('e')
      .select('e.run_slot', 'slot')
      .where('e.datasource_id = :ds AND e.run_slot IS NOT NULL', { ds: dataSourceId })
      .getRawMany<{ slot: string }>();
    return new Set(rows.map((r) => r.slot));
  }

  /**
   * pending → running for this owner, holding a data-source slot. False when another runner
   * claimed it first or the slot is taken (the unique `run_slot` index says no).
   */
  async claim(id: string, owner: string, slot: string, now: Date, leaseUntil: Date): Promise<boolean> {
    try {
      const res = await this.executions
        .createQueryBuilder()
        .update(TaskExecutionEntity)
        .set({
          status: ExecutionStatus.Running,
          ownerId: owner,
          runSlot: slot,
          startedAt: now,
          leaseExpiresAt: leaseUntil,
          progress: { assets_done: 0, assets_known: null, percent: null, phase: 'starting' },
        })
        .where('id = :id AND status = :pending', { id, pending: ExecutionStatus.Pending })
        .execute();
      return res.affected === 1;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Renews the lease and saves progress; says whether to go on, to cancel, or that the run is no longer ours. */
  async heartbeat(id: string, owner: string, leaseUntil: Date, progress: ExecutionProgress): Promise<HeartbeatAnswer> {
    const res = await this.executions
      .createQueryBuilder()
      .update(TaskExecutionEntity)
      .set({ leaseExpiresAt: leaseUntil, progress })
      .where('id = :id AND owner_id = :owner AND status = :running AND cancel_requested = :no', {
        id,
        owner,
        running: ExecutionStatus.Running,
        no: false,
      })
      .execute();
    if (res.affected === 1) return { state: 'ok' };
    const row = await this.executions.findOne({
      where: { id },
      select: { id: true, ownerId: true, status: true, cancelRequested: true, cancelReason: true },
    });
    if (!row || row.ownerId !== owner || row.status !== ExecutionStatus.Running) return { state: 'lost' };
    return row.cancelRequested ? { state: 'cancel', reason: row.cancelReason } : { state: 'ok' };
  }

  /** running → finished, if this owner still holds it; queues the retry in the same transaction. */
  async finish(execution: TaskExecutionEntity, owner: string, outcome: FinishOutcome, now: Date): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(TaskExecutionEntity)
        .set({
          status: outcome.status,
          endTime: now,
          result: outcome.result,
          progress: outcome.progress,
          errorCode: outcome.error?.code ?? null,
          errorMessage: outcome.error?.message ?? null,
          errorDetails: outcome.error?.details ?? null,
          activeTask: null,
          runSlot: null,
          leaseExpiresAt: null,
        })
        .where('id = :id AND owner_id = :owner AND status = :running', {
          id: execution.id,
          owner,
          running: ExecutionStatus.Running,
        })
        .execute();
      if (res.affected !== 1) return false;
      await this.announceFinished(m, execution, outcome.status, now, outcome.result, outcome.error);
      if (outcome.retryAt) await this.insertWith(m, this.retryOf(execution, outcome.retryAt));
      return true;
    });
  }

  /** Runs whose lease expired: their instance died or lost the store. */
  expired(now: Date, limit: number): Promise<TaskExecutionEntity[]> {
    return this.executions
      .createQueryBuilder('e')
      .where('e.status = :running AND e.lease_expires_at < :now', { running: ExecutionStatus.Running, now: ms(now) })
      .orderBy('e.lease_expires_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Takes over an expired run as failed (one replica wins) and queues its retry when asked. */
  async recover(
    execution: TaskExecutionEntity,
    error: ExecutionError,
    now: Date,
    retryAt: Date | null,
  ): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(TaskExecutionEntity)
        .set({
          status: ExecutionStatus.Failed,
          endTime: now,
          errorCode: error.code,
          errorMessage: error.message,
          errorDetails: error.details ?? null,
          activeTask: null,
          runSlot: null,
          leaseExpiresAt: null,
        })
        .where('id = :id AND status = :running AND lease_expires_at < :now', {
          id: execution.id,
          running: ExecutionStatus.Running,
          now: ms(now),
        })
        .execute();
      if (res.affected !== 1) return false;
      await this.announceFinished(m, execution, ExecutionStatus.Failed, now, null, error);
      if (retryAt) await this.insertWith(m, this.retryOf(execution, retryAt));
      return true;
    });
  }

  /** Cancels a task's pending runs outright; returns how many. */
  async cancelPending(taskId: string, reason: string, now: Date): Promise<number> {
    const res = await this.executions
      .createQueryBuilder()
      .update(TaskExecutionEntity)
      .set({
        status: ExecutionStatus.Cancelled,
        endTime: now,
        errorCode: 'CANCELLED',
        errorMessage: reason,
        activeTask: null,
        cancelRequested: true,
        cancelReason: reason,
      })
      .where('task_id = :taskId AND status = :pending', { taskId, pending: ExecutionStatus.Pending })
      .execute();
    return res.affected ?? 0;
  }

  /** Flags a task's running runs for cancellation (their runner sees it on its next heartbeat); returns them. */
  async requestCancel(taskId: string, reason: string): Promise<TaskExecutionEntity[]> {
    await this.executions
      .createQueryBuilder()
      .update(TaskExecutionEntity)
      .set({ cancelRequested: true, cancelReason: reason })
      .where('task_id = :taskId AND status = :running', { taskId, running: ExecutionStatus.Running })
      .execute();
    return this.executions.find({ where: { taskId, status: ExecutionStatus.Running } });
  }

  async appendLogs(entries: TaskExecutionLogEntity[]): Promise<void> {
    if (entries.length) await this.logs.insert(entries.map(row));
  }

  private retryOf(failed: TaskExecutionEntity, at: Date): TaskExecutionEntity {
    return this.executions.create({
      ...failed,
      id: newId('exec'),
      status: ExecutionStatus.Pending,
      trigger: ExecutionTrigger.Retry,
      attempt: failed.attempt + 1,
      retryOf: failed.retryOf ?? failed.id,
      notBefore: at,
      startTime: at,
      startedAt: null,
      endTime: null,
      activeTask: failed.taskId,
      runSlot: null,
      ownerId: null,
      leaseExpiresAt: null,
      cancelRequested: false,
      cancelReason: null,
      progress: null,
      result: null,
      errorCode: null,
      errorMessage: null,
      errorDetails: null,
    });
  }
}
