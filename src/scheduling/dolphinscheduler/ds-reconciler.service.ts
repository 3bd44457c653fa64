import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Like, Not, QueryDeepPartialEntity, Repository } from 'typeorm';
import { ExecutionStoreService } from '../../executions/execution-store.service';
import { isUniqueViolation } from '../../database/store-errors';
import { TaskExecutionEntity } from '../../executions/task-execution.entity';
import { TASK_ROWS } from '../ports';
import { ScheduledTask, SchedulerType, TaskStatus } from '../scheduling-types';
import { TaskLockService } from '../task-lock.service';
import { ExecutionStatus, ExecutionTrigger } from '../../executions/execution-types';
import { DsInstanceTasks, DsProcessInstance, DsTaskLog } from './ds-api.types';
import { DsConnectionService } from './ds-connection.service';
import { DsProvisionerService } from './ds-provisioner.service';
import { HELD_UNTIL } from './ds-callbacks.service';
import { failedTaskOf, failureOf, outcomeOf } from './ds-instance-outcome';

/** The error code of an execution whose DolphinScheduler workflow failed. */
export const SCHEDULER_FAILED = 'SCHEDULER_FAILED';
/** How long a held run may wait for its start call to be recorded before it is given up. */
const START_GRACE_MS = 120_000;
const FAILED_INSTANCE_STATES = ['FAILURE', 'STOP'];

/**
 * Keeps executions in step with DolphinScheduler by polling (every DOLPHINSCHEDULER_POLL_MS while
 * there is something to follow, backing off up to DOLPHINSCHEDULER_POLL_MAX_MS when idle or when
 * DolphinScheduler does not answer):
 * - a manual run waiting for its callback fails with DolphinScheduler's message when its workflow
 *   instance fails (or ends without calling back, or never starts);
 * - a scheduled instance that failed before it could call back becomes a failed execution;
 * - tasks whose workflow still carries a revoked service token get the current one.
 * Every write is conditional or guarded by a unique index, so replicas may all run it.
 */
