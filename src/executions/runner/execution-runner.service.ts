import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { iso } from '../../common/timestamps';
import { tasksConfig, TasksConfig } from '../../config/configuration';
import { DomainMetrics, finishedRunOf } from '../../metrics/domain-metrics';
import { ExecutionLog, ExecutionLogEcho } from '../execution-log';
import { ExecutionStoreService, FinishOutcome } from '../execution-store.service';
import { collectModeOf, ExecutionStatus } from '../execution-types';
import { JobInput, runCollection } from '../jobs/collection-job';
import { runProfile } from '../jobs/profile-job';
import {
  CATALOG_PORT,
  CatalogPort,
  CONNECTORS_PORT,
  ConnectorsPort,
  DATA_SOURCES_PORT,
  DataSourceForRun,
  DataSourcesPort,
  TASKS_PORT,
  TasksPort,
} from '../ports';
import { TaskExecutionEntity } from '../task-execution.entity';
import { retryDelaySeconds } from './backoff';
import { ProgressTracker } from './progress';
import { RunCounters } from './run-counters';
import { classifyFailure, ExecutionErrorCode, RunAbort, RunFailure } from './run-failure';

interface LocalRun {
  execution: TaskExecutionEntity;
  controller: AbortController;
  done: Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Runs executions on this instance: claims pending ones (bounded globally and per data source),
 * holds a lease on each while it runs, cancels on request, retries failures with back-off, and
 * takes over runs whose instance died (their lease expired).
 */
@Injectable()
export class ExecutionRunnerService implements BeforeApplicationShutdown {
  /** Identifies this instance as the owner of the runs it holds. */
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly logger = new Logger('TaskRunner');
  private readonly local = new Map<string, LocalRun>();
  private draining = false;
  private dispatching: Promise<void> | null = null;
  private dispatchAgain = false;

  constructor(
    private readonly store: ExecutionStoreService,
    @Inject(TASKS_PORT) private readonly tasks: TasksPort,
    @Inject(tasksConfig.KEY) private readonly cfg: TasksConfig,
    @Inject(DATA_SOURCES_PORT) private readonly dataSources: DataSourcesPort,
    @Inject(CONNECTORS_PORT) private readonly connectors: ConnectorsPort,
    @Inject(CATALOG_PORT) private readonly catalog: CatalogPort,
    private readonly metrics: DomainMetrics,
  ) {}

  get runningHere(): number {
    return this.local.size;
  }

  isLocal(executionId: string): boolean {
    return this.local.has(executionId);
  }

  /** Starts as many ready executions as the limits allow. Calls while one is going coalesce into one more pass. */
  dispatch(): Promise<void> {
    if (this.draining) return Promise.resolve();
    if (this.dispatching) {
      this.dispatchAgain = true;
      return this.dispatching;
    }
    this.dispatching = (async () => {
      try {
        do {
          this.dispatchAgain = false;
          await this.dispatchOnce();
        } while (this.dispatchAgain && !this.draining);
      } catch (err) {
        this.logger.error({ err }, 'Dispatching executions failed');
      } finally {
        this.dispatching = null;
      }
    })();
    return this.dispatching;
  }

  private async dispatchOnce(): Promise<void> {
    const free = this.cfg.maxConcurrent - this.local.size;
    if (free <= 0) return;
    const ready = await this.store.ready(new Date(), free * 4 + 8);
    const full = new Set<string>();
    for (const execution of ready) {
      if (this.draining || this.local.size >= this.cfg.maxConcurrent) return;
      if (full.has(execution.datasourceId)) continue;
      const used = await this.store.slotsInUse(execution.datasourceId);
      const slot = this.freeSlot(execution.datasourceId, used);
      if (!slot) {
        full.add(execution.datasourceId);
        continue;
      }
      const now = new Date();
      const leaseUntil = new Date(now.getTime() + this.cfg.leaseSeconds * 1000);
      if (!(await this.store.claim(execution.id, this.instanceId, slot, now, leaseUntil))) continue;
      Object.assign(execution, {
        status: ExecutionStatus.Running,
        ownerId: this.instanceId,
        runSlot: slot,
        startedAt: now,
        leaseExpiresAt: leaseUntil,
      });
      this.start(execution);
    }
  }

