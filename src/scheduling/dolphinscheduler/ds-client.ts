import { FetchLike } from '@app/connectors';
import {
  DsDagData,
  DsInstanceTasks,
  DsPage,
  DsProcessDefinition,
  DsProcessInstance,
  DsProject,
  DsResult,
  DsSchedule,
  DsScheduleParam,
  DsTaskLog,
  ReleaseState,
} from './ds-api.types';
import { DolphinSchedulerError } from './ds-error';

/**
 * A client for the parts of Apache DolphinScheduler's REST API (3.2.x, see ds-api.types.ts) this
 * integration uses. One method per endpoint: it sends the documented parameters and returns the
 * envelope's `data`, or throws a DolphinSchedulerError naming the call and DolphinScheduler's
 * message. The access token goes in the `token` header only and never into an error or a log.
 */

export interface DsClientOptions {
  /** Base URL of the API server, e.g. `http://ds:12345/dolphinscheduler`. */
  baseUrl: string;
  token: string;
  timeoutMs: number;
  /** The HTTP client: the guarded fetch (address policy, no redirects) outside tests. */
  fetch: FetchLike;
}

type Params = Record<string, string | number | boolean | null | undefined>;

/** Workflow (process definition) fields sent on create and update. */
export interface DsWorkflowInput {
  name: string;
  description: string;
  /** JSON array of global parameters (`[{prop, direct, type, value}]`). */
  globalParams: string;
  /** JSON array of `{taskCode, x, y}`. */
  locations: string;
  /** JSON array of task definitions. */
  taskDefinitionJson: string;
  /** JSON array of task relations. */
  taskRelationJson: string;
  timeout: number;
  executionType: 'PARALLEL' | 'SERIAL_WAIT' | 'SERIAL_DISCARD' | 'SERIAL_PRIORITY';
}

/** Options a schedule and a manual start share. */
export interface DsRunOptions {
  workerGroup: string;
  tenantCode: string;
  failureStrategy: 'END' | 'CONTINUE';
  warningType: 'NONE' | 'SUCCESS' | 'FAILURE' | 'ALL';
  processInstancePriority: 'HIGHEST' | 'HIGH' | 'MEDIUM' | 'LOW' | 'LOWEST';
}

const safeCode = (value: unknown, what: string, request: string): number => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  throw new DolphinSchedulerError('protocol', what, request, `answered an unusable ${what} ${JSON.stringify(value)}`);
};

export class DolphinSchedulerClient {
  private readonly fetchFn: FetchLike;
  private readonly baseUrl: string;

