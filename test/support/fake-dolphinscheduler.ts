/**
 * A stand-in for Apache DolphinScheduler's API server (3.2.x) on loopback, for tests: no
 * DolphinScheduler runs on these machines. It serves the REST endpoints the integration calls,
 * with the request parameters and `{code, msg, data}` answers of the 3.2 controllers
 * (ProjectController, ProcessDefinitionController, TaskDefinitionController, SchedulerController,
 * ExecutorController, ProcessInstanceController, LoggerController), the `token` header, and the
 * rules those controllers' services enforce (status codes from the api `Status` enum):
 * - a workflow is edited or deleted only while OFFLINE (50008, 50021); taking it OFFLINE takes its
 *   schedule offline; deleting it deletes its offline schedule (an online one refuses, 50023);
 * - a schedule is created only for an ONLINE workflow (50004), starts OFFLINE, is edited only while
 *   OFFLINE (10023), put online only with its workflow online (50004), never twice in a row (10126);
 * - a workflow is started only while ONLINE (50004); the start answers a trigger code.
 *
 * It keeps state (projects, workflows, schedules, instances, task logs), records every call, can
 * be told to fail a call or to be unreachable, and runs instances the way DolphinScheduler's HTTP
 * task does: placeholders `${...}` replaced from the built-in and global parameters, HEADERS as
 * request headers, BODY parameters as a JSON object of strings, the status code checked against
 * the task's condition, and the request parameters written to the task log.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

type Json = Record<string, unknown>;
type Params = Record<string, string>;

export interface FakeCall {
  method: string;
  /** Path below the API root, e.g. `/projects/123/schedules`. */
  path: string;
  params: Params;
  /** The envelope code answered (0: success), or the HTTP status when there was no envelope. */
  code: number;
}

export interface FakeWorkflow {
  code: number;
  projectCode: number;
  name: string;
  description: string;
  releaseState: 'ONLINE' | 'OFFLINE';
  version: number;
  globalParams: Array<{ prop: string; direct: string; type: string; value: string }>;
  taskDefinitions: Array<Json & { code: number; name: string; taskType: string; taskParams: Json }>;
  relations: Json[];
}

export interface FakeSchedule {
  id: number;
  processDefinitionCode: number;
  startTime: string;
  endTime: string;
  timezoneId: string;
  crontab: string;
  releaseState: 'ONLINE' | 'OFFLINE';
  workerGroup: string;
  tenantCode: string;
  failureStrategy: string;
  warningType: string;
}

export interface FakeTaskInstance {
  id: number;
  name: string;
  taskType: string;
  state: string;
  startTime: string;
  endTime: string | null;
}

export interface FakeInstance {
  id: number;
  name: string;
  processDefinitionCode: number;
  projectCode: number;
  state: string;
  commandType: 'START_PROCESS' | 'SCHEDULER';
  triggerCode: number | null;
  startTime: string;
  endTime: string | null;
  tasks: FakeTaskInstance[];
  /** What the HTTP task's callback was answered (status and body), once it ran. */
  callback: { status: number; body: string } | null;
  done: Promise<void>;
}

interface Failure {
  method?: string;
  path: RegExp;
  times: number;
  code?: number;
  msg?: string;
  httpStatus?: number;
}

class DsFail extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const dsTime = (d = new Date()) => d.toISOString().replace('T', ' ').slice(0, 19);
const QUARTZ = /^\S+ \S+ \S+ \S+ \S+ \S+( \S+)?$/;