  private freeSlot(dataSourceId: string, used: Set<string>): string | null {
    for (let i = 0; i < this.cfg.maxPerDataSource; i++) {
      const slot = `${dataSourceId}#${i}`;
      if (!used.has(slot)) return slot;
    }
    return null;
  }

  private start(execution: TaskExecutionEntity): void {
    const controller = new AbortController();
    const run: LocalRun = { execution, controller, done: Promise.resolve() };
    this.local.set(execution.id, run);
    this.metrics.executionStarted(execution.taskType, execution.trigger);
    this.metrics.runnerSlots(this.local.size, this.cfg.maxConcurrent);
    run.done = this.execute(run)
      .catch((err: unknown) =>
        this.logger.error(
          { err, execution_id: execution.id, task_id: execution.taskId },
          'Execution bookkeeping failed',
        ),
      )
      .finally(() => {
        this.local.delete(execution.id);
        this.metrics.runnerSlots(this.local.size, this.cfg.maxConcurrent);
        void this.dispatch();
      });
  }

  /** Cancels a run held here at once (the store-side flag reaches runs held elsewhere). */
  cancelLocal(executionId: string, reason: string): boolean {
    const run = this.local.get(executionId);
    if (!run) return false;
    run.controller.abort(new RunAbort('stop', reason));
    return true;
  }

  private async execute(run: LocalRun): Promise<void> {
    const { execution, controller } = run;
    const signal = controller.signal;
    const log = new ExecutionLog(execution.id, this.cfg.logLimit, this.echoTo(execution));
    const progress = new ProgressTracker();
    const counters = new RunCounters();
    const started = Date.now();
    let timeout: NodeJS.Timeout | undefined;
    const heartbeat = setInterval(() => void this.beat(run, log, progress), this.cfg.heartbeatMs);
    let outcome: FinishOutcome | null;
    try {
      log.info('Execution started', {
        attempt: execution.attempt,
        max_attempts: execution.maxAttempts,
        trigger: execution.trigger,
        instance: this.instanceId,
      });
      const task = await this.tasks.findForRun(execution.taskId);
      if (!task) throw new RunFailure(ExecutionErrorCode.TaskNotFound, 'The task was deleted', null, false);
      timeout = setTimeout(
        () => controller.abort(new RunAbort('timeout', `Run exceeded its timeout of ${task.config.timeout} s`)),
        task.config.timeout * 1000,
      );
      await this.tasks.markExecuted(task.id, new Date(started));
      const ds = await this.requireDataSource(task.datasourceId);
      log.info('Data source', { datasource_id: ds.id, name: ds.name, type: ds.type });
      if (ds.status === 'inactive') {
        throw new RunFailure(
          ExecutionErrorCode.DataSourceInactive,
          `Data source "${ds.name}" is inactive, so it is not collected`,
          'Set the data source status to active, then run the task again',
          false,
        );
      }
      const mode = collectModeOf(task.type);
      const definition = this.connectors.registry.get(ds.type);
      if (
        !definition.capabilities.taskTypes.includes(task.type) ||
        (mode === null && definition.capabilities.profile.length === 0)
      ) {
        throw new RunFailure(
          ExecutionErrorCode.Unsupported,
          `${ds.type} sources do not support ${task.type} tasks`,
          null,
          false,
        );
      }
      const input: JobInput = {
        executionId: execution.id,
        config: task.config,
        ds,
        connector: this.connectors.acquire(ds),
        catalog: this.catalog,
        signal,
        log,
        progress,
        counters,
      };
      log.info(mode ? `Collecting (${mode})` : 'Profiling', { scope: task.config, batch_size: task.config.batch_size });
      if (mode) await runCollection(input, mode);
      else await runProfile(input);
      signal.throwIfAborted();
      const result = counters.result(Date.now() - started, log.warnings, 0, { attempt: execution.attempt });
      log.info('Execution completed', {
        tables_processed: result.tables_processed,
        records_processed: result.records_processed,
        duration_ms: result.duration,
      });
      outcome = { status: ExecutionStatus.Completed, result, progress: progress.finished(), error: null };
    } catch (err) {
      outcome = this.failureOutcome(err, run, log, progress, counters, started);
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timeout);
    }
    log.close();
    await log
      .flush((entries) => this.store.appendLogs(entries))
      .catch((err: unknown) =>
        this.logger.warn(
          { err, execution_id: execution.id, task_id: execution.taskId },
          'Could not write execution logs',
        ),
      );
    if (!outcome) return;
    const finished = await this.store.finish(execution, this.instanceId, outcome, new Date());
    if (finished) this.metrics.executionFinished(finishedRunOf(execution, outcome.status, started, counters));
    if (!finished)
      this.logger.warn(
        { execution_id: execution.id, task_id: execution.taskId },
        'Execution was taken over or removed before it finished here',
      );
  }

