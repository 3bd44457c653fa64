import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryDeepPartialEntity, Repository } from 'typeorm';
import { Principal } from '../../auth/role';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorReason } from '../../common/errors/error-reason';
import { iso } from '../../common/timestamps';
import { ExecuteTaskDto, ExecuteTaskResponseDto } from '../../executions/dto/execution.dto';
import { ExecutionStoreService } from '../../executions/execution-store.service';
import { isUniqueViolation } from '../../database/store-errors';
import { TaskExecutionEntity } from '../../executions/task-execution.entity';
import { TASK_ROWS } from '../ports';
import { ExecutionException } from '../../executions/execution.exception';
import { ScheduledTask, SchedulerType, TaskStatus } from '../scheduling-types';
import { SchedulingException } from '../scheduling.exception';
import { ExecutionStatus, ExecutionTrigger } from '../../executions/execution-types';
import { planNextFiring } from '../next-firing';
import { TickerService } from '../ticker.service';
import { DsConnectionService } from './ds-connection.service';
import { toBadGateway } from './ds-error';
import { EXECUTION_ID_PARAM } from './workflow-spec';

/**
 * `not_before` of a manual run started in DolphinScheduler: the runner leaves it alone until the
 * workflow's callback claims it (or the reconciler fails it).
 */
export const HELD_UNTIL = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));

/** A value DolphinScheduler left unreplaced (`${...}`) or empty means "not given". */
function given(value: string | undefined): string | null {
  const v = value?.trim();
  return v && !/^\$\{.*\}$/.test(v) ? v : null;
}

const answer = (e: TaskExecutionEntity): ExecuteTaskResponseDto => ({
  execution_id: e.id,
  task_id: e.taskId,
  status: ExecutionStatus.Pending,
  start_time: iso(e.startTime)!,
});

/**
 * Both ends of a DolphinScheduler run: a manual start (an execution held until the workflow calls
 * back) and the callback itself, which runs an ordinary execution marked with the workflow
 * instance's id. A callback repeated for the same instance gets the same execution: nothing runs twice.
 */
@Injectable()
export class DsCallbacksService {
  constructor(
    private readonly conn: DsConnectionService,
    private readonly store: ExecutionStoreService,
    @InjectRepository(TaskExecutionEntity) private readonly executions: Repository<TaskExecutionEntity>,
    @Inject(TASK_ROWS) private readonly tasks: Repository<ScheduledTask>,
    private readonly ticker: TickerService,
  ) {}

  /** Starts a workflow instance for a manual run; the execution waits for the instance's callback. */
  async startManual(task: ScheduledTask, actor: Principal | null): Promise<ExecuteTaskResponseDto> {
    const client = this.conn.requireClient();
    const execution = this.store.build(task, ExecutionTrigger.Manual, new Date(), { requestedBy: actor?.id ?? null });
    execution.notBefore = HELD_UNTIL;
    try {
      await this.executions.insert(execution as QueryDeepPartialEntity<TaskExecutionEntity>);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const active = await this.store.activeOf(task.id);
      throw ExecutionException.runInProgress(task.id, active?.id);
    }
    try {
      const project = await this.conn.projectCode();
      const trigger = await client.startWorkflow(project, Number(task.externalWorkflowCode), this.conn.runOptions(), {
        [EXECUTION_ID_PARAM]: execution.id,
      });
      // The callback may have claimed it already (and set the instance id): only fill in a blank.
      await this.executions
        .createQueryBuilder()
        .update(TaskExecutionEntity)
        .set({ externalId: `trigger:${trigger}` })
        .where('id = :id AND external_id IS NULL', { id: execution.id })
        .execute();
    } catch (err) {
      // Nothing was started: the held execution goes too, unless a callback already claimed it.
      await this.executions
        .createQueryBuilder()
        .delete()
        .from(TaskExecutionEntity)
        .where('id = :id AND status = :pending AND not_before = :held', {
          id: execution.id,
          pending: ExecutionStatus.Pending,
          held: HELD_UNTIL.getTime(),
        })
        .execute();
      throw toBadGateway(err);
    }
    return answer(execution);
  }