export class FakeDolphinScheduler {
  readonly token = 'ds-access-token-for-tests';
  readonly calls: FakeCall[] = [];
  readonly projects = new Map<number, { code: number; id: number; name: string; description: string }>();
  readonly workflows = new Map<number, FakeWorkflow>();
  readonly schedules = new Map<number, FakeSchedule>();
  readonly instances = new Map<number, FakeInstance>();
  readonly taskLogs = new Map<number, string>();
  private readonly failures: Failure[] = [];
  private readonly failingRuns: string[] = [];
  private down = false;
  /** How long after start-process-instance the instance runs (the master picking the command up). */
  startDelayMs = 30;
  private seq = 1000;
  private codeSeq = 13_000_000_000_000;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeDolphinScheduler> {
    let fake: FakeDolphinScheduler | null = null;
    const server = createServer((req, res) => void fake!.handle(req, res));
    fake = new FakeDolphinScheduler(server);
    server.on('connection', (s) => {
      fake!.sockets.add(s);
      s.on('close', () => fake!.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The API root the integration is configured with (DOLPHINSCHEDULER_URL). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/dolphinscheduler`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.allSettled([...this.instances.values()].map((i) => i.done));
  }

  /** Answers the next `times` matching calls with DolphinScheduler's error envelope (or a bare HTTP status). */
  failNext(f: {
    method?: string;
    path: RegExp;
    times?: number;
    code?: number;
    msg?: string;
    httpStatus?: number;
  }): void {
    this.failures.push({ times: 1, ...f });
  }

  /** While down, every connection is dropped without an answer (DolphinScheduler unreachable). */
  setDown(down: boolean): void {
    this.down = down;
  }

  /** The next workflow runs fail inside their HTTP task, before calling back, with this log line. */
  failNextRuns(message: string, times = 1): void {
    for (let i = 0; i < times; i++) this.failingRuns.push(message);
  }

  callsTo(method: string, path: RegExp): FakeCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  workflowNamed(name: string): FakeWorkflow | undefined {
    return [...this.workflows.values()].find((w) => w.name === name);
  }

  scheduleOf(workflowCode: number): FakeSchedule | undefined {
    return [...this.schedules.values()].find((s) => s.processDefinitionCode === workflowCode);
  }

  /**
   * The schedule of a workflow fires now, as Quartz would: only when both the schedule and the
   * workflow are ONLINE. Returns the instance, or null when nothing fired.
   */
  fire(workflowCode: number): FakeInstance | null {
    const workflow = this.workflows.get(workflowCode);
    const schedule = this.scheduleOf(workflowCode);
    if (!workflow || !schedule || schedule.releaseState !== 'ONLINE' || workflow.releaseState !== 'ONLINE') return null;
    return this.run(workflow, 'SCHEDULER', null, {});
  }

  /** Every online schedule fires once. */
  fireAll(): FakeInstance[] {
    return [...this.workflows.keys()].map((code) => this.fire(code)).filter((i): i is FakeInstance => i !== null);
  }

  /** Sends an instance's callback once more (a retried or duplicated delivery). */
  async replayCallback(instanceId: number): Promise<{ status: number; body: string }> {
    const instance = this.instances.get(instanceId)!;
    const workflow = this.workflows.get(instance.processDefinitionCode)!;
    return this.callBack(workflow, instance, {});
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/dolphinscheduler/, '');
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const params: Params = Object.fromEntries(url.searchParams);
    if (method === 'POST' || method === 'PUT')
      Object.assign(params, Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    const record = (code: number) => this.calls.push({ method, path, params, code });

    if (req.headers.token !== this.token) {
      // LoginHandlerInterceptor: 401 without a body.
      record(401);
      res.writeHead(401).end();
      return;
    }
    const failure = this.failures.find((f) => (!f.method || f.method === method) && f.path.test(path) && f.times > 0);
    if (failure) {
      failure.times--;
      if (failure.httpStatus) {
        record(failure.httpStatus);
        res
          .writeHead(failure.httpStatus, { 'Content-Type': 'text/html' })
          .end('<html><body>Internal Server Error</body></html>');
        return;
      }
      record(failure.code ?? 10000);
      this.json(res, 200, {
        code: failure.code ?? 10000,
        msg: failure.msg ?? 'Internal Server Error: injected failure',
        data: null,
        failed: true,
        success: false,
      });
      return;
    }
    try {
      const { status, data } = this.route(method, path, params);
      record(0);
      this.json(res, status, { code: 0, msg: 'success', data, failed: false, success: true });
    } catch (err) {
      if (!(err instanceof DsFail)) throw err;
      record(err.code);
      // ApiExceptionHandler answers the envelope with the error's code.
      this.json(res, 200, { code: err.code, msg: err.message, data: null, failed: true, success: false });
    }
  }

  private json(res: ServerResponse, status: number, body: Json): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }

  private route(method: string, path: string, p: Params): { status: number; data: unknown } {
    let m: RegExpExecArray | null;
    const ok = (data: unknown, status = 200) => ({ status, data });
    if (method === 'GET' && path === '/projects/list') return ok([...this.projects.values()]);
    if (method === 'POST' && path === '/projects') return ok(this.createProject(p), 201);
    if (method === 'GET' && (m = /^\/log\/detail$/.exec(path))) return ok(this.log(p));
    if (!(m = /^\/projects\/(\d+)(\/.*)$/.exec(path)))
      throw new DsFail(10000, `Internal Server Error: no handler for ${method} ${path}`);
    const projectCode = Number(m[1]);
    if (!this.projects.has(projectCode)) throw new DsFail(10018, `project ${projectCode} not found `);
    const rest = m[2];

    if (method === 'GET' && rest === '/task-definition/gen-task-codes')
      return ok(Array.from({ length: Number(p.genNum) }, () => ++this.codeSeq));
    if (method === 'POST' && rest === '/process-definition') return ok(this.createWorkflow(projectCode, p), 201);
    if ((m = /^\/process-definition\/(\d+)$/.exec(rest))) {
      const code = Number(m[1]);
      if (method === 'GET') return ok(this.dag(this.workflow(projectCode, code)));
      if (method === 'PUT') return ok(this.updateWorkflow(projectCode, code, p));
      if (method === 'DELETE') return ok(this.deleteWorkflow(projectCode, code));
    }
    if (method === 'POST' && (m = /^\/process-definition\/(\d+)\/release$/.exec(rest)))
      return ok(this.release(projectCode, Number(m[1]), p.releaseState));
    if (rest === '/schedules' && method === 'POST') return ok(this.createSchedule(projectCode, p), 201);
    if (rest === '/schedules' && method === 'GET') {
      const list = [...this.schedules.values()].filter(
        (s) => !Number(p.processDefinitionCode) || s.processDefinitionCode === Number(p.processDefinitionCode),
      );
      if (Number(p.processDefinitionCode) && !this.workflows.has(Number(p.processDefinitionCode)))
        throw new DsFail(50003, `process definition ${p.processDefinitionCode} does not exist`);
      return ok({
        totalList: list,
        total: list.length,
        currentPage: Number(p.pageNo),
        pageSize: Number(p.pageSize),
        totalPage: 1,
      });
    }
    if ((m = /^\/schedules\/(\d+)$/.exec(rest))) {
      const id = Number(m[1]);
      if (method === 'PUT') return ok(this.updateSchedule(id, p));
      if (method === 'DELETE') return ok(this.deleteSchedule(id));
    }
    if (method === 'POST' && (m = /^\/schedules\/(\d+)\/(online|offline)$/.exec(rest)))
      return ok(this.setScheduleState(Number(m[1]), m[2] === 'online' ? 'ONLINE' : 'OFFLINE'));
    if (method === 'POST' && rest === '/executors/start-process-instance') return ok(this.start(projectCode, p));
    if (method === 'GET' && rest === '/process-instances/trigger') {
      return ok(
        [...this.instances.values()]
          .filter((i) => i.triggerCode === Number(p.triggerCode))
          .map((i) => this.instanceView(i)),
      );
    }
    if (method === 'GET' && rest === '/process-instances') {
      const list = [...this.instances.values()]
        .filter(
          (i) =>
            i.projectCode === projectCode &&
            (!Number(p.processDefineCode) || i.processDefinitionCode === Number(p.processDefineCode)) &&
            (!p.stateType || i.state === p.stateType),
        )
        .sort((a, b) => b.id - a.id);
      const size = Number(p.pageSize);
      return ok({
        totalList: list.slice(0, size).map((i) => this.instanceView(i)),
        total: list.length,
        currentPage: 1,
        pageSize: size,
        totalPage: Math.ceil(list.length / size),
      });
    }
    if (method === 'GET' && (m = /^\/process-instances\/(\d+)$/.exec(rest)))
      return ok(this.instanceView(this.instance(Number(m[1]))));
    if (method === 'GET' && (m = /^\/process-instances\/(\d+)\/tasks$/.exec(rest))) {
      const i = this.instance(Number(m[1]));
      return ok({ processInstanceState: i.state, taskList: i.tasks });
    }
    throw new DsFail(10000, `Internal Server Error: no handler for ${method} ${path}`);
  }

  // ---- projects, workflows, schedules --------------------------------------------------------------

  private createProject(p: Params) {
    if ([...this.projects.values()].some((x) => x.name === p.projectName))
      throw new DsFail(10019, `project ${p.projectName} already exists`);
    const project = { id: ++this.seq, code: ++this.codeSeq, name: p.projectName, description: p.description ?? '' };
    this.projects.set(project.code, project);
    return project;
  }

  private workflow(projectCode: number, code: number): FakeWorkflow {
    const w = this.workflows.get(code);
    if (!w || w.projectCode !== projectCode) throw new DsFail(50003, `process definition ${code} does not exist`);
    return w;
  }

  private parseDefinition(p: Params): Pick<FakeWorkflow, 'globalParams' | 'taskDefinitions' | 'relations'> {
    try {
      const taskDefinitions = JSON.parse(p.taskDefinitionJson) as FakeWorkflow['taskDefinitions'];
      const relations = JSON.parse(p.taskRelationJson) as Json[];
      const globalParams = JSON.parse(p.globalParams ?? '[]') as FakeWorkflow['globalParams'];
      if (!Array.isArray(taskDefinitions) || !taskDefinitions.length || !Array.isArray(relations))
        throw new Error('empty');
      for (const t of taskDefinitions)
        if (typeof t.code !== 'number' || !t.taskType || typeof t.taskParams !== 'object') throw new Error('task');
      return { taskDefinitions, relations, globalParams };
    } catch {
      throw new DsFail(50036, 'check process task relation error');
    }
  }

  private createWorkflow(projectCode: number, p: Params) {
    if (!p.name) throw new DsFail(10001, 'request parameter name is not valid');
    if ([...this.workflows.values()].some((w) => w.projectCode === projectCode && w.name === p.name))
      throw new DsFail(10168, `process definition name ${p.name} already exists`);
    const w: FakeWorkflow = {
      code: ++this.codeSeq,
      projectCode,
      name: p.name,
      description: p.description ?? '',
      releaseState: 'OFFLINE',
      version: 1,
      ...this.parseDefinition(p),
    };
    this.workflows.set(w.code, w);
    return this.definitionView(w);
  }

  private updateWorkflow(projectCode: number, code: number, p: Params) {
    const w = this.workflow(projectCode, code);
    if (w.releaseState === 'ONLINE') throw new DsFail(50008, `process definition ${code} does not allow edit`);
    Object.assign(
      w,
      { name: p.name, description: p.description ?? '', version: w.version + 1 },
      this.parseDefinition(p),
    );
    return this.definitionView(w);
  }

  private definitionView(w: FakeWorkflow) {
    return {
      code: w.code,
      name: w.name,
      projectCode: w.projectCode,
      releaseState: w.releaseState,
      version: w.version,
      description: w.description,
      globalParams: JSON.stringify(w.globalParams),
    };
  }

  private dag(w: FakeWorkflow) {
    return {
      processDefinition: this.definitionView(w),
      processTaskRelationList: w.relations,
      taskDefinitionList: w.taskDefinitions,
    };
  }

  private release(projectCode: number, code: number, state: string) {
    const w = this.workflow(projectCode, code);
    if (state !== 'ONLINE' && state !== 'OFFLINE')
      throw new DsFail(10001, 'request parameter releaseState is not valid');
    if (state === 'ONLINE' && !w.relations.length) throw new DsFail(50035, 'process dag is empty');
    w.releaseState = state;
    const s = this.scheduleOf(code);
    if (state === 'OFFLINE' && s) s.releaseState = 'OFFLINE';
    return null;
  }

  private deleteWorkflow(projectCode: number, code: number) {
    const w = this.workflow(projectCode, code);
    if (w.releaseState === 'ONLINE') throw new DsFail(50021, `process definition [${w.name}] is already on line`);
    const s = this.scheduleOf(code);
    if (s?.releaseState === 'ONLINE') throw new DsFail(50023, `the status of schedule ${s.id} is already on line`);
    if (s) this.schedules.delete(s.id);
    this.workflows.delete(code);
    for (const [id, i] of this.instances) if (i.processDefinitionCode === code) this.instances.delete(id);
    return null;
  }

  private scheduleParam(p: Params): Pick<FakeSchedule, 'startTime' | 'endTime' | 'timezoneId' | 'crontab'> {
    let s: { startTime?: string; endTime?: string; timezoneId?: string; crontab?: string };
    try {
      s = JSON.parse(p.schedule) as typeof s;
    } catch {
      throw new DsFail(10140, 'parse cron to cron expression error');
    }
    if (!s.startTime || !s.endTime || !s.crontab) throw new DsFail(10140, 'parse cron to cron expression error');
    if (s.startTime === s.endTime) throw new DsFail(10141, 'The start time must not be the same as the end');
    if (s.startTime > s.endTime) throw new DsFail(80003, 'start time bigger than end time error');
    const f = s.crontab.split(' ');
    // Quartz: seconds first, year optional, and `?` in exactly one of day-of-month and day-of-week.
    if (!QUARTZ.test(s.crontab) || (f[3] === '?') === (f[5] === '?'))
      throw new DsFail(10001, `request parameter ${s.crontab} is not valid`);
    if (s.timezoneId) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: s.timezoneId });
      } catch {
        throw new DsFail(130031, `time zone [${s.timezoneId}] is illegal`);
      }
    }
    return { startTime: s.startTime, endTime: s.endTime, timezoneId: s.timezoneId ?? 'UTC', crontab: s.crontab };
  }

  private createSchedule(projectCode: number, p: Params) {
    const w = this.workflow(projectCode, Number(p.processDefinitionCode));
    if (w.releaseState !== 'ONLINE')
      throw new DsFail(50004, `process definition ${w.code} process version ${w.version} not on line`);
    if (this.scheduleOf(w.code))
      throw new DsFail(
        10204,
        `workflow ${w.code} schedule ${this.scheduleOf(w.code)!.id} already exist, please update or delete it`,
      );
    const s: FakeSchedule = {
      id: ++this.seq,
      processDefinitionCode: w.code,
      ...this.scheduleParam(p),
      releaseState: 'OFFLINE',
      workerGroup: p.workerGroup ?? 'default',
      tenantCode: p.tenantCode ?? 'default',
      failureStrategy: p.failureStrategy ?? 'CONTINUE',
      warningType: p.warningType ?? 'NONE',
    };
    this.schedules.set(s.id, s);
    return { ...s };
  }

  private schedule(id: number): FakeSchedule {
    const s = this.schedules.get(id);
    if (!s) throw new DsFail(10022, `scheduler crontab ${id} does not exist`);
    return s;
  }

  private updateSchedule(id: number, p: Params) {
    const s = this.schedule(id);
    if (s.releaseState === 'ONLINE') throw new DsFail(10023, 'online status does not allow update operations');
    Object.assign(s, this.scheduleParam(p), {
      workerGroup: p.workerGroup ?? 'default',
      tenantCode: p.tenantCode ?? 'default',
    });
    return null;
  }

  private setScheduleState(id: number, state: 'ONLINE' | 'OFFLINE') {
    const s = this.schedule(id);
    if (s.releaseState === state) throw new DsFail(10126, `schedule release is already ${state}`);
    const w = this.workflows.get(s.processDefinitionCode)!;
    if (state === 'ONLINE' && w.releaseState !== 'ONLINE')
      throw new DsFail(50004, `process definition ${w.name} process version ${w.version} not on line`);
    s.releaseState = state;
    return null;
  }

  private deleteSchedule(id: number) {
    const s = this.schedule(id);
    if (s.releaseState === 'ONLINE') throw new DsFail(50023, `the status of schedule ${id} is already on line`);
    this.schedules.delete(id);
    return null;
  }

  // ---- runs ------------------------------------------------------------------------------------

  private start(projectCode: number, p: Params) {
    const w = this.workflow(projectCode, Number(p.processDefinitionCode));
    if (w.releaseState !== 'ONLINE')
      throw new DsFail(50004, `process definition ${w.code} process version ${w.version} not on line`);
    if (!p.failureStrategy || !p.warningType || p.scheduleTime === undefined)
      throw new DsFail(10001, 'request parameter failureStrategy is not valid');
    let startParams: Params = {};
    if (p.startParams) startParams = JSON.parse(p.startParams) as Params;
    const triggerCode = ++this.codeSeq;
    // The master picks the command up a moment later.
    setTimeout(() => this.run(w, 'START_PROCESS', triggerCode, startParams), this.startDelayMs).unref();
    return triggerCode;
  }

  private instance(id: number): FakeInstance {
    const i = this.instances.get(id);
    if (!i) throw new DsFail(50001, `process instance ${id} does not exist`);
    return i;
  }

  private instanceView(i: FakeInstance) {
    return {
      id: i.id,
      name: i.name,
      processDefinitionCode: i.processDefinitionCode,
      projectCode: i.projectCode,
      state: i.state,
      commandType: i.commandType,
      startTime: i.startTime,
      endTime: i.endTime,
      host: '127.0.0.1:5678',
    };
  }

  private log(p: Params) {
    const text = this.taskLogs.get(Number(p.taskInstanceId));
    if (text === undefined) throw new DsFail(10008, 'task instance not found');
    const lines = text.split('\n').slice(Number(p.skipLineNum), Number(p.skipLineNum) + Number(p.limit));
    return { lineNum: lines.length, message: lines.join('\n') };
  }

  private run(
    w: FakeWorkflow,
    commandType: FakeInstance['commandType'],
    triggerCode: number | null,
    startParams: Params,
  ): FakeInstance {
    const id = ++this.seq;
    const instance: FakeInstance = {
      id,
      name: `${w.name}-${commandType === 'SCHEDULER' ? 1 : 0}-${Date.now()}`,
      processDefinitionCode: w.code,
      projectCode: w.projectCode,
      state: 'RUNNING_EXECUTION',
      commandType,
      triggerCode,
      startTime: dsTime(),
      endTime: null,
      tasks: [],
      callback: null,
      done: Promise.resolve(),
    };
    this.instances.set(id, instance);
    instance.done = this.execute(w, instance, startParams).catch(() => {
      instance.state = 'FAILURE';
      instance.endTime = dsTime();
    });
    return instance;
  }

  private async execute(w: FakeWorkflow, instance: FakeInstance, startParams: Params): Promise<void> {
    const def = w.taskDefinitions[0];
    const task: FakeTaskInstance = {
      id: ++this.seq,
      name: def.name,
      taskType: def.taskType,
      state: 'RUNNING_EXECUTION',
      startTime: dsTime(),
      endTime: null,
    };
    instance.tasks.push(task);
    const lines = [
      `[INFO] ${dsTime()} - Begin to initialize task`,
      `[INFO] ${dsTime()} - Initialize http task params ${JSON.stringify(def.taskParams)}`,
    ];
    const failure = this.failingRuns.shift();
    let ok = false;
    if (failure !== undefined) {
      lines.push(`[ERROR] ${dsTime()} - ${failure}`);
    } else {
      const result = await this.callBack(w, instance, startParams, lines);
      ok = result.ok;
    }
    task.state = ok ? 'SUCCESS' : 'FAILURE';
    task.endTime = dsTime();
    lines.push(`[INFO] ${dsTime()} - FINALIZE_SESSION`);
    this.taskLogs.set(task.id, lines.join('\n'));
    instance.state = ok ? 'SUCCESS' : 'FAILURE';
    instance.endTime = dsTime();
  }

  /** What the HTTP task sends, built from its parameters with the placeholders replaced. */
  private async callBack(
    w: FakeWorkflow,
    instance: FakeInstance,
    startParams: Params,
    lines: string[] = [],
  ): Promise<{ ok: boolean; status: number; body: string }> {
    const def = w.taskDefinitions[0];
    const params = def.taskParams as {
      url: string;
      httpMethod: string;
      httpParams: Array<{ prop: string; httpParametersType: string; value: string }>;
      httpCheckCondition: string;
      condition: string;
    };
    const values: Params = {
      'system.workflow.instance.id': String(instance.id),
      'system.workflow.definition.code': String(w.code),
      'system.workflow.definition.name': w.name,
      'system.project.code': String(w.projectCode),
      ...Object.fromEntries(w.globalParams.map((g) => [g.prop, g.value])),
      ...startParams,
    };
    const fill = (s: string) => s.replace(/\$\{([^}]+)\}/g, (all, key: string) => (key in values ? values[key] : all));
    const props = params.httpParams.map((h) => ({ ...h, value: fill(h.value) }));
    for (const h of props) lines.push(`[INFO] ${dsTime()} - http request params：${JSON.stringify(h)}`);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const body: Params = {};
    const query = new URLSearchParams();
    for (const h of props) {
      if (h.httpParametersType === 'HEADERS') headers[h.prop] = h.value;
      else if (h.httpParametersType === 'BODY') body[h.prop] = h.value;
      else query.append(h.prop, h.value);
    }
    const url = fill(params.url) + ([...query.keys()].length ? `?${query.toString()}` : '');
    let status = -1;
    let text = '';
    try {
      const res = await fetch(url, {
        method: params.httpMethod,
        headers,
        body: params.httpMethod === 'GET' ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      lines.push(`[ERROR] ${dsTime()} - httpUrl[${url}] connection failed：${(err as Error).message}`);
      return { ok: false, status, body: text };
    }
    instance.callback = { status, body: text };
    const expected = params.httpCheckCondition === 'STATUS_CODE_CUSTOM' ? params.condition : '200';
    const ok = String(status) === expected;
    lines.push(
      `[INFO] ${dsTime()} - httpUrl: ${url}, httpMethod: ${params.httpMethod}, statusCode : ${status}, body : ${text}`,
    );
    if (!ok) lines.push(`[ERROR] ${dsTime()} - ${url} statuscode: ${status}, Must be: ${expected}`);
    return { ok, status, body: text };
  }
}

/**
 * A forwarder the callback URL can point at before the app listens (the app picks its port when
 * it starts); `target` is set once it does.
 */
export class CallbackRelay {
  target = '';

  private constructor(private readonly server: Server) {}

  static async start(): Promise<CallbackRelay> {
    let relay: CallbackRelay | null = null;
    const server = createServer((req, res) => void relay!.forward(req, res));
    relay = new CallbackRelay(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    try {
      const upstream = await fetch(`${this.target}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      res
        .writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' })
        .end(await upstream.text());
    } catch {
      res.writeHead(502).end();
    }
  }
}
