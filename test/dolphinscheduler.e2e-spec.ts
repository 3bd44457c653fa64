/**
 * DolphinScheduler as the second scheduler, end to end: the app against a stand-in for
 * DolphinScheduler's API server (test/support/fake-dolphinscheduler.ts, shaped after the 3.2.x
 * REST API) that fires schedules and runs the workflow's HTTP task like DolphinScheduler does,
 * calling back the app. No real DolphinScheduler runs here.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { bearer, bootApp, currentStore, describeE2E, TestApp } from './support/app';
import { GrpcTestClient } from './support/grpc-client';
import { CallbackRelay, FakeDolphinScheduler, FakeInstance, FakeWorkflow } from './support/fake-dolphinscheduler';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';
import { injectTestSource, TEST_SOURCE_TYPE } from './support/tasks-test-connector';
import { sleep, unique, waitFor } from './support/wait';

type Json = Record<string, unknown>;

const TASK_ENV = {
  SCHEDULER_TICK_MS: '250',
  EXECUTION_HEARTBEAT_MS: '250',
  HEALTH_CHECK_INTERVAL_SECONDS: '0',
  DOLPHINSCHEDULER_TIMEOUT_MS: '3000',
  DOLPHINSCHEDULER_POLL_MS: '100',
  DOLPHINSCHEDULER_POLL_MAX_MS: '400',
  DOLPHINSCHEDULER_TENANT: 'etl',
  DOLPHINSCHEDULER_WORKER_GROUP: 'metadata-workers',
};

class Api {
  constructor(readonly t: TestApp) {}
  get(path: string, token = this.t.adminToken) {
    return this.t.http.get(`/api/v1${path}`).set(bearer(token));
  }
  post(path: string, body?: unknown, token = this.t.adminToken) {
    const req = this.t.http.post(`/api/v1${path}`).set(bearer(token));
    return body === undefined ? req : req.send(body as object);
  }
  put(path: string, body: unknown) {
    return this.t.http
      .put(`/api/v1${path}`)
      .set(bearer(this.t.adminToken))
      .send(body as object);
  }
  delete(path: string) {
    return this.t.http.delete(`/api/v1${path}`).set(bearer(this.t.adminToken));
  }
  async dataSource(config: Json, type = TEST_SOURCE_TYPE): Promise<string> {
    const res = await this.post('/datasources', { name: unique('ds'), type, config });
    if (res.status !== 201) throw new Error(`create data source: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }
  async task(body: Json): Promise<Json> {
    const res = await this.post('/tasks', { name: unique('task'), type: 'full_collection', ...body });
    if (res.status !== 201) throw new Error(`create task: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Json;
  }
  async executions(taskId: string): Promise<Json[]> {
    const res = await this.get(`/tasks/${taskId}/executions?page_size=100`);
    expect(res.status).toBe(200);
    return res.body.executions as Json[];
  }
  finished(taskId: string, execId: string, timeoutMs = 20_000): Promise<Json> {
    return waitFor(
      `execution ${execId} to finish`,
      async () => {
        const res = await this.get(`/tasks/${taskId}/executions/${execId}`);
        return ['completed', 'failed', 'cancelled'].includes(res.body.status as string)
          ? (res.body as Json)
          : undefined;
      },
      timeoutMs,
    );
  }
  /** The execution of a workflow instance, once it has finished. */
  ofInstance(taskId: string, instanceId: number, timeoutMs = 20_000): Promise<Json> {
    return waitFor(
      `the execution of instance ${instanceId}`,
      async () => {
        const found = (await this.executions(taskId)).find((e) => e.external_id === String(instanceId));
        return found && ['completed', 'failed', 'cancelled'].includes(found.status as string) ? found : undefined;
      },
      timeoutMs,
    );
  }
}

interface Harness {
  fake: FakeDolphinScheduler;
  relay: CallbackRelay;
  t: TestApp;
  api: Api;
  project: string;
}