  /** The workflow's HTTP task calling back: runs the collection as an execution of that instance. */
  async accept(task: ScheduledTask, body: ExecuteTaskDto): Promise<ExecuteTaskResponseDto> {
    const externalId = given(body.external_id);
    if (!externalId || !/^\d{1,19}$/.test(externalId)) {
      throw new DomainException(
        ErrorReason.CallbackInvalid,
        'external_id must be the DolphinScheduler workflow instance id',
        'The workflow sends ${system.workflow.instance.id} as external_id',
      );
    }
    const known = await this.executions.findOne({ where: { taskId: task.id, externalId, attempt: 1 } });
    if (known) return answer(known);

    const executionId = given(body.execution_id);
    if (executionId) {
      const claimed = await this.executions
        .createQueryBuilder()
        .update(TaskExecutionEntity)
        .set({ externalId, notBefore: new Date() })
        .where('id = :id AND task_id = :task AND status = :pending AND not_before = :held', {
          id: executionId,
          task: task.id,
          pending: ExecutionStatus.Pending,
          held: HELD_UNTIL.getTime(),
        })
        .execute();
      const row = await this.executions.findOne({ where: { id: executionId } });
      if (claimed.affected === 1 && row) {
        void this.ticker.kick();
        return answer(row);
      }
      if (row && row.taskId === task.id) {
        // Mark it with the instance, so the instance's failure is not recorded again as another execution.
        await this.executions
          .createQueryBuilder()
          .update(TaskExecutionEntity)
          .set({ externalId })
          .where("id = :id AND (external_id IS NULL OR external_id LIKE 'trigger:%')", { id: executionId })
          .execute()
          .catch((err: unknown) => {
            if (!isUniqueViolation(err)) throw err;
          });
        throw new SchedulingException(
          ErrorReason.CallbackRefused,
          `Execution ${executionId} is ${row.status}; the workflow's run was not taken`,
          'It was cancelled or settled before DolphinScheduler called back',
        );
      }
      // Unknown to this service (its start was answered with an error): an ordinary firing follows.
    }
    return this.firing(task, externalId);
  }

  /** A scheduled firing: only for an active task that DolphinScheduler schedules. */
  private async firing(task: ScheduledTask, externalId: string): Promise<ExecuteTaskResponseDto> {
    if (task.schedulerType !== SchedulerType.DolphinScheduler || task.status !== TaskStatus.Active) {
      const why =
        task.schedulerType !== SchedulerType.DolphinScheduler ? `scheduled by ${task.schedulerType}` : task.status;
      throw new SchedulingException(
        ErrorReason.CallbackRefused,
        `Task ${task.id} is ${why}; DolphinScheduler's firing is refused`,
        'Firings run only while the task is active with scheduler_type "dolphinscheduler"',
      );
    }
    const now = new Date();
    const execution = this.store.build(task, ExecutionTrigger.Schedule, now, { scheduledAt: now });
    execution.externalId = externalId;
    try {
      await this.executions.insert(execution as QueryDeepPartialEntity<TaskExecutionEntity>);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const same = await this.executions.findOne({ where: { taskId: task.id, externalId, attempt: 1 } });
      if (same) return answer(same);
      const active = await this.store.activeOf(task.id);
      throw ExecutionException.runInProgress(task.id, active?.id);
    }
    // Shown as next_execute_at; DolphinScheduler keeps the real calendar.
    const next = planNextFiring({ schedule: task.schedule, reason: 'fired', now, due: now, lastFiredAt: now });
    await this.tasks.update(
      { id: task.id, schedulerType: SchedulerType.DolphinScheduler },
      { lastFiredAt: now, nextExecuteAt: next },
    );
    void this.ticker.kick();
    return answer(execution);
  }
}
