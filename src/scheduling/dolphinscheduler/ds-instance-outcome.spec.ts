import { failureOf, logTail, outcomeOf, reasonIn, redactCredentials } from './ds-instance-outcome';

describe('workflow instance outcomes', () => {
  it('reads WorkflowExecutionStatus names', () => {
    expect(outcomeOf({ state: 'SUCCESS' })).toBe('succeeded');
    for (const s of ['FAILURE', 'STOP', 'PAUSE']) expect(outcomeOf({ state: s })).toBe('failed');
    for (const s of ['SUBMITTED_SUCCESS', 'RUNNING_EXECUTION', 'READY_STOP', 'SERIAL_WAIT', 'DELAY_EXECUTION'])
      expect(outcomeOf({ state: s })).toBe('running');
  });

  it("masks the callback's credentials that DolphinScheduler's HTTP task writes to its log", () => {
    const line =
      '[INFO] 2025-01-01 00:00:00.000 +0800 - http request params：{"prop":"Authorization","httpParametersType":"HEADERS","value":"Bearer mds-svc.svc-01j.AbC_d-9"}';
    expect(redactCredentials(line)).toBe(
      '[INFO] 2025-01-01 00:00:00.000 +0800 - http request params：{"prop":"Authorization","httpParametersType":"HEADERS","value":"Bearer ******"}',
    );
    expect(redactCredentials('token mds-svc.svc-1.x.y leaked')).toBe('token ****** leaked');
  });

  it("keeps the log's last lines within the bound", () => {
    const log = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const tail = logTail(log, 31);
    expect(tail).toBe('line 96\nline 97\nline 98\nline 99');
  });

  it('takes the last ERROR line as the reason, without its level and time', () => {
    const tail = [
      '[INFO] 2025-01-01 00:00:00.000 +0800 - Begin to initialize task',
      '[ERROR] 2025-01-01 00:00:01.000 +0800 - http://x/execute statuscode: 409, Must be: 202',
      '[INFO] 2025-01-01 00:00:01.500 +0800 - FINALIZE_SESSION',
    ].join('\n');
    expect(reasonIn(tail)).toBe('http://x/execute statuscode: 409, Must be: 202');
    expect(reasonIn('[INFO] 2025-01-01 00:00:00 - only info')).toBe('only info');
  });

  it('says which task failed and why', () => {
    const why = failureOf(
      { id: 7, processDefinitionCode: 1, state: 'FAILURE' },
      { taskList: [{ id: 70, name: 'metadata-callback', state: 'FAILURE' }] },
      { lineNum: 2, message: '[ERROR] 2025-01-01 00:00:01 - connection refused\n' },
    );
    expect(why).toEqual({
      message:
        'DolphinScheduler workflow instance 7 ended FAILURE: task "metadata-callback" FAILURE — connection refused',
      details: '[ERROR] 2025-01-01 00:00:01 - connection refused',
    });
    expect(failureOf({ id: 8, processDefinitionCode: 1, state: 'STOP' }, null, null)).toEqual({
      message: 'DolphinScheduler workflow instance 8 ended STOP',
      details: null,
    });
  });
});
