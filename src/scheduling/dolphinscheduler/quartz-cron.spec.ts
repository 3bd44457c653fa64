import { Cron } from 'croner';
import { CronTranslationError, toQuartzCron } from './quartz-cron';

/** The weekdays (0 = Sunday) a Quartz day-of-week list selects. */
function quartzDays(field: string): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let d = a; d <= (b ?? a); d++) out.add(d - 1);
  }
  return out;
}

/** The weekdays a five-field cron expression fires on over four weeks, by croner (the builtin scheduler's reading). */
function cronDays(expr: string): Set<number> {
  const days = new Set<number>();
  const cron = new Cron(expr, { timezone: 'UTC', legacyMode: true, paused: true });
  let at = new Date('2025-03-02T00:00:00Z');
  for (let i = 0; i < 60; i++) {
    const next = cron.nextRun(at);
    if (!next || next.getTime() > Date.parse('2025-03-30T00:00:00Z')) break;
    days.add(next.getUTCDay());
    at = next;
  }
  return days;
}

describe('toQuartzCron', () => {
  it.each([
    ['0 0 * * *', '0 0 0 * * ? *'],
    ['30 2 * * 1-5', '0 30 2 ? * 2-6 *'],
    ['*/10 * * * * *', '*/10 * * * * ? *'],
    ['0 */5 * * * *', '0 */5 * * * ? *'],
    ['0 9 1 * *', '0 0 9 1 * ? *'],
    ['0 9 1,15 */2 *', '0 0 9 1,15 */2 ? *'],
    ['0 9 * * 0', '0 0 9 ? * 1 *'],
    ['0 9 * * 7', '0 0 9 ? * 1 *'],
    ['0 9 * * MON,WED,FRI', '0 0 9 ? * 2,4,6 *'],
    ['0 9 * * 5-7', '0 0 9 ? * 1,6,7 *'],
    ['0 9 * * */2', '0 0 9 ? * 1,3,5,7 *'],
    ['0 9 L * *', '0 0 9 L * ? *'],
    ['0 9 * * 5L', '0 0 9 ? * 6L *'],
    ['0 9 * * 1#2', '0 0 9 ? * 2#2 *'],
    ['0 9 ? * 3', '0 0 9 ? * 4 *'],
  ])('%s → %s', (cron, quartz) => {
    expect(toQuartzCron(cron)).toBe(quartz);
  });

  it.each(['1-5', 'MON-FRI', '0,6', '5-7', '*/2', '1-7/2', 'SUN,TUE', '2', '1/3'])(
    'selects the same weekdays as the builtin reading of "%s"',
    (dow) => {
      const quartz = toQuartzCron(`0 9 * * ${dow}`).split(' ')[5];
      expect(quartzDays(quartz)).toEqual(cronDays(`0 9 * * ${dow}`));
    },
  );

  it('refuses what Quartz cannot say', () => {
    expect(() => toQuartzCron('0 9 1 * 1')).toThrow(CronTranslationError);
    expect(() => toQuartzCron('0 9 1 * 1')).toThrow(/both the day of the month and the day of the week/);
    expect(() => toQuartzCron('0 9 * *')).toThrow(/5 or 6 fields/);
    expect(() => toQuartzCron('0 9 * * 8')).toThrow(/out of range/);
  });
});
