import { DataSource } from 'typeorm';
import { ExecutionRunnerService } from '../src/executions/runner/execution-runner.service';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { bearer, bootApp, createStore, currentStore, describeE2E, StoreHandle, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';
import { collectCalls, injectTestSource, TEST_SOURCE_TYPE } from './support/tasks-test-connector';
import { sleep, unique, waitFor } from './support/wait';

type Json = Record<string, unknown>;

// Fast ticks and heartbeats keep the suite short; a lease of 3 s makes crash recovery quick.
const TASK_ENV = {
  SCHEDULER_TICK_MS: '250',
  EXECUTION_HEARTBEAT_MS: '250',
  EXECUTION_LEASE_SECONDS: '3',
  RETRY_BACKOFF_BASE_SECONDS: '1',
  RETRY_BACKOFF_MAX_SECONDS: '4',
  HEALTH_CHECK_INTERVAL_SECONDS: '0',
  SHUTDOWN_GRACE_MS: '3000',
};

class Api {
  constructor(
    readonly t: TestApp,
    private readonly token = t.adminToken,
  ) {}

  get(path: string) {
    return this.t.http.get(`/api/v1${path}`).set(bearer(this.token));
  }
  post(path: string, body?: unknown) {
    const req = this.t.http.post(`/api/v1${path}`).set(bearer(this.token));
    return body === undefined ? req : req.send(body as object);
  }
  put(path: string, body: unknown) {
    return this.t.http
      .put(`/api/v1${path}`)
      .set(bearer(this.token))
      .send(body as object);
  }
  delete(path: string) {
    return this.t.http.delete(`/api/v1${path}`).set(bearer(this.token));
  }

  async dataSource(config: Json, type = TEST_SOURCE_TYPE, name = unique('ds')): Promise<string> {
    const res = await this.post('/datasources', { name, type, config });
    if (res.status !== 201) throw new Error(`create data source: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  async task(body: Json): Promise<Json> {
    const res = await this.post('/tasks', { name: unique('task'), type: 'full_collection', ...body });
    if (res.status !== 201) throw new Error(`create task: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Json;
  }

  async execution(taskId: string, execId: string): Promise<Json> {
    const res = await this.get(`/tasks/${taskId}/executions/${execId}`);
    expect(res.status).toBe(200);
    return res.body as Json;
  }

  async executions(taskId: string, query = ''): Promise<Json[]> {
    const res = await this.get(`/tasks/${taskId}/executions?page_size=100${query}`);
    expect(res.status).toBe(200);
    return res.body.executions as Json[];
  }

  finished(taskId: string, execId: string, timeoutMs = 20_000): Promise<Json> {
    return waitFor(
      `execution ${execId} to finish`,
      async () => {
        const e = await this.execution(taskId, execId);
        return ['completed', 'failed', 'cancelled'].includes(e.status as string) ? e : undefined;
      },
      timeoutMs,
    );
  }
}

async function boot(
  store?: StoreHandle,
  keepStore = false,
  env: Record<string, string> = {},
): Promise<{ t: TestApp; api: Api }> {
  // The test source must be in place before the runner starts: a restarted instance may pick up queued runs at once.
  const t = await bootApp({ env: { ...TASK_ENV, ...env }, store, keepStore, prepare: injectTestSource });
  return { t, api: new Api(t) };
}

describeE2E('tasks: API, life cycle and validation', () => {
  let t: TestApp;
  let api: Api;
  let ds: string;
  beforeAll(async () => {
    ({ t, api } = await boot());
    ds = await api.dataSource({ behavior: 'fast', assets: 3 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a task with defaults filled in, inactive, with no next firing', async () => {
    const res = await api.post('/tasks', {
      name: 'daily-collection',
      datasource_id: ds,
      type: 'full_collection',
      config: {
        include_schemas: ['public'],
        exclude_tables: ['temp_*'],
        batch_size: 1000,
        timeout: 3600,
        retry_count: 3,
      },
      schedule: { type: 'cron', cron_expr: '0 0 * * *', timezone: 'Asia/Shanghai' },
      scheduler_type: 'builtin',
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^task-[0-9a-z]{26}$/);
    expect(res.body).toMatchObject({
      name: 'daily-collection',
      datasource_id: ds,
      type: 'full_collection',
      status: 'inactive',
      scheduler_type: 'builtin',
      config: {
        include_schemas: ['public'],
        exclude_schemas: [],
        include_tables: [],
        exclude_tables: ['temp_*'],
        batch_size: 1000,
        timeout: 3600,
        retry_count: 3,
      },
      schedule: { type: 'cron', cron_expr: '0 0 * * *', timezone: 'Asia/Shanghai' },
      last_executed_at: null,
      next_execute_at: null,
    });
    expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const again = await api.post('/tasks', { name: 'daily-collection', datasource_id: ds, type: 'schema_only' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONFLICT');
  });

  it.each([
    [{ schedule: { type: 'cron', cron_expr: '0 25 * * *' } }, /cron_expr .* not a valid cron expression/],
    [{ schedule: { type: 'cron', cron_expr: '0 0 * * *', timezone: 'Mars/Olympus' } }, /not an IANA time zone/],
    [{ schedule: { type: 'interval', interval: 0 } }, /interval/],
    [{ schedule: { type: 'interval' } }, /interval .* is required/],
    [{ schedule: { type: 'once', start_time: '2020-01-01T00:00:00Z' } }, /start_time must be in the future/],
    [{ schedule: { type: 'once' } }, /start_time is required/],
    [
      { schedule: { type: 'interval', interval: 60, end_time: '2020-01-01T00:00:00Z' } },
      /end_time must be in the future/,
    ],
    [{ type: 'everything' }, /type/],
    [{ scheduler_type: 'dolphinscheduler' }, /dolphinscheduler.*not available/],
    [{ datasource_id: 'ds-missing' }, /Data source ds-missing not found/],
    [{ config: { batch_size: 0 } }, /batch_size/],
    [{ config: { retry_count: -1 } }, /retry_count/],
  ])('refuses %j with 400', async (patch, message) => {
    const res = await api.post('/tasks', { name: unique('bad'), datasource_id: ds, type: 'full_collection', ...patch });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    expect(`${res.body.message} ${res.body.details}`).toMatch(message);
  });

  it('follows the life cycle and answers 409 on illegal transitions', async () => {
    const task = await api.task({ datasource_id: ds, schedule: { type: 'interval', interval: 3600 } });
    const id = task.id as string;
    expect((await api.post(`/tasks/${id}/pause`)).status).toBe(409);
    expect((await api.post(`/tasks/${id}/resume`)).status).toBe(409);
    const stopInactive = await api.post(`/tasks/${id}/stop`);
    expect(stopInactive.status).toBe(409);
    expect(stopInactive.body.code).toBe('CONFLICT');

    const started = await api.post(`/tasks/${id}/start`);
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('active');
    const next = Date.parse(started.body.next_execute_at);
    expect(next - Date.now()).toBeGreaterThan(3500 * 1000);
    expect(next - Date.now()).toBeLessThanOrEqual(3600 * 1000);
    expect((await api.post(`/tasks/${id}/start`)).status).toBe(409);
    expect((await api.post(`/tasks/${id}/resume`)).status).toBe(409);

    const paused = await api.post(`/tasks/${id}/pause`);
    expect(paused.body.status).toBe('paused');
    expect(paused.body.next_execute_at).toBeNull();
    expect(paused.body.schedule).toEqual({ type: 'interval', interval: 3600 });
    const resumed = await api.post(`/tasks/${id}/resume`);
    expect(resumed.body.status).toBe('active');
    expect(resumed.body.next_execute_at).toBe(started.body.next_execute_at);

    const stopped = await api.post(`/tasks/${id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('inactive');
    expect(stopped.body.next_execute_at).toBeNull();
    expect((await api.get('/tasks/task-nope')).status).toBe(404);
    expect((await api.post('/tasks/task-nope/start')).status).toBe(404);
  });

  it('updates partially: config merges, a new schedule re-plans the next firing', async () => {
    const task = await api.task({
      datasource_id: ds,
      config: { include_schemas: ['a'], timeout: 60 },
      schedule: { type: 'interval', interval: 3600 },
    });
    const id = task.id as string;
    await api.post(`/tasks/${id}/start`);
    const res = await api.put(`/tasks/${id}`, {
      name: `${task.name as string}-2`,
      config: { batch_size: 2000 },
      schedule: { type: 'interval', interval: 60 },
    });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe(`${task.name as string}-2`);
    expect(res.body.config).toMatchObject({ include_schemas: ['a'], timeout: 60, batch_size: 2000 });
    expect(res.body.schedule).toEqual({ type: 'interval', interval: 60 });
    const next = Date.parse(res.body.next_execute_at);
    expect(next - Date.now()).toBeLessThanOrEqual(60_000);
    expect(next - Date.now()).toBeGreaterThan(50_000);
    const bad = await api.put(`/tasks/${id}`, { schedule: { type: 'cron', cron_expr: 'nope' } });
    expect(bad.status).toBe(400);
    expect((await api.put(`/tasks/${id}`, { bogus: 1 })).status).toBe(400);
    await api.post(`/tasks/${id}/stop`);
  });

  it('lists with filters under the key `tasks`', async () => {
    const other = await api.dataSource({ behavior: 'fast' });
    const a = await api.task({ datasource_id: other, type: 'schema_only' });
    const b = await api.task({ datasource_id: other, type: 'data_profile', config: { sample_rows: 50 } });
    await api.post(`/tasks/${b.id as string}/start`);
    const byDs = await api.get(`/tasks?datasource_id=${other}`);
    expect(byDs.status).toBe(200);
    expect(byDs.body).toMatchObject({ total: 2, page: 1, page_size: 20 });
    expect((byDs.body.tasks as Json[]).map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    const byType = await api.get(`/tasks?datasource_id=${other}&type=schema_only`);
    expect((byType.body.tasks as Json[]).map((x) => x.id)).toEqual([a.id]);
    const byStatus = await api.get(`/tasks?datasource_id=${other}&status=active`);
    expect((byStatus.body.tasks as Json[]).map((x) => x.id)).toEqual([b.id]);
    expect((b.config as Json).sample_rows).toBe(50);
    expect((await api.get('/tasks?status=sleeping')).status).toBe(400);
    expect((await api.get('/tasks?page_size=101')).status).toBe(400);
  });

  it('creates a batch with a result per item', async () => {
    const res = await api.post('/tasks/batch', {
      tasks: [
        { name: unique('b1'), datasource_id: ds, type: 'schema_only' },
        {
          name: unique('b2'),
          datasource_id: ds,
          type: 'full_collection',
          schedule: { type: 'cron', cron_expr: 'bad' },
        },
        { name: unique('b3'), datasource_id: ds, type: 'nope' },
        { name: unique('b4'), datasource_id: 'ds-missing', type: 'schema_only' },
        {
          name: unique('b5'),
          datasource_id: ds,
          type: 'incremental_collection',
          schedule: { type: 'interval', interval: 30 },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 5, success: 2, failed: 3 });
    const results = res.body.results as Json[];
    expect(results.map((r) => r.success)).toEqual([true, false, false, false, true]);
    expect((results[0].task as Json).id).toMatch(/^task-/);
    expect((results[1].error as Json).code).toBe('INVALID_REQUEST');
    expect((results[2].error as Json).details).toMatch(/type/);
    expect((results[3].error as Json).message).toMatch(/ds-missing not found/);
    expect((await api.post('/tasks/batch', { tasks: [] })).status).toBe(400);
  });

  it('a data source with tasks cannot be deleted; a deleted task frees it', async () => {
    const other = await api.dataSource({ behavior: 'fast' });
    const task = await api.task({ datasource_id: other });
    const refused = await api.delete(`/datasources/${other}`);
    expect(refused.status).toBe(409);
    expect(`${refused.body.message} ${refused.body.details}`).toContain(task.name as string);
    expect((await api.delete(`/tasks/${task.id as string}`)).body).toEqual({ success: true });
    expect((await api.get(`/tasks/${task.id as string}`)).status).toBe(404);
    expect((await api.delete(`/datasources/${other}`)).status).toBe(200);
  });

  it('viewers read but cannot change or run tasks', async () => {
    const viewer = new Api(t, await t.tokenFor('viewer'));
    const task = await api.task({ datasource_id: ds });
    expect((await viewer.get(`/tasks/${task.id as string}`)).status).toBe(200);
    expect((await viewer.post(`/tasks/${task.id as string}/execute`)).status).toBe(403);
    expect((await viewer.post('/tasks', { name: unique('v'), datasource_id: ds, type: 'schema_only' })).status).toBe(
      403,
    );
  });
});

describeE2E('tasks: running executions', () => {
  let t: TestApp;
  let api: Api;
  beforeAll(async () => {
    ({ t, api } = await boot());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('execute answers 202 at once; the run completes with counts, progress, logs and catalog changes', async () => {
    const ds = await api.dataSource({ behavior: 'fast', assets: 4 });
    const task = await api.task({ datasource_id: ds });
    const taskId = task.id as string;
    const res = await api.post(`/tasks/${taskId}/execute`);
    expect(res.status).toBe(202);
    expect(Object.keys(res.body).sort()).toEqual(['execution_id', 'start_time', 'status', 'task_id']);
    expect(res.body).toMatchObject({ task_id: taskId, status: 'pending' });
    expect(res.body.execution_id).toMatch(/^exec-/);
    expect(res.body.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const done = await api.finished(taskId, res.body.execution_id as string);
    expect(done).toMatchObject({ status: 'completed', trigger: 'manual', attempt: 1, max_attempts: 1, error: null });
    const result = done.result as Json;
    expect(result).toMatchObject({ tables_processed: 4, records_processed: 8, errors_count: 0, warnings_count: 0 });
    expect(typeof result.duration).toBe('number');
    expect(result.processing_stats).toMatchObject({ batches: 1, namespaces: 1, assets_by_kind: { table: 4 } });
    expect(result.changes).toMatchObject({ assets_added: 4, assets_removed: 0 });
    expect(done.progress).toMatchObject({ assets_done: 4, percent: 100 });
    expect(done.changes).toBeTruthy();
    const logs = await api.get(`/tasks/${taskId}/executions/${res.body.execution_id as string}/logs`);
    expect(logs.status).toBe(200);
    const lines = logs.body.logs as Json[];
    expect(lines[0]).toMatchObject({ seq: 1, level: 'info', message: 'Execution started' });
    expect(lines.map((l) => l.message)).toContain('Execution completed');
    const warnOnly = await api.get(`/tasks/${taskId}/executions/${res.body.execution_id as string}/logs?level=warn`);
    expect(warnOnly.body.total).toBe(0);

    const after = await api.get(`/tasks/${taskId}`);
    expect(after.body.last_executed_at).not.toBeNull();
    // An unchanged source: the second run finds nothing new.
    const second = await api.post(`/tasks/${taskId}/execute`);
    const done2 = await api.finished(taskId, second.body.execution_id as string);
    expect((done2.result as Json).changes).toMatchObject({ assets_added: 0, assets_unchanged: 4 });
  });

  it('lists executions newest first with status and time filters', async () => {
    const ds = await api.dataSource({ behavior: 'fast' });
    const task = await api.task({ datasource_id: ds });
    const taskId = task.id as string;
    const first = await api.post(`/tasks/${taskId}/execute`);
    await api.finished(taskId, first.body.execution_id as string);
    const between = new Date(Date.now() + 1000).toISOString();
    await sleep(2000);
    const second = await api.post(`/tasks/${taskId}/execute`);
    await api.finished(taskId, second.body.execution_id as string);
    const all = await api.executions(taskId);
    expect(all.map((e) => e.id)).toEqual([second.body.execution_id, first.body.execution_id]);
    expect((await api.executions(taskId, `&start_time=${between}`)).map((e) => e.id)).toEqual([
      second.body.execution_id,
    ]);
    expect((await api.executions(taskId, `&end_time=${between}`)).map((e) => e.id)).toEqual([first.body.execution_id]);
    expect((await api.executions(taskId, '&status=failed')).length).toBe(0);
    expect((await api.executions(taskId, '&status=completed')).length).toBe(2);
    expect((await api.get(`/tasks/${taskId}/executions?status=bogus`)).status).toBe(400);
    expect((await api.get(`/tasks/${taskId}/executions/exec-nope`)).status).toBe(404);
  });

  it('409 on execute while the task has a run in progress; stop cancels it within 5 s', async () => {
    const ds = await api.dataSource({ behavior: 'block', assets: 10 });
    const task = await api.task({ datasource_id: ds, schedule: { type: 'interval', interval: 3600 } });
    const taskId = task.id as string;
    await api.post(`/tasks/${taskId}/start`);
    const res = await api.post(`/tasks/${taskId}/execute`);
    expect(res.status).toBe(202);
    const execId = res.body.execution_id as string;
    const running = await waitFor('the run to report progress', async () => {
      const e = await api.execution(taskId, execId);
      return e.status === 'running' && (e.progress as Json).assets_done === 1 ? e : undefined;
    });
    expect(running.progress).toMatchObject({ assets_done: 1, assets_known: 10, percent: 10 });
    const logsWhileRunning = await api.get(`/tasks/${taskId}/executions/${execId}/logs`);
    expect((logsWhileRunning.body.logs as Json[]).length).toBeGreaterThan(0);
    const again = await api.post(`/tasks/${taskId}/execute`);
    expect(again.status).toBe(409);
    expect(again.body.details).toContain(execId);

    const asked = Date.now();
    const stopped = await api.post(`/tasks/${taskId}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('inactive');
    const done = await api.finished(taskId, execId, 5000);
    expect(Date.now() - asked).toBeLessThan(5000);
    expect(done.status).toBe('cancelled');
    expect(done.error).toMatchObject({ code: 'CANCELLED', message: 'the task was stopped' });
    expect((done.result as Json).tables_processed).toBe(1);
    // Nothing half-written became the catalog's truth: a cancelled run removes nothing and records no completion.
    expect(await api.executions(taskId, '&status=running')).toHaveLength(0);
  });

  it('a long run holds a lease it renews, so it outlives EXECUTION_LEASE_SECONDS without being taken over', async () => {
    const ds = await api.dataSource({ behavior: 'block' });
    const task = await api.task({ datasource_id: ds });
    const taskId = task.id as string;
    const execId = (await api.post(`/tasks/${taskId}/execute`)).body.execution_id as string;
    await waitFor('running', async () => (await api.execution(taskId, execId)).status === 'running');
    const lease = async () =>
      (await t.store.query('SELECT status, owner_id, lease_expires_at FROM task_executions WHERE id = ?', [execId]))[0];
    const before = await lease();
    await sleep(4500); // longer than the 3 s lease
    const after = await lease();
    expect(after.status).toBe('running');
    expect(after.owner_id).toBe(before.owner_id);
    expect(Number(after.lease_expires_at)).toBeGreaterThan(Number(before.lease_expires_at));
    expect(Number(after.lease_expires_at)).toBeGreaterThan(Date.now());
    await api.post(`/tasks/${taskId}/stop`);
    expect((await api.finished(taskId, execId)).status).toBe('cancelled');
  });

  it('stop cancels within 5 s even when the source ignores the signal', async () => {
    const ds = await api.dataSource({ behavior: 'ignore-signal' });
    const task = await api.task({ datasource_id: ds });
    const taskId = task.id as string;
    const execId = (await api.post(`/tasks/${taskId}/execute`)).body.execution_id as string;
    await waitFor('running', async () => (await api.execution(taskId, execId)).status === 'running');
    const asked = Date.now();
    expect((await api.post(`/tasks/${taskId}/stop`)).status).toBe(200);
    const done = await api.finished(taskId, execId, 5000);
    expect(Date.now() - asked).toBeLessThan(5000);
    expect(done.status).toBe('cancelled');
  });

  it('delete cancels the running execution first', async () => {
    const ds = await api.dataSource({ behavior: 'block' });
    const task = await api.task({ datasource_id: ds });
    const taskId = task.id as string;
    const execId = (await api.post(`/tasks/${taskId}/execute`)).body.execution_id as string;
    await waitFor('running', async () => (await api.execution(taskId, execId)).status === 'running');
    const res = await api.delete(`/tasks/${taskId}`);
    expect(res.status).toBe(200);
    const rows = await t.store.query('SELECT COUNT(*) AS n FROM task_executions WHERE task_id = ?', [taskId]);
    expect(Number(rows[0].n)).toBe(0);
    // The runner let go of it: the data source's run slot is free for other work.
    const other = await api.task({ datasource_id: ds, type: 'schema_only' });
    const next = await api.post(`/tasks/${other.id as string}/execute`);
    expect(next.status).toBe(202);
    await waitFor(
      'the next run to start',
      async () => (await api.execution(other.id as string, next.body.execution_id as string)).status === 'running',
    );
    await api.post(`/tasks/${other.id as string}/stop`);
  });

  it('a run past its timeout fails with TIMEOUT; each failed attempt is recorded and retried with back-off', async () => {
    const ds = await api.dataSource({ behavior: 'block' });
    const task = await api.task({ datasource_id: ds, config: { timeout: 1, retry_count: 2 } });
    const taskId = task.id as string;
    const first = (await api.post(`/tasks/${taskId}/execute`)).body.execution_id as string;
    const attempts = await waitFor(
      'three failed attempts',
      async () => {
        const list = await api.executions(taskId);
        return list.length === 3 && list.every((e) => e.status === 'failed') ? list : undefined;
      },
      30_000,
      250,
    );
    const byAttempt = [...attempts].sort((a, b) => (a.attempt as number) - (b.attempt as number));
    expect(byAttempt.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(byAttempt.map((e) => e.trigger)).toEqual(['manual', 'retry', 'retry']);
    expect(byAttempt.map((e) => e.retry_of)).toEqual([null, first, first]);
    for (const e of byAttempt) {
      expect(e.error).toMatchObject({ code: 'TIMEOUT' });
      expect(e.max_attempts).toBe(3);
      const ran = Date.parse(e.end_time as string) - Date.parse(e.started_at as string);
      expect(ran).toBeGreaterThanOrEqual(900);
      expect(ran).toBeLessThan(4000);
    }
    // Back-off: 1 s before attempt 2, 2 s before attempt 3.
    const gap = (a: Json, b: Json) => Date.parse(b.started_at as string) - Date.parse(a.end_time as string);
    expect(gap(byAttempt[0], byAttempt[1])).toBeGreaterThanOrEqual(900);
    expect(gap(byAttempt[1], byAttempt[2])).toBeGreaterThanOrEqual(1900);
  });

  it('a failed attempt is retried and the retry can succeed', async () => {
    const key = unique('flaky');
    const ds = await api.dataSource({ behavior: 'flaky', fail_times: 1, key });
    const task = await api.task({ datasource_id: ds, config: { retry_count: 3 } });
    const taskId = task.id as string;
    await api.post(`/tasks/${taskId}/execute`);
    const list = await waitFor('a completed retry', async () => {
      const l = await api.executions(taskId);
      return l.some((e) => e.status === 'completed') ? l : undefined;
    });
    expect(list).toHaveLength(2);
    const [second, first] = list;
    expect(first).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'UNREACHABLE' } });
    expect(second).toMatchObject({ status: 'completed', attempt: 2, trigger: 'retry' });
    expect(collectCalls.get(key)).toBe(2);
  });

  it('an inactive data source is not collected, with a clear reason and no retry', async () => {
    const ds = await api.dataSource({ behavior: 'fast' });
    const batch = await api.post('/datasources/batch/status', { ids: [ds], status: 'inactive' });
    expect(batch.body).toMatchObject({ success: 1, failed: 0 });
    const task = await api.task({ datasource_id: ds, config: { retry_count: 2 } });
    const taskId = task.id as string;
    const execId = (await api.post(`/tasks/${taskId}/execute`)).body.execution_id as string;
    const done = await api.finished(taskId, execId);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'DATASOURCE_INACTIVE' });
    expect((done.error as Json).message).toMatch(/is inactive, so it is not collected/);
    await sleep(1500);
    expect(await api.executions(taskId)).toHaveLength(1);
  });

  it('profiles the collected tables of a data_profile task', async () => {
    const ds = await api.dataSource({ behavior: 'fast', assets: 3 });
    const collect = await api.task({ datasource_id: ds });
    const c = await api.post(`/tasks/${collect.id as string}/execute`);
    await api.finished(collect.id as string, c.body.execution_id as string);
    const profile = await api.task({ datasource_id: ds, type: 'data_profile', config: { sample_rows: 100 } });
    const p = await api.post(`/tasks/${profile.id as string}/execute`);
    const done = await api.finished(profile.id as string, p.body.execution_id as string);
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({ tables_processed: 3, records_processed: 30, errors_count: 0 });
  });
});

describeE2E('tasks: the builtin scheduler', () => {
  let t: TestApp;
  let api: Api;
  beforeAll(async () => {
    ({ t, api } = await boot());
  });
  afterAll(async () => {
    await t?.close();
  });

  const scheduled = async (taskId: string) =>
    (await api.executions(taskId)).filter((e) => e.trigger === 'schedule').reverse();

  it('fires a six-field cron on time in a named time zone; pause stops firings, resume restarts them', async () => {
    const zone = 'Asia/Kolkata';
    const hourIn = (d: Date) =>
      Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(d));
    const hours = [...new Set([hourIn(new Date()), hourIn(new Date(Date.now() + 120_000))])];
    // Every 2 s, but only in the current hour of Kolkata (UTC+05:30): UTC hours never match, so firings prove the zone is used.
    const cron = `*/2 * ${hours.join(',')} * * *`;
    const ds = await api.dataSource({ behavior: 'fast', assets: 1 });
    const task = await api.task({
      datasource_id: ds,
      type: 'schema_only',
      schedule: { type: 'cron', cron_expr: cron, timezone: zone },
    });
    const taskId = task.id as string;
    const started = await api.post(`/tasks/${taskId}/start`);
    const next = Date.parse(started.body.next_execute_at as string);
    expect(next % 2000).toBe(0);
    expect(next - Date.now()).toBeLessThanOrEqual(2000);

    const firings = await waitFor('three completed firings', async () => {
      const l = await scheduled(taskId);
      return l.filter((e) => e.status === 'completed').length >= 3 ? l : undefined;
    });
    for (const e of firings.slice(0, 3)) {
      const due = Date.parse(e.scheduled_at as string);
      expect(due % 2000).toBe(0);
      // On time: claimed and started within a tick or two of the due instant.
      expect(Date.parse(e.started_at as string) - due).toBeLessThan(1500);
      expect(Date.parse(e.started_at as string) - due).toBeGreaterThanOrEqual(0);
    }
    for (let i = 1; i < 3; i++)
      expect(Date.parse(firings[i].scheduled_at as string) - Date.parse(firings[i - 1].scheduled_at as string)).toBe(
        2000,
      );

    const paused = await api.post(`/tasks/${taskId}/pause`);
    expect(paused.body).toMatchObject({
      status: 'paused',
      next_execute_at: null,
      schedule: { type: 'cron', cron_expr: cron, timezone: zone },
    });
    const countAtPause = (await scheduled(taskId)).length;
    await sleep(4500);
    expect((await scheduled(taskId)).length).toBe(countAtPause);

    const resumedAt = Date.now();
    const resumed = await api.post(`/tasks/${taskId}/resume`);
    expect(resumed.body.status).toBe('active');
    expect(Date.parse(resumed.body.next_execute_at as string)).toBeGreaterThanOrEqual(resumedAt - 1000);
    await waitFor('a firing after resume', async () =>
      (await scheduled(taskId)).some((e) => Date.parse(e.scheduled_at as string) >= resumedAt - 1000),
    );
    await api.post(`/tasks/${taskId}/stop`);
    const countAtStop = (await scheduled(taskId)).length;
    await sleep(2500);
    expect((await scheduled(taskId)).length).toBe(countAtStop);
  });

  it('an immediate schedule runs once at start; a once schedule runs once at its time', async () => {
    const ds = await api.dataSource({ behavior: 'fast', assets: 1 });
    const now = await api.task({ datasource_id: ds, type: 'schema_only', schedule: { type: 'immediate' } });
    await api.post(`/tasks/${now.id as string}/start`);
    await waitFor('the immediate run', async () =>
      (await scheduled(now.id as string)).some((e) => e.status === 'completed'),
    );

    const at = new Date(Math.ceil((Date.now() + 2500) / 1000) * 1000);
    const once = await api.task({
      datasource_id: ds,
      type: 'schema_only',
      schedule: { type: 'once', start_time: at.toISOString() },
    });
    const started = await api.post(`/tasks/${once.id as string}/start`);
    expect(started.body.next_execute_at).toBe(at.toISOString().replace('.000Z', 'Z'));
    const [run] = await waitFor('the once run', async () => {
      const l = await scheduled(once.id as string);
      return l.length ? l : undefined;
    });
    expect(run.scheduled_at).toBe(at.toISOString().replace('.000Z', 'Z'));
    expect(Date.parse(run.start_time as string)).toBeGreaterThanOrEqual(at.getTime());
    await sleep(1500);
    expect(await scheduled(once.id as string)).toHaveLength(1);
    expect((await scheduled(now.id as string)).length).toBe(1);
    expect((await api.get(`/tasks/${once.id as string}`)).body.next_execute_at).toBeNull();
  });

  it('a service down across several firings runs once on return', async () => {
    const ds = await api.dataSource({ behavior: 'fast', assets: 1 });
    const task = await api.task({
      datasource_id: ds,
      type: 'schema_only',
      schedule: { type: 'interval', interval: 3600 },
    });
    const taskId = task.id as string;
    await api.post(`/tasks/${taskId}/start`);
    // As if the service had been down for five hours: the stored next firing is long past.
    const past = Math.floor((Date.now() - 5 * 3600 * 1000) / 1000) * 1000;
    await t.app.get(DataSource).query(`UPDATE tasks SET next_execute_at = ${past} WHERE id = '${taskId}'`);
    const runs = await waitFor('the catch-up run', async () => {
      const l = await scheduled(taskId);
      return l.length ? l : undefined;
    });
    await sleep(1500);
    expect(await scheduled(taskId)).toHaveLength(1);
    expect(Date.parse(runs[0].scheduled_at as string)).toBe(past);
    const next = Date.parse((await api.get(`/tasks/${taskId}`)).body.next_execute_at as string);
    // The next one keeps the series' phase and lies in the future, within one interval.
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(3600 * 1000);
    expect((next - past) % (3600 * 1000)).toBe(0);
    await api.post(`/tasks/${taskId}/stop`);
  });
});

describeWithServers(['postgres'], `tasks: collecting a PostgreSQL schema [${currentStore()}]`, () => {
  const schema = `tasks_e2e_${randomBytes(4).toString('hex')}`;
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
  let t: TestApp;
  let api: Api;
  let ds: string;
  beforeAll(async () => {
    await sql(`
      CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.customers (id serial PRIMARY KEY, name text NOT NULL, email varchar(100));
      CREATE TABLE ${schema}.orders (id serial PRIMARY KEY, customer_id int REFERENCES ${schema}.customers(id), total numeric(10,2), created_at timestamptz DEFAULT now());
      CREATE TABLE ${schema}.temp_scratch (a int);
      INSERT INTO ${schema}.customers (name, email) SELECT 'c' || g, 'c' || g || '@example.com' FROM generate_series(1, 20) g;
      INSERT INTO ${schema}.orders (customer_id, total) SELECT 1 + g % 20, g * 1.5 FROM generate_series(1, 50) g;
      ANALYZE ${schema}.customers; ANALYZE ${schema}.orders;
    `);
    ({ t, api } = await boot());
    ds = await api.dataSource(
      {
        host: SERVER_ENDPOINTS.postgres.host,
        port: SERVER_ENDPOINTS.postgres.port,
        username: 'postgres',
        database: 'test',
      },
      'postgresql',
    );
  });
  afterAll(async () => {
    await t?.close();
    await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  const run = async (body: Json) => {
    const task = await api.task({ datasource_id: ds, ...body });
    const res = await api.post(`/tasks/${task.id as string}/execute`);
    expect(res.status).toBe(202);
    return api.finished(task.id as string, res.body.execution_id as string, 60_000);
  };
  const scope = { include_schemas: [schema], exclude_tables: ['temp_*'] };

  it('full_collection collects the schema within scope, with counts the schema explains', async () => {
    const done = await run({ type: 'full_collection', config: { ...scope, batch_size: 1 } });
    expect(done.error).toBeNull();
    expect(done.status).toBe('completed');
    // customers (3 columns) and orders (4) with their serial columns' sequences; temp_scratch is excluded by the glob.
    expect(done.result).toMatchObject({ tables_processed: 4, records_processed: 7, errors_count: 0 });
    expect((done.result as Json).changes).toMatchObject({ assets_added: 4, assets_removed: 0, fields_added: 7 });
    expect((done.result as Json).processing_stats).toMatchObject({
      namespaces: 1,
      assets_by_kind: { table: 2, sequence: 2 },
    });
    const assets = await api.get(`/metadata/assets?datasource_id=${ds}&namespace=${schema}`);
    expect(assets.status).toBe(200);
    expect(assets.body.total).toBe(4);
  });

  it('incremental_collection sees only what changed since the last successful run', async () => {
    await sql(`ALTER TABLE ${schema}.customers ADD COLUMN phone text`);
    const done = await run({ type: 'incremental_collection', config: scope });
    expect(done.status).toBe('completed');
    expect((done.result as Json).tables_processed).toBe(4);
    expect((done.result as Json).changes).toMatchObject({
      assets_added: 0,
      assets_altered: 1,
      assets_removed: 0,
      fields_added: 1,
    });
  });

  it('schema_only collects structure; a narrower scope never removes what lies outside it', async () => {
    const done = await run({ type: 'schema_only', config: { include_schemas: [schema], include_tables: ['orders'] } });
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({ tables_processed: 1, records_processed: 4 });
    expect((done.result as Json).changes).toMatchObject({ assets_removed: 0 });
  });

  it('data_profile profiles the collected tables', async () => {
    const done = await run({ type: 'data_profile', config: { ...scope, sample_rows: 1000 } });
    expect(done.status).toBe('completed');
    // 20 customers + 50 orders profiled.
    expect(done.result).toMatchObject({ tables_processed: 2, records_processed: 70, errors_count: 0 });
  });
});

describeE2E('tasks: concurrency limits', () => {
  let t: TestApp;
  let api: Api;
  beforeAll(async () => {
    ({ t, api } = await boot(undefined, false, { MAX_CONCURRENT_EXECUTIONS: '2', MAX_CONCURRENT_PER_DATASOURCE: '1' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  const statusOf = async (taskId: string, execId: string) => (await api.execution(taskId, execId)).status;

  it('at most one run per data source and MAX_CONCURRENT_EXECUTIONS in all; the queue moves as runs end', async () => {
    const shared = await api.dataSource({ behavior: 'block' });
    const t1 = await api.task({ datasource_id: shared });
    const t2 = await api.task({ datasource_id: shared });
    const e1 = (await api.post(`/tasks/${t1.id as string}/execute`)).body.execution_id as string;
    await waitFor('the first run', async () => (await statusOf(t1.id as string, e1)) === 'running');
    const e2 = (await api.post(`/tasks/${t2.id as string}/execute`)).body.execution_id as string;
    const other = await api.dataSource({ behavior: 'block' });
    const t3 = await api.task({ datasource_id: other });
    const e3 = (await api.post(`/tasks/${t3.id as string}/execute`)).body.execution_id as string;
    await waitFor('the run on the other source', async () => (await statusOf(t3.id as string, e3)) === 'running');
    const third = await api.dataSource({ behavior: 'block' });
    const t4 = await api.task({ datasource_id: third });
    const e4 = (await api.post(`/tasks/${t4.id as string}/execute`)).body.execution_id as string;
    await sleep(1000);
    // e2 waits for its data source, e4 for a global slot.
    expect(await statusOf(t2.id as string, e2)).toBe('pending');
    expect(await statusOf(t4.id as string, e4)).toBe('pending');

    await api.post(`/tasks/${t1.id as string}/stop`);
    await waitFor(
      'the queued run on the shared source',
      async () => (await statusOf(t2.id as string, e2)) === 'running',
    );
    expect(await statusOf(t4.id as string, e4)).toBe('pending');
    await api.post(`/tasks/${t3.id as string}/stop`);
    await waitFor('the run waiting for a global slot', async () => (await statusOf(t4.id as string, e4)) === 'running');
    await api.post(`/tasks/${t2.id as string}/stop`);
    await api.post(`/tasks/${t4.id as string}/stop`);
  });
});

describeE2E('tasks: shutdown and instances that die', () => {
  it('on shutdown, running executions are cancelled and marked, never left running', async () => {
    const store = await createStore();
    try {
      const { t, api } = await boot(store, true);
      const ds = await api.dataSource({ behavior: 'block' });
      const task = await api.task({ datasource_id: ds });
      const execId = (await api.post(`/tasks/${task.id as string}/execute`)).body.execution_id as string;
      await waitFor('running', async () => (await api.execution(task.id as string, execId)).status === 'running');
      await t.close();
      const [row] = await store.query(
        'SELECT status, error_code, error_message, end_time, active_task, run_slot FROM task_executions WHERE id = ?',
        [execId],
      );
      expect(row).toMatchObject({
        status: 'cancelled',
        error_code: 'CANCELLED',
        error_message: 'the service shut down while it ran',
        active_task: null,
        run_slot: null,
      });
      expect(row.end_time).not.toBeNull();
    } finally {
      await store.drop();
    }
  });

  it('a run whose instance died is recovered by a restarted instance as failed (interrupted) and retried', async () => {
    const store = await createStore();
    let second: TestApp | undefined;
    try {
      const first = await boot(store, true);
      const ds = await first.api.dataSource({ behavior: 'block' });
      const task = await first.api.task({ datasource_id: ds, config: { retry_count: 1 } });
      const taskId = task.id as string;
      const execId = (await first.api.post(`/tasks/${taskId}/execute`)).body.execution_id as string;
      await waitFor('running', async () => (await first.api.execution(taskId, execId)).status === 'running');
      // The instance dies: its lease is no longer renewed by it and nobody marks the run.
      // (Simulated in the store: the row now belongs to an instance that is gone, with a lease about to expire.)
      await first.t.app
        .get(DataSource)
        .query(
          `UPDATE task_executions SET owner_id = 'dead-instance', lease_expires_at = ${Date.now() + 1500} WHERE id = '${execId}'`,
        );
      await first.t.close();
      const [left] = await store.query('SELECT status, owner_id FROM task_executions WHERE id = ?', [execId]);
      expect(left).toMatchObject({ status: 'running', owner_id: 'dead-instance' });

      const restarted = await boot(store, true);
      second = restarted.t;
      const recovered = await restarted.api.finished(taskId, execId);
      expect(recovered.status).toBe('failed');
      expect(recovered.error).toMatchObject({ code: 'INTERRUPTED' });
      expect((recovered.error as Json).message).toMatch(/^interrupted/);
      let seen: Json[] = [];
      const retry = await waitFor(
        'the retry to run on the restarted instance',
        async () => {
          seen = await restarted.api.executions(taskId);
          return seen.find((e) => e.attempt === 2 && e.status === 'running');
        },
        45_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; executions: ${JSON.stringify(seen)}`);
      });
      expect(retry).toMatchObject({ trigger: 'retry', retry_of: execId, max_attempts: 2 });
      await restarted.api.post(`/tasks/${taskId}/stop`);
      expect((await restarted.api.finished(taskId, retry.id as string)).status).toBe('cancelled');
    } finally {
      await second?.close();
      await store.drop();
    }
  });
});

// Replicas share one store only on PostgreSQL; the e2e-postgres project runs this suite.
if (currentStore() === 'postgres') {
  describeWithServers(['postgres'], 'tasks: two instances on one PostgreSQL store', () => {
    let store: StoreHandle;
    let a: { t: TestApp; api: Api };
    let b: { t: TestApp; api: Api };
    beforeAll(async () => {
      store = await createStore('postgres');
      a = await boot(store, true);
      b = await boot(store, true);
    });
    afterAll(async () => {
      await a?.t.close();
      await b?.t.close();
      await store?.drop();
    });

    it('run each firing of a shared cron task exactly once over at least 10 firings', async () => {
      const ds = await a.api.dataSource({ behavior: 'fast', assets: 2 });
      const task = await a.api.task({
        datasource_id: ds,
        type: 'schema_only',
        schedule: { type: 'cron', cron_expr: '*/2 * * * * *', timezone: 'Europe/Berlin' },
      });
      const taskId = task.id as string;
      await b.api.post(`/tasks/${taskId}/start`);
      await waitFor(
        'eleven completed firings',
        async () => {
          const rows = await store.query(
            "SELECT COUNT(*) AS n FROM task_executions WHERE task_id = ? AND status = 'completed'",
            [taskId],
          );
          return Number(rows[0].n) >= 11;
        },
        60_000,
        500,
      );
      await a.api.post(`/tasks/${taskId}/stop`);
      const rows = await store.query(
        "SELECT scheduled_at, owner_id, status FROM task_executions WHERE task_id = ? AND triggered_by = 'schedule' ORDER BY scheduled_at",
        [taskId],
      );
      const firings = rows.map((r) => Number(r.scheduled_at));
      // Exactly once: no firing twice, and none lost between the first and the last.
      expect(new Set(firings).size).toBe(firings.length);
      expect(firings.length).toBeGreaterThanOrEqual(11);
      for (let i = 1; i < firings.length; i++) expect(firings[i] - firings[i - 1]).toBe(2000);
      expect(rows.every((r) => r.status === 'completed')).toBe(true);
      const owners = new Set(rows.map((r) => r.owner_id));
      console.log(`two instances: ${firings.length} firings, claimed by ${owners.size} instance(s)`);
    }, 90_000);

    it('a stop asked on one instance cancels the run held by the other within 5 s', async () => {
      const ds = await a.api.dataSource({ behavior: 'block' });
      const task = await a.api.task({ datasource_id: ds });
      const taskId = task.id as string;
      const execId = (await a.api.post(`/tasks/${taskId}/execute`)).body.execution_id as string;
      await waitFor('running', async () => (await a.api.execution(taskId, execId)).status === 'running');
      const [row] = await store.query('SELECT owner_id FROM task_executions WHERE id = ?', [execId]);
      const holder = [a, b].find((x) => x.t.app.get(ExecutionRunnerService).instanceId === row.owner_id);
      const other = holder === a ? b : a;
      expect(holder).toBeDefined();
      const asked = Date.now();
      expect((await other.api.post(`/tasks/${taskId}/stop`)).status).toBe(200);
      const done = await other.api.finished(taskId, execId, 5000);
      expect(Date.now() - asked).toBeLessThan(5000);
      expect(done).toMatchObject({
        status: 'cancelled',
        error: { code: 'CANCELLED', message: 'the task was stopped' },
      });
    });
  });
}
