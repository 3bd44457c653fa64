import { DolphinSchedulerClient } from './ds-client';
import { DolphinSchedulerError, toBadGateway } from './ds-error';

/**
 * Request and response mapping of the client, against answers shaped as DolphinScheduler 3.2.x
 * documents them: the `Result` envelope `{code, msg, data, success, failed}`, 201 on creates,
 * errors as a non-zero `code` with the `Status` enum's message, 401 without a body for a bad token.
 */

interface Seen {
  url: URL;
  method: string;
  headers: Record<string, string>;
  form: URLSearchParams;
}

function stub(answer: (seen: Seen) => Response | Promise<Response>): { client: DolphinSchedulerClient; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const s: Seen = {
      url: new URL(String(input)),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(
        Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
      ),
      form: new URLSearchParams(typeof init?.body === 'string' ? init.body : ''),
    };
    seen.push(s);
    return answer(s);
  }) as typeof fetch;
  return {
    client: new DolphinSchedulerClient({
      baseUrl: 'http://ds.example:12345/dolphinscheduler/',
      token: 'secret-token',
      timeoutMs: 200,
      fetch: fetchFn,
    }),
    seen,
  };
}

const envelope = (data: unknown, status = 200) =>
  new Response(JSON.stringify({ code: 0, msg: 'success', data, success: true, failed: false }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
const refusal = (code: number, msg: string) =>
  new Response(JSON.stringify({ code, msg, data: null, success: false, failed: true }), {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
  });

describe('DolphinSchedulerClient', () => {
  it('creates a workflow with form parameters, the token header, and reads the code from the 201 answer', async () => {
    const { client, seen } = stub(() =>
      envelope({ id: 7, code: 13020394858240, name: 'metadata-task-1', releaseState: 'OFFLINE', version: 1 }, 201),
    );
    const def = await client.createWorkflow(11, {
      name: 'metadata-task-1',
      description: 'd',
      globalParams: '[]',
      locations: '[]',
      taskDefinitionJson: '[{"code":1}]',
      taskRelationJson: '[]',
      timeout: 0,
      executionType: 'PARALLEL',
    });
    expect(def).toMatchObject({ code: 13020394858240, releaseState: 'OFFLINE' });
    const [s] = seen;
    expect(s.method).toBe('POST');
    expect(s.url.pathname).toBe('/dolphinscheduler/projects/11/process-definition');
    expect(s.url.search).toBe('');
    expect(s.headers.token).toBe('secret-token');
    expect(s.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(s.form)).toEqual({
      name: 'metadata-task-1',
      description: 'd',
      globalParams: '[]',
      locations: '[]',
      taskDefinitionJson: '[{"code":1}]',
      taskRelationJson: '[]',
      timeout: '0',
      executionType: 'PARALLEL',
    });
  });

  it('sends GET parameters in the query string and returns the envelope data', async () => {
    const { client, seen } = stub(() =>
      envelope({
        totalList: [{ id: 3, processDefinitionCode: 99, crontab: '0 0 0 * * ? *', releaseState: 'ONLINE' }],
        total: 1,
      }),
    );
    const schedule = await client.findScheduleOf(11, 99);
    expect(schedule).toMatchObject({ id: 3, releaseState: 'ONLINE' });
    expect(seen[0].method).toBe('GET');
    expect(seen[0].url.pathname).toBe('/dolphinscheduler/projects/11/schedules');
    expect(Object.fromEntries(seen[0].url.searchParams)).toEqual({
      processDefinitionCode: '99',
      pageNo: '1',
      pageSize: '10',
    });
  });

  it('sends the schedule as a JSON string with the run options', async () => {
    const { client, seen } = stub(() => envelope({ id: 42, processDefinitionCode: 99, releaseState: 'OFFLINE' }, 201));
    const run = {
      workerGroup: 'wg',
      tenantCode: 'etl',
      failureStrategy: 'END' as const,
      warningType: 'NONE' as const,
      processInstancePriority: 'MEDIUM' as const,
    };
    const created = await client.createSchedule(
      11,
      99,
      {
        startTime: '2025-01-01 00:00:00',
        endTime: '2125-01-01 00:00:00',
        timezoneId: 'Asia/Shanghai',
        crontab: '0 0 2 * * ? *',
      },
      run,
    );
    expect(created.id).toBe(42);
    const form = Object.fromEntries(seen[0].form);
    expect(JSON.parse(form.schedule)).toEqual({
      startTime: '2025-01-01 00:00:00',
      endTime: '2125-01-01 00:00:00',
      timezoneId: 'Asia/Shanghai',
      crontab: '0 0 2 * * ? *',
    });
    expect(form).toMatchObject({
      processDefinitionCode: '99',
      workerGroup: 'wg',
      tenantCode: 'etl',
      failureStrategy: 'END',
      warningType: 'NONE',
      processInstancePriority: 'MEDIUM',
      environmentCode: '-1',
    });
  });

  it('starts a workflow with start parameters and reads the trigger code (3.2)', async () => {
    const { client, seen } = stub(() => envelope(13030000000001));
    const run = {
      workerGroup: 'default',
      tenantCode: 'default',
      failureStrategy: 'END' as const,
      warningType: 'NONE' as const,
      processInstancePriority: 'MEDIUM' as const,
    };
    expect(await client.startWorkflow(11, 99, run, { execution_id: 'exec-1' })).toBe(13030000000001);
    expect(seen[0].url.pathname).toBe('/dolphinscheduler/projects/11/executors/start-process-instance');
    const form = Object.fromEntries(seen[0].form);
    expect(form).toMatchObject({
      processDefinitionCode: '99',
      scheduleTime: '',
      execType: 'START_PROCESS',
      failureStrategy: 'END',
      warningType: 'NONE',
      dryRun: '0',
      testFlag: '0',
    });
    expect(JSON.parse(form.startParams)).toEqual({ execution_id: 'exec-1' });
  });

  it('turns an error envelope into an error carrying DolphinScheduler’s code and message', async () => {
    const { client } = stub(() => refusal(50008, 'process definition 99 does not allow edit'));
    const err = await client
      .updateWorkflow(11, 99, {
        name: 'n',
        description: '',
        globalParams: '[]',
        locations: '[]',
        taskDefinitionJson: '[]',
        taskRelationJson: '[]',
        timeout: 0,
        executionType: 'PARALLEL',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DolphinSchedulerError);
    expect(err).toMatchObject({
      kind: 'api',
      dsCode: 50008,
      operation: 'update workflow',
      request: 'PUT /projects/11/process-definition/99',
      message: 'process definition 99 does not allow edit',
    });
    const gateway = toBadGateway(err);
    expect(gateway.code).toBe('BAD_GATEWAY');
    expect(gateway.message).toBe(
      'DolphinScheduler refused to update workflow: process definition 99 does not allow edit (code 50008)',
    );
    expect(gateway.details).toBe('PUT /projects/11/process-definition/99');
  });

  it('answers null for a workflow or instance that does not exist', async () => {
    const { client } = stub((s) =>
      s.url.pathname.includes('process-instances')
        ? refusal(50001, 'process instance 5 does not exist')
        : refusal(50003, 'process definition 99 does not exist'),
    );
    expect(await client.findWorkflow(11, 99)).toBeNull();
    expect(await client.findInstance(11, 5)).toBeNull();
  });

  it('says the token was refused on a bare 401, and never repeats the token', async () => {
    const { client } = stub(() => new Response(null, { status: 401 }));
    const err = (await client.listProjects().catch((e: unknown) => e)) as DolphinSchedulerError;
    expect(err).toMatchObject({ kind: 'http', httpStatus: 401 });
    expect(err.message).toMatch(/access token was refused/);
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('secret-token');
  });

  it('reports an unreachable server and a server that does not answer in time', async () => {
    const refused = stub(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    });
    const down = (await refused.client.listProjects().catch((e: unknown) => e)) as DolphinSchedulerError;
    expect(down).toMatchObject({ kind: 'unreachable', message: 'ECONNREFUSED' });
    expect(toBadGateway(down).message).toBe('DolphinScheduler is unreachable (list projects): ECONNREFUSED');

    const silent = stub(
      (s) =>
        new Promise<Response>((_, reject) => {
          void s;
          setTimeout(
            () =>
              reject(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })),
            250,
          );
        }),
    );
    const slow = (await silent.client.listProjects().catch((e: unknown) => e)) as DolphinSchedulerError;
    expect(slow).toMatchObject({ kind: 'timeout', message: 'no answer within 200 ms' });
  });

  it('refuses answers that are not its envelope, and codes it cannot hold exactly', async () => {
    const html = stub(() => new Response('<html>proxy error</html>', { status: 200 }));
    expect(await html.client.listProjects().catch((e: unknown) => e)).toMatchObject({ kind: 'protocol' });
    const bad = stub(() => envelope([2 ** 60]));
    expect(await bad.client.genTaskCodes(11, 1).catch((e: unknown) => e)).toMatchObject({
      kind: 'protocol',
      operation: 'task code',
    });
    const gen = stub(() => envelope([13000000000001, 13000000000002]));
    expect(await gen.client.genTaskCodes(11, 2)).toEqual([13000000000001, 13000000000002]);
  });

  it('addresses the release, online/offline, delete and log endpoints as documented', async () => {
    const { client, seen } = stub(() => envelope(null));
    await client.releaseWorkflow(11, 99, 'ONLINE');
    await client.setScheduleState(11, 42, 'OFFLINE');
    await client.deleteWorkflow(11, 99);
    await client.deleteSchedule(11, 42);
    const { client: logs, seen: logSeen } = stub(() => envelope({ lineNum: 1, message: 'x' }));
    await logs.taskLog(77, 0, 100);
    expect(seen.map((s) => `${s.method} ${s.url.pathname}${s.form.toString() ? ` ${s.form.toString()}` : ''}`)).toEqual(
      [
        'POST /dolphinscheduler/projects/11/process-definition/99/release releaseState=ONLINE',
        'POST /dolphinscheduler/projects/11/schedules/42/offline',
        'DELETE /dolphinscheduler/projects/11/process-definition/99',
        'DELETE /dolphinscheduler/projects/11/schedules/42',
      ],
    );
    expect(`${logSeen[0].url.pathname}${logSeen[0].url.search}`).toBe(
      '/dolphinscheduler/log/detail?taskInstanceId=77&skipLineNum=0&limit=100',
    );
  });
});