  /** Each line of the run's log also goes to the service log, with the ids a log search finds the run by. */
  private echoTo(execution: TaskExecutionEntity): ExecutionLogEcho {
    const ids = { execution_id: execution.id, task_id: execution.taskId };
    return (level, message, meta) => {
      const line = { ...meta, ...ids };
      if (level === 'error') this.logger.error(line, message);
      else if (level === 'warn') this.logger.warn(line, message);
      else if (level === 'debug') this.logger.debug(line, message);
      else this.logger.log(line, message);
    };
  }

  /** What a thrown error (or an abort) means for the execution; null when the run is no longer ours to record. */
  private failureOutcome(
    err: unknown,
    run: LocalRun,
    log: ExecutionLog,
    progress: ProgressTracker,
    counters: RunCounters,
    started: number,
  ): FinishOutcome | null {
    const { execution, controller } = run;
    const abort: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    // The error that ended a failed run counts among its errors; a cancel is not an error.
    const partial = (fatalErrors: number) =>
      counters.result(Date.now() - started, log.warnings, fatalErrors, { attempt: execution.attempt });
    if (abort instanceof RunAbort) {
      progress.phase = abort.kind === 'timeout' ? 'failed' : 'cancelled';
      switch (abort.kind) {
        case 'lost':
          return null;
        case 'stop':
        case 'shutdown':
          log.warn(`Cancelled: ${abort.message}`);
          return {
            status: ExecutionStatus.Cancelled,
            result: partial(0),
            progress: progress.snapshot(),
            error: { code: ExecutionErrorCode.Cancelled, message: abort.message, details: null },
          };
        case 'timeout':
          log.error(abort.message);
          return this.failed(
            execution,
            {
              code: ExecutionErrorCode.Timeout,
              message: abort.message,
              details: 'Raise config.timeout or narrow the scope',
            },
            true,
            partial(1),
            progress,
            log,
          );
      }
    }
    const { error, retryable } = classifyFailure(err);
    progress.phase = 'failed';
    log.error(error.message, { code: error.code, details: error.details ?? undefined });
    if (error.code === ExecutionErrorCode.Internal)
      this.logger.error(
        { err, execution_id: execution.id, task_id: execution.taskId },
        'Execution failed unexpectedly',
      );
    return this.failed(execution, error, retryable, partial(1), progress, log);
  }

  private failed(
    execution: TaskExecutionEntity,
    error: { code: string; message: string; details?: string | null },
    retryable: boolean,
    result: FinishOutcome['result'],
    progress: ProgressTracker,
    log: ExecutionLog,
  ): FinishOutcome {
    const retryAt = retryable ? this.retryAt(execution) : null;
    if (retryAt) log.info(`Attempt ${execution.attempt + 1} of ${execution.maxAttempts} is queued for ${iso(retryAt)}`);
    return { status: ExecutionStatus.Failed, result, progress: progress.snapshot(), error, retryAt };
  }