@Injectable()
export class DsReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DolphinSchedulerReconciler');
  private timer: NodeJS.Timeout | null = null;
  private delay: number;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly conn: DsConnectionService,
    private readonly provisioner: DsProvisionerService,
    private readonly store: ExecutionStoreService,
    private readonly lock: TaskLockService,
    @Inject(TASK_ROWS) private readonly tasks: Repository<ScheduledTask>,
    @InjectRepository(TaskExecutionEntity) private readonly executions: Repository<TaskExecutionEntity>,
  ) {
    this.delay = conn.cfg.pollMs;
  }

  onApplicationBootstrap(): void {
    if (this.conn.enabled) this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Something new to follow: poll soon, at the shortest interval. */
  kick(): void {
    this.delay = this.conn.cfg.pollMs;
    if (this.conn.enabled && !this.running) this.schedule(Math.min(this.delay, 200));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      try {
        const busy = await this.pass();
        this.delay = busy ? this.conn.cfg.pollMs : Math.min(this.delay * 2, this.conn.cfg.pollMaxMs);
      } catch (err) {
        this.delay = Math.min(this.delay * 2, this.conn.cfg.pollMaxMs);
        this.logger.warn(
          { err: err instanceof Error ? err.message : String(err), retry_in_ms: this.delay },
          'Reconciling with DolphinScheduler failed',
        );
      }
    })();
    await this.running;
    this.running = null;
    this.schedule(this.delay);
  }

  /** One reconciliation; true while there is something to follow closely. */
  async pass(): Promise<boolean> {
    const held = await this.settleHeld();
    await this.recordFailedFirings();
    await this.refreshCredentials();
    return held > 0;
  }

  /** Manual runs waiting for their callback; returns how many still wait. */
  private async settleHeld(): Promise<number> {
    const held = await this.executions.find({
      where: { status: ExecutionStatus.Pending, notBefore: HELD_UNTIL },
      order: { startTime: 'ASC' },
      take: 50,
    });
    if (!held.length) return 0;
    const client = this.conn.requireClient();
    const project = await this.conn.projectCode();
    let waiting = 0;
    for (const e of held) {
      const age = Date.now() - e.startTime.getTime();
      const timedOut = age > this.conn.cfg.callbackTimeoutSeconds * 1000;
      if (!e.externalId) {
        if (age > START_GRACE_MS)
          await this.failHeld(e, null, {
            message: 'DolphinScheduler never confirmed the start of this run',
            details: null,
          });
        else waiting++;
        continue;
      }
      let instance: DsProcessInstance | null;
      if (e.externalId.startsWith('trigger:')) {
        const found = await client.instancesOfTrigger(project, Number(e.externalId.slice('trigger:'.length)));
        instance = found[0] ?? null;
        if (instance)
          await this.executions
            .update({ id: e.id, externalId: e.externalId }, { externalId: String(instance.id) })
            .catch((err: unknown) => {
              if (!isUniqueViolation(err)) throw err;
            });
      } else {
        instance = await client.findInstance(project, Number(e.externalId));
      }
      if (!instance) {
        if (timedOut)
          await this.failHeld(e, null, {
            message: `DolphinScheduler did not start a workflow instance within ${this.conn.cfg.callbackTimeoutSeconds} s`,
            details: e.externalId,
          });
        else waiting++;
        continue;
      }
      const outcome = outcomeOf(instance);
      if (outcome === 'failed') await this.failHeld(e, instance, await this.explain(project, instance));
      else if (outcome === 'succeeded')
        await this.failHeld(e, instance, {
          message: `DolphinScheduler workflow instance ${instance.id} ended ${instance.state} without calling back`,
          details: null,
        });
      else if (timedOut)
        await this.failHeld(e, instance, {
          message: `DolphinScheduler workflow instance ${instance.id} did not call back within ${this.conn.cfg.callbackTimeoutSeconds} s`,
          details: `state ${instance.state}`,
        });
      else waiting++;
    }
    return waiting;
  }

  private async failHeld(
    e: TaskExecutionEntity,
    instance: DsProcessInstance | null,
    why: { message: string; details: string | null },
  ): Promise<void> {
    const res = await this.executions
      .createQueryBuilder()
      .update(TaskExecutionEntity)
      .set({
        status: ExecutionStatus.Failed,
        endTime: new Date(),
        errorCode: SCHEDULER_FAILED,
        errorMessage: why.message,
        errorDetails: why.details,
        activeTask: null,
      })
      .where('id = :id AND status = :pending AND not_before = :held', {
        id: e.id,
        pending: ExecutionStatus.Pending,
        held: HELD_UNTIL.getTime(),
      })
      .execute();
    if (res.affected === 1)
      this.logger.warn({ execution_id: e.id, task_id: e.taskId, instance: instance?.id ?? null }, why.message);
  }

  /** Failed instances of every DolphinScheduler-scheduled workflow that no execution records yet. */
  private async recordFailedFirings(): Promise<void> {
    const tasks = await this.tasks.find({
      where: { schedulerType: SchedulerType.DolphinScheduler, externalWorkflowCode: Not(IsNull()) },
      take: 500,
    });
    if (!tasks.length) return;
    const client = this.conn.requireClient();
    const project = await this.conn.projectCode();
    for (const task of tasks) {
      // A manual run not yet matched to its instance could be one of these: wait for it first.
      if (
        await this.executions.count({
          where: {
            taskId: task.id,
            status: ExecutionStatus.Pending,
            notBefore: HELD_UNTIL,
            externalId: Like('trigger:%'),
          },
        })
      )
        continue;
      const instances: DsProcessInstance[] = [];
      for (const state of FAILED_INSTANCE_STATES)
        instances.push(...(await client.listInstances(project, Number(task.externalWorkflowCode), state, 20)));
      if (!instances.length) continue;
      const ids = instances.map((i) => String(i.id));
      const known = new Set(
        (
          await this.executions.find({ where: { taskId: task.id, externalId: In(ids) }, select: { externalId: true } })
        ).map((e) => e.externalId),
      );
      for (const instance of instances) {
        if (known.has(String(instance.id))) continue;
        const why = await this.explain(project, instance);
        const now = new Date();
        const execution = this.store.build(task, ExecutionTrigger.Schedule, now, { scheduledAt: now });
        Object.assign(execution, {
          externalId: String(instance.id),
          status: ExecutionStatus.Failed,
          activeTask: null,
          endTime: now,
          errorCode: SCHEDULER_FAILED,
          errorMessage: why.message,
          errorDetails: why.details,
        });
        try {
          await this.executions.insert(execution as QueryDeepPartialEntity<TaskExecutionEntity>);
          this.logger.warn({ task_id: task.id, instance: instance.id }, why.message);
        } catch (err) {
          // Another replica recorded it first.
          if (!isUniqueViolation(err)) throw err;
        }
      }
    }
  }

  /** Tasks whose workflow carries another service token than the active one (it was revoked). */
  private async refreshCredentials(): Promise<void> {
    const active = await this.conn.activeCredentialId();
    const stale = await this.tasks.find({
      where: {
        schedulerType: SchedulerType.DolphinScheduler,
        status: In([TaskStatus.Active, TaskStatus.Paused]),
        externalWorkflowCode: Not(IsNull()),
        ...(active ? { externalCredentialId: Not(active) } : {}),
      },
      take: 50,
    });
    for (const candidate of stale) {
      await this.lock.tryRun(candidate.id, async () => {
        const task = await this.tasks.findOne({ where: { id: candidate.id } });
        if (
          !task ||
          task.schedulerType !== SchedulerType.DolphinScheduler ||
          task.status === TaskStatus.Inactive ||
          !task.externalWorkflowCode
        )
          return;
        const refs = await this.provisioner.provision(task, task.status === TaskStatus.Active);
        await this.tasks.update({ id: task.id }, refs);
        this.logger.log(
          { task_id: task.id, credential: refs.externalCredentialId },
          'Gave a DolphinScheduler workflow the current service token',
        );
      });
    }
  }

  /** DolphinScheduler's own account of a failed instance: the failed task and its log's tail. */
  private async explain(
    project: number,
    instance: DsProcessInstance,
  ): Promise<{ message: string; details: string | null }> {
    const client = this.conn.requireClient();
    let tasks: DsInstanceTasks | null = null;
    let log: DsTaskLog | null = null;
    try {
      tasks = await client.instanceTasks(project, instance.id);
      const failed = failedTaskOf(tasks);
      if (failed) log = await client.taskLog(failed.id, 0, 1000);
    } catch (err) {
      this.logger.debug(
        { err: err instanceof Error ? err.message : String(err), instance: instance.id },
        'Could not read the failed task log',
      );
    }
    return failureOf(instance, tasks, log);
  }
}