  constructor(private readonly options: DsClientOptions) {
    this.fetchFn = options.fetch;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  // ---- projects -------------------------------------------------------------------------------

  /** GET /projects/list: every project the token's user may see. */
  listProjects(): Promise<DsProject[]> {
    return this.call<DsProject[]>('list projects', 'GET', '/projects/list');
  }

  /** POST /projects (201): creates a project; data is the project. */
  createProject(name: string, description: string): Promise<DsProject> {
    return this.call<DsProject>('create project', 'POST', '/projects', { projectName: name, description });
  }

  // ---- workflow (process) definitions ---------------------------------------------------------

  /** GET /projects/{projectCode}/task-definition/gen-task-codes: fresh task definition codes. */
  async genTaskCodes(projectCode: number, count: number): Promise<number[]> {
    const path = `/projects/${projectCode}/task-definition/gen-task-codes`;
    const codes = await this.call<unknown[]>('generate task codes', 'GET', path, { genNum: count });
    return codes.map((c) => safeCode(c, 'task code', `GET ${path}`));
  }

  /** POST /projects/{projectCode}/process-definition (201): created OFFLINE; data is the definition. */
  async createWorkflow(projectCode: number, input: DsWorkflowInput): Promise<DsProcessDefinition> {
    const path = `/projects/${projectCode}/process-definition`;
    const def = await this.call<DsProcessDefinition>('create workflow', 'POST', path, { ...input });
    return { ...def, code: safeCode(def?.code, 'workflow code', `POST ${path}`) };
  }

  /** PUT /projects/{projectCode}/process-definition/{code}: only while OFFLINE (50008 otherwise). */
  async updateWorkflow(projectCode: number, code: number, input: DsWorkflowInput): Promise<void> {
    await this.call('update workflow', 'PUT', `/projects/${projectCode}/process-definition/${code}`, {
      ...input,
      releaseState: 'OFFLINE',
    });
  }

  /** GET /projects/{projectCode}/process-definition/{code}; null when it does not exist (50003). */
  async findWorkflow(projectCode: number, code: number): Promise<DsDagData | null> {
    try {
      return await this.call<DsDagData>('read workflow', 'GET', `/projects/${projectCode}/process-definition/${code}`);
    } catch (err) {
      if (err instanceof DolphinSchedulerError && err.is(50003)) return null;
      throw err;
    }
  }

  /** POST /projects/{projectCode}/process-definition/{code}/release; OFFLINE also takes its schedule offline. */
  async releaseWorkflow(projectCode: number, code: number, releaseState: ReleaseState): Promise<void> {
    await this.call(
      `set workflow ${releaseState.toLowerCase()}`,
      'POST',
      `/projects/${projectCode}/process-definition/${code}/release`,
      {
        releaseState,
      },
    );
  }

  /** DELETE /projects/{projectCode}/process-definition/{code}: needs it OFFLINE; removes its offline schedule too. */
  async deleteWorkflow(projectCode: number, code: number): Promise<void> {
    await this.call('delete workflow', 'DELETE', `/projects/${projectCode}/process-definition/${code}`);
  }

  // ---- schedules ------------------------------------------------------------------------------

  /** POST /projects/{projectCode}/schedules (201): needs the workflow ONLINE; created OFFLINE. */
  async createSchedule(
    projectCode: number,
    processDefinitionCode: number,
    schedule: DsScheduleParam,
    run: DsRunOptions,
  ): Promise<DsSchedule> {
    const path = `/projects/${projectCode}/schedules`;
    const created = await this.call<DsSchedule>('create schedule', 'POST', path, {
      processDefinitionCode,
      schedule: JSON.stringify(schedule),
      ...run,
      environmentCode: -1,
    });
    return { ...created, id: safeCode(created?.id, 'schedule id', `POST ${path}`) };
  }

  /** PUT /projects/{projectCode}/schedules/{id}: only while OFFLINE (10023 otherwise). */
  async updateSchedule(projectCode: number, id: number, schedule: DsScheduleParam, run: DsRunOptions): Promise<void> {
    await this.call('update schedule', 'PUT', `/projects/${projectCode}/schedules/${id}`, {
      schedule: JSON.stringify(schedule),
      ...run,
      environmentCode: -1,
    });
  }

  /** GET /projects/{projectCode}/schedules?processDefinitionCode=…: a workflow has at most one schedule. */
  async findScheduleOf(projectCode: number, processDefinitionCode: number): Promise<DsSchedule | null> {
    try {
      const page = await this.call<DsPage<DsSchedule>>('list schedules', 'GET', `/projects/${projectCode}/schedules`, {
        processDefinitionCode,
        pageNo: 1,
        pageSize: 10,
      });
      return page?.totalList?.find((s) => Number(s.processDefinitionCode) === processDefinitionCode) ?? null;
    } catch (err) {
      if (err instanceof DolphinSchedulerError && err.is(50003)) return null;
      throw err;
    }
  }

  /** POST /projects/{projectCode}/schedules/{id}/online|offline (10126 when already in that state). */
  async setScheduleState(projectCode: number, id: number, state: ReleaseState): Promise<void> {
    await this.call(
      `set schedule ${state.toLowerCase()}`,
      'POST',
      `/projects/${projectCode}/schedules/${id}/${state === 'ONLINE' ? 'online' : 'offline'}`,
    );
  }

  /** DELETE /projects/{projectCode}/schedules/{id}: needs it OFFLINE. */
  async deleteSchedule(projectCode: number, id: number): Promise<void> {
    await this.call('delete schedule', 'DELETE', `/projects/${projectCode}/schedules/${id}`);
  }

  // ---- executions -----------------------------------------------------------------------------

  /**
   * POST /projects/{projectCode}/executors/start-process-instance: runs an ONLINE workflow now;
   * `startParams` override its global parameters. Data is the trigger code (3.2).
   */
  async startWorkflow(
    projectCode: number,
    processDefinitionCode: number,
    run: DsRunOptions,
    startParams: Record<string, string>,
  ): Promise<number> {
    const path = `/projects/${projectCode}/executors/start-process-instance`;
    const trigger = await this.call<unknown>('start workflow', 'POST', path, {
      processDefinitionCode,
      scheduleTime: '',
      execType: 'START_PROCESS',
      taskDependType: 'TASK_POST',
      ...run,
      environmentCode: -1,
      startParams: JSON.stringify(startParams),
      dryRun: 0,
      testFlag: 0,
    });
    return safeCode(trigger, 'trigger code', `POST ${path}`);
  }

  /** GET /projects/{projectCode}/process-instances/trigger?triggerCode=…: the instances a start created. */
  async instancesOfTrigger(projectCode: number, triggerCode: number): Promise<DsProcessInstance[]> {
    const found = await this.call<DsProcessInstance[] | null>(
      'find process instances of a trigger',
      'GET',
      `/projects/${projectCode}/process-instances/trigger`,
      { triggerCode },
    );
    return found ?? [];
  }

  /** GET /projects/{projectCode}/process-instances/{id}; null when it does not exist (50001). */
  async findInstance(projectCode: number, id: number): Promise<DsProcessInstance | null> {
    try {
      return await this.call<DsProcessInstance>(
        'read process instance',
        'GET',
        `/projects/${projectCode}/process-instances/${id}`,
      );
    } catch (err) {
      if (err instanceof DolphinSchedulerError && err.is(50001)) return null;
      throw err;
    }
  }

  /** GET /projects/{projectCode}/process-instances?processDefineCode=…&stateType=…: newest first. */
  async listInstances(
    projectCode: number,
    processDefineCode: number,
    stateType: string,
    pageSize: number,
  ): Promise<DsProcessInstance[]> {
    const page = await this.call<DsPage<DsProcessInstance>>(
      'list process instances',
      'GET',
      `/projects/${projectCode}/process-instances`,
      {
        processDefineCode,
        stateType,
        pageNo: 1,
        pageSize,
      },
    );
    return page?.totalList ?? [];
  }

  /** GET /projects/{projectCode}/process-instances/{id}/tasks */
  instanceTasks(projectCode: number, id: number): Promise<DsInstanceTasks> {
    return this.call<DsInstanceTasks>(
      'list task instances',
      'GET',
      `/projects/${projectCode}/process-instances/${id}/tasks`,
    );
  }

  /** GET /log/detail?taskInstanceId=…&skipLineNum=…&limit=… */
  taskLog(taskInstanceId: number, skipLineNum: number, limit: number): Promise<DsTaskLog> {
    return this.call<DsTaskLog>('read task log', 'GET', '/log/detail', { taskInstanceId, skipLineNum, limit });
  }

  // ---- transport ------------------------------------------------------------------------------

  private async call<T>(
    operation: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    params: Params = {},
  ): Promise<T> {
    const request = `${method} ${path}`;
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) form.append(k, String(v));
    const withQuery = method === 'GET' || method === 'DELETE';
    const url = `${this.baseUrl}${path}${withQuery && [...form.keys()].length ? `?${form.toString()}` : ''}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method,
        headers: {
          token: this.options.token,
          Accept: 'application/json',
          ...(withQuery ? {} : { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' }),
        },
        body: withQuery ? undefined : form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        throw new DolphinSchedulerError('timeout', operation, request, `no answer within ${this.options.timeoutMs} ms`);
      throw new DolphinSchedulerError(
        'unreachable',
        operation,
        request,
        e.cause?.code ?? e.cause?.message ?? e.message ?? 'connection failed',
      );
    }
    const text = await res.text().catch(() => '');
    let body: DsResult<T> | null = null;
    try {
      const parsed: unknown = text ? JSON.parse(text) : null;
      if (parsed && typeof parsed === 'object' && 'code' in parsed) body = parsed as DsResult<T>;
    } catch {
      body = null;
    }
    if (body && typeof body.code === 'number' && body.code !== 0) {
      throw new DolphinSchedulerError(
        'api',
        operation,
        request,
        body.msg || `error ${body.code}`,
        body.code,
        res.status,
      );
    }
    if (!res.ok) {
      const why =
        res.status === 401
          ? 'the access token was refused (check DOLPHINSCHEDULER_TOKEN)'
          : res.status >= 300 && res.status < 400
            ? 'a redirect, not followed (check DOLPHINSCHEDULER_URL)'
            : `${res.statusText || 'error'}${text ? `: ${text.slice(0, 200)}` : ''}`;
      throw new DolphinSchedulerError('http', operation, request, `HTTP ${res.status} ${why}`, null, res.status);
    }
    if (!body)
      throw new DolphinSchedulerError(
        'protocol',
        operation,
        request,
        `answered HTTP ${res.status} without its {code, msg, data} envelope`,
        null,
        res.status,
      );
    return body.data;
  }
}
