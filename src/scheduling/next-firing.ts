import { Cron } from 'croner';
import { ScheduleType, TaskSchedule } from './scheduling-types';

/**
 * When a schedule fires next. Pure functions of the schedule and the clock, so every replica
 * computes the same instants.
 *
 * Cron expressions have five fields (minute hour day-of-month month day-of-week) or six with
 * seconds first (`*\/2 * * * * *` fires every two seconds); they are read in the schedule's IANA
 * time zone (UTC when none). Around daylight-saving changes:
 * - a fixed time that does not exist (02:30 on a spring-forward night) fires at the shifted
 *   wall time (03:30), once;
 * - a fixed time that exists twice (02:30 on a fall-back night) fires once;
 * - an expression whose hour field repeats (`*` or a step, e.g. every 15 minutes or hourly)
 *   keeps firing by elapsed time through the repeated hour, so none of its firings are lost.
 */

const zoneCache = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let f = zoneCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneCache.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(name: string): boolean {
  try {
    zoneFormat(name);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC, in minutes, at an instant (e.g. +120 for Berlin in summer). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts = Object.fromEntries(
    zoneFormat(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const wholeSeconds = Math.floor(at.getTime() / 1000) * 1000;
  return Math.round((asUtc - wholeSeconds) / 60_000);
}

/** Parses a cron expression; throws an Error saying what is wrong. */
export function parseCron(expr: string, timeZone = 'UTC'): Cron {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new Error(`expected 5 fields (minute hour day month weekday) or 6 with seconds first, got ${fields.length}`);
  }
  return new Cron(expr.trim(), { timezone: timeZone, paused: true, legacyMode: true });
}

function hourFieldRepeats(expr: string): boolean {
  const fields = expr.trim().split(/\s+/);
  const hour = fields.length === 6 ? fields[2] : fields[1];
  return hour === '*' || hour.includes('/');
}

/** The first firing of a cron expression strictly after `after`, in its time zone. */
export function nextCronFiring(expr: string, timeZone: string, after: Date): Date | null {
  const byWallClock = parseCron(expr, timeZone).nextRun(after);
  if (!hourFieldRepeats(expr)) return byWallClock;
  // croner walks wall-clock time, which skips the repeated hour of a fall-back night. Read the
  // expression at each fixed offset the zone has in the span too, and keep the earliest instant
  // that really carries that offset.
  const offsets = new Set([zoneOffsetMinutes(timeZone, after)]);
  if (byWallClock) offsets.add(zoneOffsetMinutes(timeZone, byWallClock));
  let best = byWallClock;
  for (const offset of offsets) {
    const candidate = new Cron(expr.trim(), { utcOffset: offset, paused: true, legacyMode: true }).nextRun(after);
    if (!candidate || zoneOffsetMinutes(timeZone, candidate) !== offset) continue;
    if (!best || candidate.getTime() < best.getTime()) best = candidate;
  }
  return best;
}

export type PlanReason = 'activate' | 'fired';

export interface PlanInput {
  schedule: TaskSchedule;
  reason: PlanReason;
  now: Date;
  /** The firing just claimed (reason `fired`). */
  due?: Date;
  /** The last firing ever claimed for the task. */
  lastFiredAt?: Date | null;
}

const at = (s: string | undefined): Date | null => (s ? new Date(s) : null);

/**
 * The next firing to store for a task, or null when it has none left.
 * A service down across several firings fires once on return: the due firing is claimed once
 * and the next one is computed from the present, never once per missed firing.
 */
export function planNextFiring({ schedule, reason, now, due, lastFiredAt }: PlanInput): Date | null {
  const start = at(schedule.start_time);
  const end = at(schedule.end_time);
  const next = rawNext();
  if (!next) return null;
  if (end && next.getTime() > end.getTime()) return null;
  return next;

  function rawNext(): Date | null {
    switch (schedule.type) {
      case ScheduleType.Immediate:
        // Runs once each time the task is started.
        return reason === 'activate' ? now : null;
      case ScheduleType.Once:
        if (reason === 'fired' || !start) return null;
        // Already fired at (or after) its time: nothing left.
        if (lastFiredAt && lastFiredAt.getTime() >= start.getTime()) return null;
        return start.getTime() > now.getTime() ? start : now;
      case ScheduleType.Cron: {
        const from = start && start.getTime() > now.getTime() ? new Date(start.getTime() - 1) : now;
        return nextCronFiring(schedule.cron_expr ?? '', schedule.timezone ?? 'UTC', from);
      }
      case ScheduleType.Interval: {
        const step = (schedule.interval ?? 0) * 1000;
        if (step <= 0) return null;
        if (reason === 'activate') {
          if (start && start.getTime() > now.getTime()) return start;
          return new Date(now.getTime() + step);
        }
        // Keep the phase of the series; skip every firing already in the past.
        const base = (due ?? now).getTime();
        const behind = Math.max(0, now.getTime() - base);
        const steps = Math.floor(behind / step) + 1;
        return new Date(base + steps * step);
      }
    }
  }
}
