import { ScheduleType } from './scheduling-types';
import { isTimeZone, nextCronFiring, parseCron, planNextFiring, zoneOffsetMinutes } from './next-firing';

const d = (s: string) => new Date(s);
const series = (expr: string, tz: string, from: string, n: number): string[] => {
  const out: string[] = [];
  let cur = d(from);
  for (let i = 0; i < n; i++) {
    const next = nextCronFiring(expr, tz, cur);
    if (!next) break;
    out.push(next.toISOString());
    cur = next;
  }
  return out;
};

describe('time zones', () => {
  it('knows IANA names and refuses others', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('reads offsets including daylight saving', () => {
    expect(zoneOffsetMinutes('Europe/Berlin', d('2025-01-15T12:00:00Z'))).toBe(60);
    expect(zoneOffsetMinutes('Europe/Berlin', d('2025-07-15T12:00:00Z'))).toBe(120);
    expect(zoneOffsetMinutes('America/New_York', d('2025-07-15T12:00:00Z'))).toBe(-240);
    expect(zoneOffsetMinutes('Asia/Kolkata', d('2025-07-15T12:00:00Z'))).toBe(330);
  });
});

describe('cron parsing', () => {
  it('accepts five fields and six with seconds', () => {
    expect(() => parseCron('0 0 * * *')).not.toThrow();
    expect(() => parseCron('*/2 * * * * *')).not.toThrow();
  });

  it('refuses malformed expressions with a reason', () => {
    expect(() => parseCron('61 * * * *')).toThrow(/minute/);
    expect(() => parseCron('* * *')).toThrow(/expected 5 fields/);
    expect(() => parseCron('* * * * * * *')).toThrow(/got 7/);
  });
});

describe('nextCronFiring', () => {
  it('reads the expression in the named time zone', () => {
    // Midnight in Shanghai is 16:00 UTC the day before.
    expect(series('0 0 * * *', 'Asia/Shanghai', '2025-06-01T00:00:00Z', 2)).toEqual([
      '2025-06-01T16:00:00.000Z',
      '2025-06-02T16:00:00.000Z',
    ]);
    expect(series('0 9 * * 1', 'America/New_York', '2025-06-01T00:00:00Z', 1)).toEqual(['2025-06-02T13:00:00.000Z']);
  });

  it('fires every two seconds with a six-field expression, strictly after the given instant', () => {
    expect(series('*/2 * * * * *', 'Asia/Shanghai', '2025-06-01T00:00:00.000Z', 3)).toEqual([
      '2025-06-01T00:00:02.000Z',
      '2025-06-01T00:00:04.000Z',
      '2025-06-01T00:00:06.000Z',
    ]);
    expect(nextCronFiring('*/2 * * * * *', 'UTC', d('2025-06-01T00:00:01.400Z'))?.toISOString()).toBe(
      '2025-06-01T00:00:02.000Z',
    );
  });

  it('spring forward: a daily time that does not exist fires once, at the shifted wall time', () => {
    // Berlin, 2025-03-30: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that night.
    expect(series('30 2 * * *', 'Europe/Berlin', '2025-03-29T00:00:00Z', 3)).toEqual([
      '2025-03-29T01:30:00.000Z', // 02:30 CET
      '2025-03-30T01:30:00.000Z', // 03:30 CEST (shifted)
      '2025-03-31T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('fall back: a daily time that exists twice fires once', () => {
    // Berlin, 2025-10-26: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    const runs = series('30 2 * * *', 'Europe/Berlin', '2025-10-25T12:00:00Z', 2);
    expect(runs).toHaveLength(2);
    expect(runs[0].startsWith('2025-10-26T')).toBe(true);
    expect(runs[1].startsWith('2025-10-27T')).toBe(true);
  });

  it('fall back: an hourly expression fires every real hour through the repeated hour', () => {
    expect(series('0 * * * *', 'Europe/Berlin', '2025-10-25T22:30:00Z', 5)).toEqual([
      '2025-10-25T23:00:00.000Z', // 01:00 CEST
      '2025-10-26T00:00:00.000Z', // 02:00 CEST
      '2025-10-26T01:00:00.000Z', // 02:00 CET (the repeated hour)
      '2025-10-26T02:00:00.000Z', // 03:00 CET
      '2025-10-26T03:00:00.000Z',
    ]);
    expect(series('0 * * * *', 'America/New_York', '2025-11-02T04:30:00Z', 3)).toEqual([
      '2025-11-02T05:00:00.000Z', // 01:00 EDT
      '2025-11-02T06:00:00.000Z', // 01:00 EST
      '2025-11-02T07:00:00.000Z', // 02:00 EST
    ]);
  });

  it('fall back: a quarter-hourly expression never leaves a gap longer than 15 minutes', () => {
    const runs = series('*/15 * * * *', 'Europe/Berlin', '2025-10-25T23:50:00Z', 12).map((s) => d(s).getTime());
    for (let i = 1; i < runs.length; i++) expect(runs[i] - runs[i - 1]).toBe(15 * 60_000);
  });

  it('spring forward: an hourly expression loses only the hour that does not exist', () => {
    expect(series('0 * * * *', 'Europe/Berlin', '2025-03-30T00:30:00Z', 3)).toEqual([
      '2025-03-30T01:00:00.000Z', // 03:00 CEST (02:00 does not exist)
      '2025-03-30T02:00:00.000Z',
      '2025-03-30T03:00:00.000Z',
    ]);
  });
});

describe('planNextFiring', () => {
  const now = d('2025-06-01T10:00:00Z');

  it('immediate: fires at start, then never again', () => {
    expect(planNextFiring({ schedule: { type: ScheduleType.Immediate }, reason: 'activate', now })).toEqual(now);
    expect(planNextFiring({ schedule: { type: ScheduleType.Immediate }, reason: 'fired', now, due: now })).toBeNull();
  });

  it('once: fires at its time, once', () => {
    const schedule = { type: ScheduleType.Once, start_time: '2025-06-01T12:00:00Z' };
    expect(planNextFiring({ schedule, reason: 'activate', now })?.toISOString()).toBe('2025-06-01T12:00:00.000Z');
    expect(planNextFiring({ schedule, reason: 'fired', now, due: d('2025-06-01T12:00:00Z') })).toBeNull();
    // Started again after it already fired: nothing left.
    expect(
      planNextFiring({
        schedule,
        reason: 'activate',
        now: d('2025-06-02T00:00:00Z'),
        lastFiredAt: d('2025-06-01T12:00:00Z'),
      }),
    ).toBeNull();
    // Its time passed while the task was not active and it never fired: fires now, once.
    expect(planNextFiring({ schedule, reason: 'activate', now: d('2025-06-02T00:00:00Z') })?.toISOString()).toBe(
      '2025-06-02T00:00:00.000Z',
    );
  });

  it('cron: after a long outage the next firing is computed from the present (missed firings run once)', () => {
    const schedule = { type: ScheduleType.Cron, cron_expr: '0 * * * *', timezone: 'UTC' };
    const due = d('2025-06-01T03:00:00Z');
    expect(planNextFiring({ schedule, reason: 'fired', now, due })?.toISOString()).toBe('2025-06-01T11:00:00.000Z');
  });

  it('cron: honours start_time and end_time', () => {
    const schedule = {
      type: ScheduleType.Cron,
      cron_expr: '0 * * * *',
      timezone: 'UTC',
      start_time: '2025-06-03T00:00:00Z',
      end_time: '2025-06-03T05:00:00Z',
    };
    expect(planNextFiring({ schedule, reason: 'activate', now })?.toISOString()).toBe('2025-06-03T00:00:00.000Z');
    expect(
      planNextFiring({ schedule, reason: 'fired', now: d('2025-06-03T05:00:00Z'), due: d('2025-06-03T05:00:00Z') }),
    ).toBeNull();
  });

  it('interval: first firing one interval after start, then keeps its phase and skips the past', () => {
    const schedule = { type: ScheduleType.Interval, interval: 60 };
    expect(planNextFiring({ schedule, reason: 'activate', now })?.toISOString()).toBe('2025-06-01T10:01:00.000Z');
    expect(
      planNextFiring({
        schedule,
        reason: 'fired',
        now: d('2025-06-01T10:01:00.200Z'),
        due: d('2025-06-01T10:01:00Z'),
      })?.toISOString(),
    ).toBe('2025-06-01T10:02:00.000Z');
    // Down for ten minutes: one firing on return, the next on the original phase.
    expect(
      planNextFiring({
        schedule,
        reason: 'fired',
        now: d('2025-06-01T10:11:30Z'),
        due: d('2025-06-01T10:01:00Z'),
      })?.toISOString(),
    ).toBe('2025-06-01T10:12:00.000Z');
  });
});
