import { SchedulingException } from './scheduling.exception';
import { ScheduleType } from './scheduling-types';
import { normalizeSchedule } from './schedule-rules';

const now = new Date('2025-06-01T10:00:00Z');
const fails = (input: Parameters<typeof normalizeSchedule>[0], pattern: RegExp) => {
  let caught: unknown;
  try {
    normalizeSchedule(input, now);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SchedulingException);
  expect((caught as SchedulingException).code).toBe('INVALID_REQUEST');
  expect((caught as SchedulingException).message).toMatch(pattern);
};

describe('normalizeSchedule', () => {
  it('defaults the cron time zone to UTC', () => {
    expect(normalizeSchedule({ type: ScheduleType.Cron, cron_expr: ' 0 0 * * * ' }, now)).toEqual({
      type: 'cron',
      cron_expr: '0 0 * * *',
      timezone: 'UTC',
    });
  });

  it('refuses bad cron syntax, unknown zones and missing fields', () => {
    fails({ type: ScheduleType.Cron, cron_expr: '0 25 * * *' }, /not a valid cron expression.*hour/);
    fails({ type: ScheduleType.Cron, cron_expr: '0 0 * * *', timezone: 'Asia/Atlantis' }, /not an IANA time zone/);
    fails({ type: ScheduleType.Cron }, /cron_expr is required/);
    fails({ type: ScheduleType.Interval }, /interval .* is required/);
    fails({ type: ScheduleType.Once }, /start_time is required/);
  });

  it('wants a future start_time for once and an end_time after the start', () => {
    fails({ type: ScheduleType.Once, start_time: '2025-06-01T09:59:59Z' }, /must be in the future/);
    fails(
      {
        type: ScheduleType.Interval,
        interval: 60,
        start_time: '2025-06-02T00:00:00Z',
        end_time: '2025-06-01T12:00:00Z',
      },
      /after schedule.start_time/,
    );
    fails(
      { type: ScheduleType.Interval, interval: 60, end_time: '2025-05-01T00:00:00Z' },
      /end_time must be in the future/,
    );
    expect(normalizeSchedule({ type: ScheduleType.Once, start_time: '2025-06-01T12:30:00+02:00' }, now)).toEqual({
      type: 'once',
      start_time: '2025-06-01T10:30:00.000Z',
    });
  });

  it('refuses fields of another schedule type', () => {
    fails(
      { type: ScheduleType.Interval, interval: 60, cron_expr: '* * * * *' },
      /cron_expr does not apply to a interval schedule/,
    );
    fails({ type: ScheduleType.Immediate, interval: 5 }, /interval does not apply/);
  });
});
