import { ScheduleType } from '../scheduling-types';
import { callbackUrlOf, httpTaskParams, scheduleParam, wallClock, workflowInput } from './workflow-spec';

describe('workflow spec', () => {
  const task = { id: 'task-01jtest', name: 'daily "orders"' };

  it('calls back the execute route with the service token, the instance id and the manual execution id', () => {
    const params = httpTaskParams({
      task,
      callbackBase: 'https://metadata.example.com/',
      serviceToken: 'mds-svc.svc-1.abc',
    });
    expect(params).toMatchObject({
      url: 'https://metadata.example.com/api/v1/tasks/task-01jtest/execute',
      httpMethod: 'POST',
      httpCheckCondition: 'STATUS_CODE_CUSTOM',
      condition: '202',
    });
    expect(params.httpParams).toEqual([
      { prop: 'Authorization', httpParametersType: 'HEADERS', value: 'Bearer mds-svc.svc-1.abc' },
      { prop: 'external_id', httpParametersType: 'BODY', value: '${system.workflow.instance.id}' },
      { prop: 'execution_id', httpParametersType: 'BODY', value: '${execution_id}' },
    ]);
    expect(callbackUrlOf('http://h:8080', 'a b')).toBe('http://h:8080/api/v1/tasks/a%20b/execute');
  });

  it('describes a one-task workflow with the execution_id global parameter', () => {
    const input = workflowInput({
      task,
      taskCode: 13000000000001,
      callbackBase: 'http://h',
      serviceToken: 't',
      workerGroup: 'wg',
    });
    expect(input.name).toBe('metadata-task-01jtest');
    expect(JSON.parse(input.globalParams)).toEqual([
      { prop: 'execution_id', direct: 'IN', type: 'VARCHAR', value: '' },
    ]);
    const [def] = JSON.parse(input.taskDefinitionJson) as Array<Record<string, unknown>>;
    expect(def).toMatchObject({
      code: 13000000000001,
      taskType: 'HTTP',
      workerGroup: 'wg',
      failRetryTimes: 0,
      flag: 'YES',
    });
    expect(JSON.parse(input.taskRelationJson)).toEqual([
      expect.objectContaining({ preTaskCode: 0, postTaskCode: 13000000000001, conditionType: 'NONE' }),
    ]);
    expect(JSON.parse(input.locations)).toEqual([{ taskCode: 13000000000001, x: 120, y: 120 }]);
  });

  it('writes instants as the wall clock of the time zone, daylight saving included', () => {
    expect(wallClock(new Date('2025-07-01T00:00:00Z'), 'Europe/Berlin')).toBe('2025-07-01 02:00:00');
    expect(wallClock(new Date('2025-01-01T00:00:00Z'), 'Europe/Berlin')).toBe('2025-01-01 01:00:00');
    expect(wallClock(new Date('2025-01-01T16:30:05Z'), 'Asia/Shanghai')).toBe('2025-01-02 00:30:05');
  });

  it('schedules the Quartz form of the cron in its zone, from its start (or now) to its end (or a century on)', () => {
    const now = new Date('2025-06-01T10:00:00Z');
    expect(
      scheduleParam({ type: ScheduleType.Cron, cron_expr: '0 2 * * 1-5', timezone: 'Asia/Shanghai' }, now),
    ).toEqual({
      startTime: '2025-06-01 18:00:00',
      endTime: '2125-06-01 08:00:00',
      timezoneId: 'Asia/Shanghai',
      crontab: '0 0 2 ? * 2-6 *',
    });
    expect(
      scheduleParam(
        {
          type: ScheduleType.Cron,
          cron_expr: '0 2 * * *',
          start_time: '2025-07-01T00:00:00.000Z',
          end_time: '2026-01-01T00:00:00.000Z',
        },
        now,
      ),
    ).toMatchObject({
      startTime: '2025-07-01 00:00:00',
      endTime: '2026-01-01 00:00:00',
      timezoneId: 'UTC',
    });
  });
});
