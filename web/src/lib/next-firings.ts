import { Cron } from 'croner';
import type { TaskSchedule } from '../api/types';

/**
 * The next `n` firings of a schedule, computed in the browser (no REST endpoint offers a preview).
 * Cron is read in the schedule's time zone with croner, the library the service's scheduler uses.
 */
export function nextFirings(s: TaskSchedule, n = 5, now = new Date()): Date[] {
  const start = s.start_time ? new Date(s.start_time) : undefined;
  const end = s.end_time ? new Date(s.end_time) : undefined;
  const from = start && start > now ? start : now;
  let out: Date[] = [];
  if (s.type === 'once') out = start ? [start] : [];
  else if (s.type === 'interval' && s.interval && s.interval > 0) {
    const step = s.interval * 1000;
    const first = start && start > now ? start.getTime() : now.getTime() + step;
    out = Array.from({ length: n }, (_, i) => new Date(first + i * step));
  } else if (s.type === 'cron' && s.cron_expr) {
    const cron = new Cron(s.cron_expr, { timezone: s.timezone || 'UTC', paused: true, startAt: from.toISOString() });
    out = cron.nextRuns(n, from);
  }
  return end ? out.filter((d) => d <= end) : out;
}

/** A date as wall-clock time in the zone, with the zone named. */
export function inZone(d: Date, timeZone: string): string {
  try {
    return `${d.toLocaleString(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'medium' })} (${timeZone})`;
  } catch {
    return d.toISOString();
  }
}

export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}
