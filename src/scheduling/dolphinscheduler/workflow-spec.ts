import { TaskSchedule } from '../scheduling-types';
import { DsHttpTaskParams, DsScheduleParam } from './ds-api.types';
import { DsWorkflowInput } from './ds-client';
import { toQuartzCron } from './quartz-cron';

/**
 * What this service asks DolphinScheduler to hold for one task: a workflow with a single HTTP
 * task that calls back `POST {callback}/api/v1/tasks/{id}/execute` with the service token, and a
 * schedule with the task's cron expression and time zone.
 */

/** The global parameter a manual start fills in (empty on scheduled runs). */
export const EXECUTION_ID_PARAM = 'execution_id';
/** DolphinScheduler's built-in parameter (3.x) holding the running workflow instance's id. */
export const WORKFLOW_INSTANCE_ID_PARAM = 'system.workflow.instance.id';
/** The HTTP status the callback answers when it accepted a run (the HTTP task checks for it). */
export const CALLBACK_ACCEPTED_STATUS = '202';

export const workflowNameOf = (taskId: string) => `metadata-${taskId}`;

export const callbackUrlOf = (callbackBase: string, taskId: string) =>
  `${callbackBase.replace(/\/+$/, '')}/api/v1/tasks/${encodeURIComponent(taskId)}/execute`;

export interface WorkflowSpecInput {
  task: { id: string; name: string };
  /** The code of the HTTP task definition (from gen-task-codes, or the existing one). */
  taskCode: number;
  callbackBase: string;
  /** The service token the callback presents; only ever placed in the task's header parameter. */
  serviceToken: string;
  workerGroup: string;
}

export function httpTaskParams(
  input: Pick<WorkflowSpecInput, 'task' | 'callbackBase' | 'serviceToken'>,
): DsHttpTaskParams {
  return {
    localParams: [],
    resourceList: [],
    url: callbackUrlOf(input.callbackBase, input.task.id),
    httpMethod: 'POST',
    httpParams: [
      { prop: 'Authorization', httpParametersType: 'HEADERS', value: `Bearer ${input.serviceToken}` },
      { prop: 'external_id', httpParametersType: 'BODY', value: `\${${WORKFLOW_INSTANCE_ID_PARAM}}` },
      { prop: 'execution_id', httpParametersType: 'BODY', value: `\${${EXECUTION_ID_PARAM}}` },
    ],
    httpCheckCondition: 'STATUS_CODE_CUSTOM',
    condition: CALLBACK_ACCEPTED_STATUS,
    connectTimeout: 60_000,
    socketTimeout: 60_000,
  };
}

/** The create/update parameters of the task's workflow. */
export function workflowInput(input: WorkflowSpecInput): DsWorkflowInput {
  const taskDefinition = {
    code: input.taskCode,
    version: 1,
    name: 'metadata-callback',
    description: `Runs task ${input.task.id} of the metadata service`,
    taskType: 'HTTP',
    taskParams: httpTaskParams(input),
    flag: 'YES',
    taskPriority: 'MEDIUM',
    workerGroup: input.workerGroup,
    environmentCode: -1,
    // One attempt per firing, as the builtin scheduler: a refused or failed call is a failed execution, not a late one.
    failRetryTimes: 0,
    failRetryInterval: 1,
    timeoutFlag: 'CLOSE',
    timeoutNotifyStrategy: null,
    timeout: 0,
    delayTime: 0,
    taskGroupId: 0,
    taskGroupPriority: 0,
    cpuQuota: -1,
    memoryMax: -1,
    taskExecuteType: 'BATCH',
    isCache: 'NO',
  };
  const relation = {
    name: '',
    preTaskCode: 0,
    preTaskVersion: 0,
    postTaskCode: input.taskCode,
    postTaskVersion: 1,
    conditionType: 'NONE',
    conditionParams: {},
  };
  return {
    name: workflowNameOf(input.task.id),
    description: `Metadata service task "${input.task.name}" (${input.task.id})`,
    globalParams: JSON.stringify([{ prop: EXECUTION_ID_PARAM, direct: 'IN', type: 'VARCHAR', value: '' }]),
    locations: JSON.stringify([{ taskCode: input.taskCode, x: 120, y: 120 }]),
    taskDefinitionJson: JSON.stringify([taskDefinition]),
    taskRelationJson: JSON.stringify([relation]),
    timeout: 0,
    // Instances may overlap; the callback itself keeps one run per task (a firing during a run is refused).
    executionType: 'PARALLEL',
  };
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** `yyyy-MM-dd HH:mm:ss` of an instant as the wall clock of a time zone (DolphinScheduler's format). */
export function wallClock(at: Date, timeZone: string): string {
  let f = zoneFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * The schedule parameter for a cron schedule: its Quartz expression, its time zone, and the
 * window it fires in (from its start_time or now, to its end_time or a century later), written
 * as wall-clock times of that zone.
 */
export function scheduleParam(schedule: TaskSchedule, now: Date): DsScheduleParam {
  if (!schedule.cron_expr) throw new Error('a DolphinScheduler schedule needs a cron expression');
  const timeZone = schedule.timezone ?? 'UTC';
  const start = schedule.start_time ? new Date(schedule.start_time) : now;
  const end = schedule.end_time
    ? new Date(schedule.end_time)
    : new Date(Date.UTC(start.getUTCFullYear() + 100, start.getUTCMonth(), start.getUTCDate()));
  return {
    startTime: wallClock(start, timeZone),
    endTime: wallClock(end, timeZone),
    timezoneId: timeZone,
    crontab: toQuartzCron(schedule.cron_expr),
  };
}
