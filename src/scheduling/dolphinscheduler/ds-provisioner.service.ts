import { Injectable, Logger } from '@nestjs/common';
import { ScheduledTask } from '../scheduling-types';
import { ExternalRefs } from '../scheduler';
import { Compensation } from './compensation';
import { DsScheduleParam, DsSchedule } from './ds-api.types';
import { DsConnectionService } from './ds-connection.service';
import { toBadGateway } from './ds-error';
import { scheduleParam, workflowInput } from './workflow-spec';

/**
 * The calls that put a task's workflow and schedule into DolphinScheduler, take them offline or
 * remove them. Every change is a sequence of calls; each step registers its undo, and a failure
 * undoes the finished steps before the 502 is thrown, so DolphinScheduler is left as it was.
 *
 * DolphinScheduler's rules shape the order (3.2.x): a workflow is edited only while OFFLINE and
 * taking it OFFLINE takes its schedule offline too; a schedule is created or put online only for
 * an ONLINE workflow, edited only while OFFLINE, and deleted with its workflow once both are offline.
 */
@Injectable()
export class DsProvisionerService {
  private readonly logger = new Logger('DolphinScheduler');

  constructor(private readonly conn: DsConnectionService) {}

  /**
   * Creates or updates the task's workflow (callback with the current service token) and its
   * schedule (the task's cron and time zone); leaves both online, or both offline when `online` is false.
   */
  async provision(task: ScheduledTask, online: boolean, now = new Date()): Promise<ExternalRefs> {
    const client = this.conn.requireClient();
    const undo = new Compensation();
    try {
      const project = await this.conn.projectCode();
      const credential = await this.conn.credential();
      const run = this.conn.runOptions();
      const param = scheduleParam(task.schedule, now);
      let code = task.externalWorkflowCode ? Number(task.externalWorkflowCode) : null;
      const existing = code !== null ? await client.findWorkflow(project, code) : null;
      let schedule: DsSchedule | null = null;
      const spec = (taskCode: number) =>
        workflowInput({
          task,
          taskCode,
          callbackBase: this.conn.cfg.callbackUrl,
          serviceToken: credential.token,
          workerGroup: this.conn.cfg.workerGroup,
        });

      if (existing && code !== null) {
        const workflowCode = code;
        schedule = await client.findScheduleOf(project, workflowCode);
        if (existing.processDefinition.releaseState === 'ONLINE') {
          const scheduleWasOnline = schedule?.releaseState === 'ONLINE' ? schedule.id : null;
          await client.releaseWorkflow(project, workflowCode, 'OFFLINE');
          undo.push(`set workflow ${workflowCode} online again`, async () => {
            await client.releaseWorkflow(project, workflowCode, 'ONLINE');
            if (scheduleWasOnline !== null) await client.setScheduleState(project, scheduleWasOnline, 'ONLINE');
          });
          if (schedule) schedule = { ...schedule, releaseState: 'OFFLINE' };
        }
        const current = existing.taskDefinitionList.find((t) => t.taskType === 'HTTP')?.code;
        const taskCode = current !== undefined ? Number(current) : (await client.genTaskCodes(project, 1))[0];
        // No undo: the definition it replaces was this service's own callback, and its state is restored above.
        await client.updateWorkflow(project, workflowCode, spec(taskCode));
      } else {
        const [taskCode] = await client.genTaskCodes(project, 1);
        const created = await client.createWorkflow(project, spec(taskCode));
        const workflowCode = created.code;
        code = workflowCode;
        undo.push(`delete workflow ${workflowCode}`, () => client.deleteWorkflow(project, workflowCode));
      }
      const workflowCode = code;

      await client.releaseWorkflow(project, workflowCode, 'ONLINE');
      undo.push(`set workflow ${workflowCode} offline`, () => client.releaseWorkflow(project, workflowCode, 'OFFLINE'));

      if (schedule) {
        const id = schedule.id;
        const previous: DsScheduleParam = {
          startTime: schedule.startTime,
          endTime: schedule.endTime,
          timezoneId: schedule.timezoneId,
          crontab: schedule.crontab,
        };
        if (schedule.releaseState === 'ONLINE') {
          await client.setScheduleState(project, id, 'OFFLINE');
          undo.push(`set schedule ${id} online again`, () => client.setScheduleState(project, id, 'ONLINE'));
        }
        await client.updateSchedule(project, id, param, run);
        undo.push(`restore schedule ${id}`, () => client.updateSchedule(project, id, previous, run));
      } else {
        schedule = await client.createSchedule(project, workflowCode, param, run);
        const id = schedule.id;
        undo.push(`delete schedule ${id}`, () => client.deleteSchedule(project, id));
      }
      const scheduleId = schedule.id;

      if (online) {
        await client.setScheduleState(project, scheduleId, 'ONLINE');
        undo.push(`set schedule ${scheduleId} offline`, () => client.setScheduleState(project, scheduleId, 'OFFLINE'));
      } else {
        // Paused: kept, but neither fires nor can be started.
        await client.releaseWorkflow(project, workflowCode, 'OFFLINE');
      }
      return {
        externalWorkflowCode: String(workflowCode),
        externalScheduleId: String(scheduleId),
        externalCredentialId: credential.id,
      };
    } catch (err) {
      throw await this.failed(err, undo, task);
    }
  }

  /** Takes the task's schedule and workflow offline (pause, stop); both are kept. */
  async offline(task: ScheduledTask): Promise<void> {
    if (!task.externalWorkflowCode) return;
    const client = this.conn.requireClient();
    const undo = new Compensation();
    try {
      const project = await this.conn.projectCode();
      const code = Number(task.externalWorkflowCode);
      const existing = await client.findWorkflow(project, code);
      if (!existing) return;
      await this.takeOffline(project, code, existing.processDefinition.releaseState === 'ONLINE', undo);
    } catch (err) {
      throw await this.failed(err, undo, task);
    }
  }

  /** Removes the task's workflow and schedule (offline first; deleting the workflow removes its schedule). */
  async remove(task: ScheduledTask): Promise<void> {
    if (!task.externalWorkflowCode) return;
    const client = this.conn.requireClient();
    const undo = new Compensation();
    try {
      const project = await this.conn.projectCode();
      const code = Number(task.externalWorkflowCode);
      const existing = await client.findWorkflow(project, code);
      if (!existing) return;
      await this.takeOffline(project, code, existing.processDefinition.releaseState === 'ONLINE', undo);
      await client.deleteWorkflow(project, code);
    } catch (err) {
      throw await this.failed(err, undo, task);
    }
  }

  private async takeOffline(project: number, code: number, workflowOnline: boolean, undo: Compensation): Promise<void> {
    const client = this.conn.requireClient();
    const schedule = await client.findScheduleOf(project, code);
    if (schedule?.releaseState === 'ONLINE') {
      await client.setScheduleState(project, schedule.id, 'OFFLINE');
      undo.push(`set schedule ${schedule.id} online again`, () =>
        client.setScheduleState(project, schedule.id, 'ONLINE'),
      );
    }
    if (workflowOnline) {
      await client.releaseWorkflow(project, code, 'OFFLINE');
      undo.push(`set workflow ${code} online again`, () => client.releaseWorkflow(project, code, 'ONLINE'));
    }
  }

  private async failed(err: unknown, undo: Compensation, task: ScheduledTask): Promise<Error> {
    this.conn.forgetProject(err);
    const left = await undo.rollback();
    if (left.length)
      this.logger.error({ task_id: task.id, left_behind: left }, 'Undoing a half-made DolphinScheduler change failed');
    return toBadGateway(err, left);
  }
}
