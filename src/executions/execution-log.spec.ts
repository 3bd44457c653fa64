import { TaskExecutionLogEntity } from './task-execution-log.entity';
import { ExecutionLog } from './execution-log';

describe('ExecutionLog', () => {
  it('keeps at most `limit` lines and says how many it dropped', async () => {
    const log = new ExecutionLog('exec-1', 10);
    for (let i = 0; i < 25; i++) log.info(`line ${i}`);
    log.close();
    const written: TaskExecutionLogEntity[] = [];
    await log.flush(async (entries) => void written.push(...entries));
    expect(written).toHaveLength(10);
    expect(written.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(written[9].level).toBe('warn');
    expect(written[9].message).toContain('16 more log lines were dropped');
  });

  it('masks secrets in meta and counts warnings and errors', async () => {
    const log = new ExecutionLog('exec-1', 100);
    log.warn('careful', { password: 'hunter2', table: 't' });
    log.error('broken');
    const written: TaskExecutionLogEntity[] = [];
    await log.flush(async (entries) => void written.push(...entries));
    expect(written[0].meta).toEqual({ password: '******', table: 't' });
    expect(log.warnings).toBe(1);
    expect(log.errors).toBe(1);
  });

  it('writes in order across flushes', async () => {
    const log = new ExecutionLog('exec-1', 100);
    const written: number[] = [];
    const slowWrite = (entries: TaskExecutionLogEntity[]) =>
      new Promise<void>((r) => setTimeout(() => (written.push(...entries.map((e) => e.seq)), r()), 20));
    log.info('a');
    const first = log.flush(slowWrite);
    log.info('b');
    const second = log.flush(slowWrite);
    await Promise.all([first, second]);
    expect(written).toEqual([1, 2]);
  });

  it('echoes each kept line, secrets redacted, and nothing past the limit', () => {
    const echoed: Array<[string, string, Record<string, unknown> | null]> = [];
    const log = new ExecutionLog('exec-1', 3, (level, message, meta) => echoed.push([level, message, meta]));
    log.info('connecting', { password: 'hunter2', host: 'db' });
    log.warn('slow');
    log.error('dropped');
    expect(echoed).toEqual([
      ['info', 'connecting', { password: '******', host: 'db' }],
      ['warn', 'slow', null],
    ]);
  });
});