async function bootWithDolphinScheduler(env: Record<string, string> = {}): Promise<Harness> {
  const fake = await FakeDolphinScheduler.start();
  const relay = await CallbackRelay.start();
  const project = unique('metadata-e2e');
  const t = await bootApp({
    env: {
      ...TASK_ENV,
      DOLPHINSCHEDULER_URL: fake.url,
      DOLPHINSCHEDULER_TOKEN: fake.token,
      DOLPHINSCHEDULER_PROJECT: project,
      DOLPHINSCHEDULER_CALLBACK_URL: relay.url,
      ...env,
    },
    prepare: injectTestSource,
  });
  relay.target = t.baseUrl;
  return { fake, relay, t, api: new Api(t), project };
}

async function shutdown(h: Harness | undefined): Promise<void> {
  if (!h) return;
  await h.t.close();
  await h.fake.close();
  await h.relay.close();
  for (const k of [
    'DOLPHINSCHEDULER_URL',
    'DOLPHINSCHEDULER_TOKEN',
    'DOLPHINSCHEDULER_PROJECT',
    'DOLPHINSCHEDULER_CALLBACK_URL',
  ])
    delete process.env[k];
}

const httpParams = (w: FakeWorkflow) =>
  (
    w.taskDefinitions[0].taskParams as {
      httpParams: Array<{ prop: string; httpParametersType: string; value: string }>;
    }
  ).httpParams;
const callbackToken = (w: FakeWorkflow) =>
  httpParams(w)
    .find((p) => p.prop === 'Authorization')!
    .value.replace(/^Bearer /, '');

