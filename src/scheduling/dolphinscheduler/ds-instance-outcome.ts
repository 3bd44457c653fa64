import { DsInstanceTasks, DsProcessInstance, DsTaskLog } from './ds-api.types';

/** Workflow instance states (WorkflowExecutionStatus, 3.x) after which nothing more happens. */
const FAILED_STATES = new Set(['FAILURE', 'STOP', 'PAUSE', 'KILL']);

export type InstanceOutcome = 'running' | 'succeeded' | 'failed';

export function outcomeOf(instance: Pick<DsProcessInstance, 'state'>): InstanceOutcome {
  if (instance.state === 'SUCCESS') return 'succeeded';
  if (FAILED_STATES.has(String(instance.state))) return 'failed';
  return 'running';
}

/** Task instance states that mean the task did not succeed. */
const FAILED_TASK_STATES = new Set(['FAILURE', 'KILL', 'STOP', 'NEED_FAULT_TOLERANCE', 'PAUSE']);

/**
 * DolphinScheduler's HTTP task writes its request parameters to the task log, the callback's
 * `Authorization` header included: masked before any of it is stored or shown here.
 */
export function redactCredentials(text: string): string {
  return text.replace(/(Bearer\s+)[^\s"',}]+/gi, '$1******').replace(/mds-svc\.[A-Za-z0-9._~-]+/g, '******');
}

/** The last lines of a task log, at most `max` characters, credentials masked, blank lines dropped. */
export function logTail(log: string, max = 2000): string {
  const lines = redactCredentials(log)
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0);
  let out = '';
  for (let i = lines.length - 1; i >= 0; i--) {
    const next = out ? `${lines[i]}\n${out}` : lines[i];
    if (next.length > max) break;
    out = next;
  }
  return out;
}

/**
 * What a user reads on the execution of a failed instance: DolphinScheduler's state, the failed
 * task, and the last line of its log as message; the log's tail as details.
 */
export function failureOf(
  instance: DsProcessInstance,
  tasks: DsInstanceTasks | null,
  log: DsTaskLog | null,
): { message: string; details: string | null } {
  const failedTask = tasks?.taskList?.find((t) => FAILED_TASK_STATES.has(String(t.state))) ?? null;
  const tail = log?.message ? logTail(log.message) : '';
  const lastLine = reasonIn(tail);
  const head = `DolphinScheduler workflow instance ${instance.id} ended ${instance.state}`;
  const task = failedTask ? `: task "${failedTask.name}" ${failedTask.state}` : '';
  return { message: `${head}${task}${lastLine ? ` — ${lastLine.slice(0, 500)}` : ''}`, details: tail || null };
}

const LOG_PREFIX = /^\[(\w+)\]\s+\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:\s*[+-]\d{2}:?\d{2})?\s+-\s+/;

/** The line of a task log that says why it failed: the last ERROR line, else the last line; without its level and time. */
export function reasonIn(tail: string): string {
  const lines = tail.split('\n');
  const errors = lines.filter((l) => LOG_PREFIX.exec(l)?.[1]?.toUpperCase() === 'ERROR');
  const line = errors.pop() ?? lines.pop() ?? '';
  return line.replace(LOG_PREFIX, '');
}

/** The failed task instance of an instance's task list, if any. */
export function failedTaskOf(tasks: DsInstanceTasks | null): { id: number; name: string } | null {
  const t = tasks?.taskList?.find((x) => FAILED_TASK_STATES.has(String(x.state)));
  return t ? { id: Number(t.id), name: t.name } : null;
}
