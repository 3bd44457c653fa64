/**
 * Turns this service's cron expressions (five fields, or six with seconds first; Vixie/croner
 * semantics) into the Quartz expressions DolphinScheduler schedules with (seven fields: second
 * minute hour day-of-month month day-of-week year). The differences that matter:
 * - Quartz numbers weekdays 1-7 from Sunday; cron numbers them 0-6 (7 is Sunday too);
 * - Quartz wants `?` in exactly one of day-of-month and day-of-week. When cron restricts both,
 *   it fires on either (OR), which Quartz cannot say: such expressions are refused.
 */

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const PLAIN_FIELD = /^[0-9A-Za-z*,/-]+$/;
const DAY_OF_MONTH_FIELD = /^[0-9A-Za-z*,/?-]+$/;

export class CronTranslationError extends Error {}

function dayNumber(token: string): number {
  const upper = token.toUpperCase();
  const named = DAY_NAMES.indexOf(upper);
  if (named >= 0) return named;
  if (!/^\d+$/.test(token)) throw new CronTranslationError(`"${token}" is not a weekday`);
  const n = Number(token);
  if (n > 7) throw new CronTranslationError(`weekday ${n} is out of range 0-7`);
  return n % 7;
}

/** The weekdays (0 = Sunday) one list element of a cron weekday field selects. */
function daysOf(element: string): number[] {
  const [base, stepText] = element.split('/');
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new CronTranslationError(`bad step in "${element}"`);
  let from: number;
  let to: number;
  if (base === '*') {
    from = 0;
    to = 6;
  } else if (base.includes('-')) {
    const [a, b] = base.split('-');
    from = dayNumber(a);
    // 7 closes a range on Sunday: 5-7 is Friday to Sunday.
    to = b.trim() === '7' ? 7 : dayNumber(b);
    if (to < from) throw new CronTranslationError(`weekday range "${base}" runs backwards`);
  } else {
    from = dayNumber(base);
    to = stepText === undefined ? from : 6;
  }
  const out: number[] = [];
  for (let d = from; d <= to; d += step) out.push(d % 7);
  return out;
}

/** A set of Quartz weekdays (1-7) as the shortest list of numbers and ranges. */
function quartzList(days: Set<number>): string {
  const sorted = [...days].map((d) => d + 1).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

function weekdayField(field: string): string {
  if (field === '*' || field === '?') return '?';
  const special = /^(\w+)(L|#\d)$/i.exec(field);
  if (special) return `${dayNumber(special[1]) + 1}${special[2].toUpperCase()}`;
  if (!PLAIN_FIELD.test(field))
    throw new CronTranslationError(`weekday field "${field}" uses syntax Quartz does not share`);
  const days = new Set<number>();
  for (const element of field.split(',')) for (const d of daysOf(element)) days.add(d);
  return quartzList(days);
}

/** The Quartz expression DolphinScheduler should run for a (valid) cron expression. */
export function toQuartzCron(expr: string): string {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6)
    throw new CronTranslationError(`expected 5 or 6 fields, got ${fields.length}`);
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = fields.length === 6 ? fields : ['0', ...fields];
  for (const [name, value] of [
    ['second', second],
    ['minute', minute],
    ['hour', hour],
    ['month', month],
  ] as const) {
    if (!PLAIN_FIELD.test(value))
      throw new CronTranslationError(`${name} field "${value}" uses syntax Quartz does not share`);
  }
  if (!DAY_OF_MONTH_FIELD.test(dayOfMonth))
    throw new CronTranslationError(`day-of-month field "${dayOfMonth}" uses syntax Quartz does not share`);
  const domFree = dayOfMonth === '*' || dayOfMonth === '?';
  const dowFree = dayOfWeek === '*' || dayOfWeek === '?';
  if (!domFree && !dowFree) {
    throw new CronTranslationError(
      'it restricts both the day of the month and the day of the week (cron fires on either); Quartz can only restrict one',
    );
  }
  const dom = domFree ? (dowFree ? '*' : '?') : dayOfMonth;
  const dow = dowFree ? '?' : weekdayField(dayOfWeek);
  return [second, minute, hour, dom, month, dow, '*'].join(' ');
}