describeE2E('dolphinscheduler: tasks scheduled by DolphinScheduler', () => {
  let h: Harness;
  let api: Api;
  let fake: FakeDolphinScheduler;
  let ds: string;
  beforeAll(async () => {
    h = await bootWithDolphinScheduler();
    ({ api, fake } = h);
    ds = await api.dataSource({ behavior: 'fast', assets: 3 });
  });
  afterAll(async () => {
    await shutdown(h);
  });

  /** A started task with a cron schedule, its workflow in the fake. */
  async function started(
    schedule: Json = { type: 'cron', cron_expr: '0 3 * * *', timezone: 'UTC' },
  ): Promise<{ id: string; workflow: FakeWorkflow; task: Json }> {
    const task = await api.task({ datasource_id: ds, scheduler_type: 'dolphinscheduler', schedule });
    const id = task.id as string;
    const res = await api.post(`/tasks/${id}/start`);
    expect(res.status).toBe(200);
    const workflow = fake.workflowNamed(`metadata-${id}`)!;
    expect(workflow).toBeDefined();
    return { id, workflow, task: res.body as Json };
  }

  async function fired(workflow: FakeWorkflow): Promise<FakeInstance> {
    const instance = fake.fire(workflow.code);
    expect(instance).not.toBeNull();
    await instance!.done;
    return instance!;
  }

  it('refuses schedules DolphinScheduler cannot run, saying what would work', async () => {
    const interval = await api.post('/tasks', {
      name: unique('t'),
      datasource_id: ds,
      type: 'full_collection',
      scheduler_type: 'dolphinscheduler',
      schedule: { type: 'interval', interval: 300 },
    });
    expect(interval.status).toBe(400);
    expect(interval.body.code).toBe('INVALID_REQUEST');
    expect(interval.body.message).toMatch(/DolphinScheduler runs cron schedules only/);
    expect(interval.body.details).toContain('"0 */5 * * * *"');
    const none = await api.post('/tasks', {
      name: unique('t'),
      datasource_id: ds,
      type: 'full_collection',
      scheduler_type: 'dolphinscheduler',
    });
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/immediate schedule cannot be given/);
    const both = await api.post('/tasks', {
      name: unique('t'),
      datasource_id: ds,
      type: 'full_collection',
      scheduler_type: 'dolphinscheduler',
      schedule: { type: 'cron', cron_expr: '0 0 1 * 1' },
    });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/both the day of the month and the day of the week/);
    // Creating a task does not touch DolphinScheduler yet.
    expect(fake.callsTo('POST', /process-definition$/)).toHaveLength(0);
  });

  it('start creates the workflow and its schedule with the cron and time zone, both online', async () => {
    const { id, workflow, task } = await started({
      type: 'cron',
      cron_expr: '30 2 * * 1-5',
      timezone: 'Asia/Shanghai',
    });
    expect(task).toMatchObject({
      status: 'active',
      scheduler_type: 'dolphinscheduler',
      external_workflow_code: String(workflow.code),
    });
    expect(task.next_execute_at).toEqual(expect.any(String));

    const project = [...fake.projects.values()].find((p) => p.name === h.project)!;
    expect(project).toBeDefined();
    expect(workflow.projectCode).toBe(project.code);
    expect(workflow.releaseState).toBe('ONLINE');
    const def = workflow.taskDefinitions[0];
    expect(def).toMatchObject({ taskType: 'HTTP', workerGroup: 'metadata-workers' });
    expect(def.taskParams).toMatchObject({
      url: `${h.relay.url}/api/v1/tasks/${id}/execute`,
      httpMethod: 'POST',
      httpCheckCondition: 'STATUS_CODE_CUSTOM',
      condition: '202',
    });
    expect(httpParams(workflow)).toEqual(
      expect.arrayContaining([
        {
          prop: 'Authorization',
          httpParametersType: 'HEADERS',
          value: expect.stringMatching(/^Bearer mds-svc\.svc-[0-9a-z]+\.[\w-]{43}$/),
        },
        { prop: 'external_id', httpParametersType: 'BODY', value: '${system.workflow.instance.id}' },
        { prop: 'execution_id', httpParametersType: 'BODY', value: '${execution_id}' },
      ]),
    );
    const schedule = fake.scheduleOf(workflow.code)!;
    expect(String(schedule.id)).toBe(task.external_schedule_id);
    // Quartz: seconds first, weekdays counted from Sunday = 1, `?` for the free day field.
    expect(schedule).toMatchObject({
      crontab: '0 30 2 ? * 2-6 *',
      timezoneId: 'Asia/Shanghai',
      releaseState: 'ONLINE',
      workerGroup: 'metadata-workers',
      tenantCode: 'etl',
    });
    expect(schedule.startTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(fake.callsTo('POST', /^\/projects$/)).toHaveLength(1);
    // The access token travels in the `token` header only.
    expect(JSON.stringify(fake.calls)).not.toContain(fake.token);
  });

  it('a firing calls back and runs an ordinary execution marked with the workflow instance; a repeated callback runs nothing twice', async () => {
    const { id, workflow } = await started();
    const instance = await fired(workflow);
    expect(instance.state).toBe('SUCCESS');
    expect(instance.callback?.status).toBe(202);
    const execution = await api.ofInstance(id, instance.id);
    expect(execution).toMatchObject({
      status: 'completed',
      trigger: 'schedule',
      external_id: String(instance.id),
      error: null,
    });
    expect(execution.result).toMatchObject({ tables_processed: 3 });

    const again = await fake.replayCallback(instance.id);
    expect(again.status).toBe(202);
    expect(JSON.parse(again.body).execution_id).toBe(execution.id);
    expect(await api.executions(id)).toHaveLength(1);
    const task = await api.get(`/tasks/${id}`);
    expect(task.body.last_executed_at).toEqual(expect.any(String));
  });

  it('gRPC shows the same DolphinScheduler ids: the workflow and schedule of a task, the instance of an execution', async () => {
    const { id, workflow, task } = await started();
    const instance = await fired(workflow);
    const execution = await api.ofInstance(id, instance.id);
    const grpc = new GrpcTestClient(h.t.grpcUrl);
    try {
      const got = await grpc.call('TaskService', 'Get', { id }, h.t.adminToken);
      expect(got).toMatchObject({
        scheduler_type: 'dolphinscheduler',
        external_workflow_code: String(workflow.code),
        external_schedule_id: task.external_schedule_id,
      });
      expect(got.external_schedule_id).toEqual(expect.any(String));
      const run = await grpc.call(
        'TaskService',
        'GetExecution',
        { task_id: id, execution_id: execution.id },
        h.t.adminToken,
      );
      expect(run).toMatchObject({ id: execution.id, external_id: String(instance.id) });
    } finally {
      grpc.close();
    }
  });

  it("changing a task's schedule updates its DolphinScheduler schedule", async () => {
    const { id, workflow } = await started();
    const res = await api.put(`/tasks/${id}`, {
      schedule: { type: 'cron', cron_expr: '0 */5 * * * *', timezone: 'Europe/Berlin' },
    });
    expect(res.status).toBe(200);
    expect(res.body.schedule).toEqual({ type: 'cron', cron_expr: '0 */5 * * * *', timezone: 'Europe/Berlin' });
    expect(fake.scheduleOf(workflow.code)).toMatchObject({
      crontab: '0 */5 * * * ? *',
      timezoneId: 'Europe/Berlin',
      releaseState: 'ONLINE',
    });
    expect(fake.workflows.get(workflow.code)!.releaseState).toBe('ONLINE');
    expect(fake.schedules.size).toBeGreaterThan(0);
    expect([...fake.schedules.values()].filter((s) => s.processDefinitionCode === workflow.code)).toHaveLength(1);
  });

  it('pause and stop take workflow and schedule offline, resume and start bring them back, and nothing fires meanwhile', async () => {
    const { id, workflow } = await started();
    const state = () => [fake.workflows.get(workflow.code)!.releaseState, fake.scheduleOf(workflow.code)!.releaseState];
    expect((await api.post(`/tasks/${id}/pause`)).body.status).toBe('paused');
    expect(state()).toEqual(['OFFLINE', 'OFFLINE']);
    expect(fake.fire(workflow.code)).toBeNull();
    expect((await api.post(`/tasks/${id}/resume`)).body.status).toBe('active');
    expect(state()).toEqual(['ONLINE', 'ONLINE']);
    expect((await api.post(`/tasks/${id}/stop`)).body.status).toBe('inactive');
    expect(state()).toEqual(['OFFLINE', 'OFFLINE']);
    expect(fake.fire(workflow.code)).toBeNull();
    const restarted = await api.post(`/tasks/${id}/start`);
    expect(restarted.body.external_workflow_code).toBe(String(workflow.code));
    expect(state()).toEqual(['ONLINE', 'ONLINE']);
    expect(await api.executions(id)).toHaveLength(0);
  });

  it('a manual execute starts a workflow instance, and its callback runs that very execution', async () => {
    const { id } = await started();
    const res = await api.post(`/tasks/${id}/execute`);
    expect(res.status).toBe(202);
    const execId = res.body.execution_id as string;
    const startCall = fake.callsTo('POST', /executors\/start-process-instance$/).pop()!;
    expect(JSON.parse(startCall.params.startParams)).toEqual({ execution_id: execId });
    expect(startCall.params).toMatchObject({
      tenantCode: 'etl',
      workerGroup: 'metadata-workers',
      failureStrategy: 'END',
      warningType: 'NONE',
    });
    const done = await api.finished(id, execId);
    expect(done).toMatchObject({ status: 'completed', trigger: 'manual' });
    const instance = fake.instances.get(Number(done.external_id))!;
    expect(instance).toMatchObject({ commandType: 'START_PROCESS', state: 'SUCCESS', triggerCode: expect.any(Number) });
    expect(await api.executions(id)).toHaveLength(1);
    // People may not claim to be the callback.
    const forged = await api.post(`/tasks/${id}/execute`, { external_id: '1' });
    expect(forged.status).toBe(400);
  });

  it('delete removes the workflow and its schedule', async () => {
    const { id, workflow } = await started();
    expect((await api.delete(`/tasks/${id}`)).status).toBe(200);
    expect(fake.workflows.has(workflow.code)).toBe(false);
    expect(fake.scheduleOf(workflow.code)).toBeUndefined();
    expect((await api.get(`/tasks/${id}`)).status).toBe(404);
  });

  it('a start that fails half-way undoes what it made, on both sides, with a 502 naming DolphinScheduler', async () => {
    const task = await api.task({
      datasource_id: ds,
      scheduler_type: 'dolphinscheduler',
      schedule: { type: 'cron', cron_expr: '0 4 * * *' },
    });
    const id = task.id as string;
    fake.failNext({ method: 'POST', path: /\/schedules$/, code: 10076, msg: 'create schedule error' });
    const res = await api.post(`/tasks/${id}/start`);
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('BAD_GATEWAY');
    expect(res.body.message).toBe('DolphinScheduler refused to create schedule: create schedule error (code 10076)');
    expect(res.body.request_id).toEqual(expect.any(String));
    // Nothing left in DolphinScheduler: the workflow made before the failure was taken offline and deleted.
    expect(fake.workflowNamed(`metadata-${id}`)).toBeUndefined();
    expect(fake.callsTo('DELETE', /process-definition\/\d+$/).length).toBeGreaterThan(0);
    // Nothing changed here either.
    const after = (await api.get(`/tasks/${id}`)).body;
    expect(after).toMatchObject({
      status: 'inactive',
      external_workflow_code: null,
      external_schedule_id: null,
      next_execute_at: null,
    });
    // Once DolphinScheduler answers again, the same start works.
    expect((await api.post(`/tasks/${id}/start`)).status).toBe(200);
    expect(fake.scheduleOf(fake.workflowNamed(`metadata-${id}`)!.code)!.releaseState).toBe('ONLINE');
  });

  it('DolphinScheduler down, or answering garbage, is a 502 in the envelope', async () => {
    const task = await api.task({
      datasource_id: ds,
      scheduler_type: 'dolphinscheduler',
      schedule: { type: 'cron', cron_expr: '0 5 * * *' },
    });
    const id = task.id as string;
    fake.setDown(true);
    try {
      const res = await api.post(`/tasks/${id}/start`);
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({
        code: 'BAD_GATEWAY',
        message: expect.stringMatching(/^DolphinScheduler is unreachable/),
      });
    } finally {
      fake.setDown(false);
    }
    // A call only the start makes: the reconciler's polling in the background must not take the failure.
    fake.failNext({ path: /\/gen-task-codes$/, httpStatus: 500 });
    const res = await api.post(`/tasks/${id}/start`);
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(/DolphinScheduler failed to .*HTTP 500/);
    expect((await api.get(`/tasks/${id}`)).body.status).toBe('inactive');
    expect(fake.workflowNamed(`metadata-${id}`)).toBeUndefined();
  });

  it("a failed workflow instance becomes a failed execution with DolphinScheduler's message", async () => {
    const { id, workflow } = await started();
    fake.failNextRuns(
      'httpUrl[http://10.1.2.3:8080/api/v1/tasks/x/execute] connection failed：Connect to 10.1.2.3:8080 failed: Connection refused',
    );
    const instance = await fired(workflow);
    expect(instance.state).toBe('FAILURE');
    expect(instance.callback).toBeNull();
    const execution = await api.ofInstance(id, instance.id);
    expect(execution).toMatchObject({ status: 'failed', trigger: 'schedule', external_id: String(instance.id) });
    const error = execution.error as Json;
    expect(error.code).toBe('SCHEDULER_FAILED');
    expect(error.message).toMatch(
      new RegExp(`^DolphinScheduler workflow instance ${instance.id} ended FAILURE: task "metadata-callback" FAILURE`),
    );
    expect(error.message).toContain('Connection refused');
    // The task log repeats the callback's header; the token never reaches this service's records.
    expect(error.details).toContain('Bearer ******');
    expect(JSON.stringify(execution)).not.toMatch(/mds-svc\./);
    // Recorded once, whichever poll sees it.
    await sleep(500);
    expect((await api.executions(id)).filter((e) => e.external_id === String(instance.id))).toHaveLength(1);
  });

  it('a manual run whose workflow fails shows that failure', async () => {
    const { id } = await started();
    fake.failNextRuns('Task execution failed: worker lost');
    const res = await api.post(`/tasks/${id}/execute`);
    expect(res.status).toBe(202);
    const done = await api.finished(id, res.body.execution_id as string);
    expect(done).toMatchObject({ status: 'failed', trigger: 'manual' });
    expect((done.error as Json).message).toMatch(/ended FAILURE.*worker lost/);
    expect(done.external_id).toMatch(/^\d+$/);
  });

  it('a manual run cancelled before its workflow calls back stays cancelled, and its refused callback is not recorded again', async () => {
    const { id, workflow } = await started();
    fake.startDelayMs = 600;
    try {
      const res = await api.post(`/tasks/${id}/execute`);
      expect(res.status).toBe(202);
      expect((await api.post(`/tasks/${id}/stop`)).status).toBe(200);
      const instance = await waitFor('the workflow instance', async () =>
        [...fake.instances.values()].find(
          (i) => i.processDefinitionCode === workflow.code && i.state === 'FAILURE' && i.callback?.status === 409,
        ),
      );
      await sleep(600);
      const all = await api.executions(id);
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({
        id: res.body.execution_id,
        status: 'cancelled',
        external_id: String(instance.id),
      });
    } finally {
      fake.startDelayMs = 30;
    }
  });

  it('a firing refused by this service (a run already in progress) fails in DolphinScheduler and is recorded so', async () => {
    const slow = await api.dataSource({ behavior: 'block' });
    const task = await api.task({
      datasource_id: slow,
      scheduler_type: 'dolphinscheduler',
      schedule: { type: 'cron', cron_expr: '0 6 * * *' },
    });
    const id = task.id as string;
    await api.post(`/tasks/${id}/start`);
    const workflow = fake.workflowNamed(`metadata-${id}`)!;
    const first = await fired(workflow);
    expect(first.callback?.status).toBe(202);
    const second = await fired(workflow);
    expect(second.state).toBe('FAILURE');
    expect(second.callback?.status).toBe(409);
    const refused = await api.ofInstance(id, second.id);
    expect((refused.error as Json).message).toMatch(/statuscode: 409, Must be: 202/);
    await api.post(`/tasks/${id}/stop`);
  });

  it('switching between builtin and dolphinscheduler moves the schedule: the old side stops before the new starts, nothing fires twice', async () => {
    const task = await api.task({ datasource_id: ds, schedule: { type: 'cron', cron_expr: '*/2 * * * * *' } });
    const id = task.id as string;
    await api.post(`/tasks/${id}/start`);
    await waitFor('a builtin firing', async () => (await api.executions(id)).some((e) => e.status === 'completed'));

    const toDs = await api.put(`/tasks/${id}`, { scheduler_type: 'dolphinscheduler' });
    expect(toDs.status).toBe(200);
    const switchedAt = Date.now();
    expect(toDs.body).toMatchObject({
      scheduler_type: 'dolphinscheduler',
      status: 'active',
      external_workflow_code: expect.any(String),
    });
    const workflow = fake.workflows.get(Number(toDs.body.external_workflow_code))!;
    expect(fake.scheduleOf(workflow.code)).toMatchObject({ crontab: '*/2 * * * * ? *', releaseState: 'ONLINE' });
    await sleep(3000);
    const builtinAfter = (await api.executions(id)).filter(
      (e) => !e.external_id && Date.parse(e.start_time as string) > switchedAt + 500,
    );
    expect(builtinAfter).toHaveLength(0);
    const instance = await fired(workflow);
    await api.ofInstance(id, instance.id);

    const back = await api.put(`/tasks/${id}`, { scheduler_type: 'builtin' });
    expect(back.status).toBe(200);
    const backAt = Date.now();
    expect(back.body).toMatchObject({
      scheduler_type: 'builtin',
      status: 'active',
      external_workflow_code: null,
      external_schedule_id: null,
    });
    expect(fake.workflows.has(workflow.code)).toBe(false);
    expect(fake.fire(workflow.code)).toBeNull();
    await waitFor('a builtin firing after switching back', async () =>
      (await api.executions(id)).some((e) => !e.external_id && Date.parse(e.start_time as string) >= backAt - 100),
    );

    // Every DolphinScheduler instance ran once; no two executions share a firing.
    const all = await api.executions(id);
    const fromDs = all.filter((e) => e.external_id);
    expect(fromDs.map((e) => e.external_id)).toEqual([String(instance.id)]);
    const firings = all.filter((e) => e.scheduled_at).map((e) => e.scheduled_at);
    expect(new Set(firings).size).toBe(firings.length);
    await api.post(`/tasks/${id}/stop`);
  });

  it('a switch that fails half-way leaves the task on its old scheduler and nothing in DolphinScheduler', async () => {
    const task = await api.task({
      datasource_id: ds,
      schedule: { type: 'cron', cron_expr: '0 7 * * *', timezone: 'UTC' },
    });
    const id = task.id as string;
    const before = (await api.post(`/tasks/${id}/start`)).body;
    fake.failNext({
      method: 'POST',
      path: /\/schedules\/\d+\/online$/,
      code: 10078,
      msg: 'publish schedule online error',
    });
    const res = await api.put(`/tasks/${id}`, { scheduler_type: 'dolphinscheduler' });
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(/publish schedule online error/);
    const after = (await api.get(`/tasks/${id}`)).body;
    expect(after).toMatchObject({
      scheduler_type: 'builtin',
      status: 'active',
      next_execute_at: before.next_execute_at,
      external_workflow_code: null,
    });
    expect(fake.workflowNamed(`metadata-${id}`)).toBeUndefined();
    await api.post(`/tasks/${id}/stop`);
  });

  it('the service token may call only execute, and stops working once revoked; DolphinScheduler then gets a new one', async () => {
    const { id, workflow } = await started();
    const token = callbackToken(workflow);
    expect((await api.get('/tasks', token)).status).toBe(403);
    expect((await api.post(`/tasks/${id}/start`, undefined, token)).status).toBe(403);
    expect((await api.get('/service-tokens', token)).status).toBe(403);
    expect((await api.post(`/tasks/${id}/execute`, { external_id: 'abc' }, token)).status).toBe(400);

    const operator = await h.t.tokenFor('operator');
    expect((await api.get('/service-tokens', operator)).status).toBe(403);
    const list = await api.get('/service-tokens');
    expect(list.status).toBe(200);
    const entry = (list.body.service_tokens as Json[]).find((s) => token.startsWith(`mds-svc.${s.id as string}.`))!;
    expect(entry).toMatchObject({ scope: 'tasks:execute', active_for: 'dolphinscheduler', revoked_at: null });
    expect(JSON.stringify(list.body)).not.toContain(token);

    const revoked = await api.post(`/service-tokens/${entry.id as string}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    const refused = await api.post(`/tasks/${id}/execute`, { external_id: '999999' }, token);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/revoked/);

    // The reconciler gives the workflow the new token; firings work again.
    await waitFor('a fresh token in the workflow, back online', async () => {
      const current = fake.workflows.get(workflow.code)!;
      return (
        callbackToken(current) !== token &&
        current.releaseState === 'ONLINE' &&
        fake.scheduleOf(workflow.code)!.releaseState === 'ONLINE'
      );
    });
    const instance = await fired(fake.workflows.get(workflow.code)!);
    expect(instance.callback?.status).toBe(202);
    expect((await api.ofInstance(id, instance.id)).status).toBe('completed');
  });
});

describeE2E('dolphinscheduler: not configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ env: { ...TASK_ENV }, prepare: injectTestSource });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses dolphinscheduler tasks with a clear 400', async () => {
    const api = new Api(t);
    const ds = await api.dataSource({ behavior: 'fast' });
    const res = await api.post('/tasks', {
      name: unique('t'),
      datasource_id: ds,
      type: 'full_collection',
      scheduler_type: 'dolphinscheduler',
      schedule: { type: 'cron', cron_expr: '0 0 * * *' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'scheduler_type "dolphinscheduler" is not available: DolphinScheduler is not configured',
    });
    expect(res.body.details).toMatch(/DOLPHINSCHEDULER_URL/);
    const builtin = await api.task({ datasource_id: ds, schedule: { type: 'cron', cron_expr: '0 0 * * *' } });
    const moved = await api.put(`/tasks/${builtin.id as string}`, { scheduler_type: 'dolphinscheduler' });
    expect(moved.status).toBe(400);
  });
});

describeWithServers(
  ['postgres'],
  `dolphinscheduler: a firing runs a real PostgreSQL collection [${currentStore()}]`,
  () => {
    const schema = `ds_e2e_${randomBytes(4).toString('hex')}`;
    const pgUrl = `postgres://postgres@${SERVER_ENDPOINTS.postgres.host}:${SERVER_ENDPOINTS.postgres.port}/test`;
    const sql = async (text: string) => {
      const c = new Client({ connectionString: pgUrl });
      await c.connect();
      try {
        await c.query(text);
      } finally {
        await c.end();
      }
    };
    let h: Harness;
    beforeAll(async () => {
      await sql(`
      CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.customers (id serial PRIMARY KEY, name text NOT NULL, email varchar(100));
      CREATE TABLE ${schema}.orders (id serial PRIMARY KEY, customer_id int REFERENCES ${schema}.customers(id), total numeric(10,2), created_at timestamptz DEFAULT now());
      INSERT INTO ${schema}.customers (name, email) SELECT 'c' || g, 'c' || g || '@example.com' FROM generate_series(1, 20) g;
    `);
      h = await bootWithDolphinScheduler();
    });
    afterAll(async () => {
      await shutdown(h);
      await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });

    it('collects the schema when DolphinScheduler calls back, as an execution of the instance', async () => {
      const { api, fake } = h;
      const ds = await api.dataSource(
        {
          host: SERVER_ENDPOINTS.postgres.host,
          port: SERVER_ENDPOINTS.postgres.port,
          username: 'postgres',
          database: 'test',
        },
        'postgresql',
      );
      const task = await api.task({
        datasource_id: ds,
        scheduler_type: 'dolphinscheduler',
        config: { include_schemas: [schema] },
        schedule: { type: 'cron', cron_expr: '0 2 * * *', timezone: 'Europe/Paris' },
      });
      const id = task.id as string;
      expect((await api.post(`/tasks/${id}/start`)).status).toBe(200);
      const workflow = fake.workflowNamed(`metadata-${id}`)!;
      expect(fake.scheduleOf(workflow.code)).toMatchObject({
        crontab: '0 0 2 * * ? *',
        timezoneId: 'Europe/Paris',
        releaseState: 'ONLINE',
      });
      const instance = fake.fire(workflow.code)!;
      await instance.done;
      expect(instance.state).toBe('SUCCESS');
      const execution = await api.ofInstance(id, instance.id, 60_000);
      expect(execution).toMatchObject({
        status: 'completed',
        trigger: 'schedule',
        external_id: String(instance.id),
        error: null,
      });
      // customers (3 columns) and orders (4), and their serial columns' sequences.
      expect(execution.result).toMatchObject({ tables_processed: 4, records_processed: 7, errors_count: 0 });
      const assets = await api.get(`/metadata/assets?datasource_id=${ds}&namespace=${schema}`);
      expect(assets.body.total).toBe(4);
      await api.post(`/tasks/${id}/stop`);
    });
  },
);