  private retryAt(execution: TaskExecutionEntity): Date | null {
    if (execution.attempt >= execution.maxAttempts) return null;
    const delay = retryDelaySeconds(execution.attempt + 1, this.cfg.retryBaseSeconds, this.cfg.retryMaxSeconds);
    return new Date(Date.now() + delay * 1000);
  }

  private async requireDataSource(id: string): Promise<DataSourceForRun> {
    try {
      return await this.dataSources.requireForRun(id);
    } catch (err) {
      if (err instanceof DomainException && err.code === ErrorCode.NotFound) {
        throw new RunFailure(ExecutionErrorCode.DataSourceNotFound, `Data source ${id} no longer exists`, null, false);
      }
      throw err;
    }
  }

  /** Renews the lease, saves progress and logs, and picks up a cancel requested through another instance. */
  private async beat(run: LocalRun, log: ExecutionLog, progress: ProgressTracker): Promise<void> {
    if (run.controller.signal.aborted) return;
    try {
      const leaseUntil = new Date(Date.now() + this.cfg.leaseSeconds * 1000);
      const answer = await this.store.heartbeat(run.execution.id, this.instanceId, leaseUntil, progress.snapshot());
      if (answer.state === 'cancel') run.controller.abort(new RunAbort('stop', answer.reason ?? 'Cancelled'));
      if (answer.state === 'lost')
        run.controller.abort(new RunAbort('lost', 'The execution was taken over or removed'));
      await log.flush((entries) => this.store.appendLogs(entries));
    } catch (err) {
      this.logger.warn(
        { err, execution_id: run.execution.id, task_id: run.execution.taskId },
        'Execution heartbeat failed',
      );
    }
  }

  /** Expired leases: the instance that held them died. Failed as interrupted (one replica wins), retried if attempts remain. */
  async recoverExpired(): Promise<number> {
    if (this.draining) return 0;
    const now = new Date();
    let recovered = 0;
    for (const execution of await this.store.expired(now, 20)) {
      if (this.local.has(execution.id)) continue;
      const retryAt = this.retryAt(execution);
      const error = {
        code: ExecutionErrorCode.Interrupted,
        message: 'interrupted: the instance running it stopped before it finished',
        details: `owner ${execution.ownerId ?? 'unknown'}; lease expired at ${iso(execution.leaseExpiresAt)}${retryAt ? `; attempt ${execution.attempt + 1} queued` : ''}`,
      };
      if (await this.store.recover(execution, error, now, retryAt)) {
        recovered++;
        this.metrics.leaseRecovered();
        this.logger.warn(
          { execution_id: execution.id, task_id: execution.taskId, owner: execution.ownerId },
          'Recovered an interrupted execution',
        );
      }
    }
    return recovered;
  }

  /** Shutdown: stop taking work, cancel what runs here and mark it, never leaving it `running`. */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    await this.dispatching;
    const runs = [...this.local.values()];
    if (!runs.length) return;
    this.logger.log(`Cancelling ${runs.length} running execution(s) for shutdown`);
    for (const run of runs) run.controller.abort(new RunAbort('shutdown', 'the service shut down while it ran'));
    const settled = Promise.allSettled(runs.map((r) => r.done));
    await Promise.race([settled, sleep(this.cfg.shutdownGraceMs)]);
    for (const run of runs) {
      if (!this.local.has(run.execution.id)) continue;
      const outcome: FinishOutcome = {
        status: ExecutionStatus.Cancelled,
        result: null,
        progress: null,
        error: {
          code: ExecutionErrorCode.Cancelled,
          message: 'the service shut down while it ran',
          details: 'the run did not stop within the shutdown grace period',
        },
      };
      await this.store
        .finish(run.execution, this.instanceId, outcome, new Date())
        .catch((err: unknown) => this.logger.error({ err }, 'Could not mark an execution cancelled'));
    }
  }
}
