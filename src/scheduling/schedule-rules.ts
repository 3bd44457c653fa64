import { iso } from '../common/timestamps';
import { ScheduleInput, ScheduleType, TaskSchedule } from './scheduling-types';
import { SchedulingException } from './scheduling.exception';
import { isTimeZone, nextCronFiring, parseCron } from './next-firing';

const FIELDS_BY_TYPE: Record<ScheduleType, ReadonlyArray<keyof ScheduleInput>> = {
  [ScheduleType.Immediate]: [],
  [ScheduleType.Once]: ['start_time', 'end_time'],
  [ScheduleType.Cron]: ['cron_expr', 'timezone', 'start_time', 'end_time'],
  [ScheduleType.Interval]: ['interval', 'start_time', 'end_time'],
};

const CRON_HELP =
  'five fields (minute hour day month weekday), or six with seconds first; e.g. "0 0 * * *" or "*/10 * * * * *"';

/** Checks a schedule and returns it as stored (time zone defaulted, instants as ISO UTC). */
export function normalizeSchedule(input: ScheduleInput, now: Date): TaskSchedule {
  const allowed = FIELDS_BY_TYPE[input.type];
  for (const key of ['cron_expr', 'timezone', 'interval', 'start_time', 'end_time'] as const) {
    if (input[key] !== undefined && !allowed.includes(key)) {
      throw SchedulingException.invalidSchedule(
        `schedule.${key} does not apply to a ${input.type} schedule`,
        `${input.type} takes ${allowed.length ? allowed.join(', ') : 'no other fields'}`,
      );
    }
  }
  const start = input.start_time ? new Date(input.start_time) : undefined;
  const end = input.end_time ? new Date(input.end_time) : undefined;
  const out: TaskSchedule = { type: input.type };
  switch (input.type) {
    case ScheduleType.Immediate:
      break;
    case ScheduleType.Once:
      if (!start) throw SchedulingException.invalidSchedule('schedule.start_time is required for a once schedule');
      if (start.getTime() <= now.getTime())
        throw SchedulingException.invalidSchedule(
          'schedule.start_time must be in the future',
          `it is ${iso(start)}; now is ${iso(now)}`,
        );
      break;
    case ScheduleType.Cron: {
      if (!input.cron_expr)
        throw SchedulingException.invalidSchedule('schedule.cron_expr is required for a cron schedule', CRON_HELP);
      const timezone = input.timezone ?? 'UTC';
      if (!isTimeZone(timezone))
        throw SchedulingException.invalidSchedule(
          `schedule.timezone "${timezone}" is not an IANA time zone`,
          'e.g. "UTC", "Asia/Shanghai", "Europe/Berlin"',
        );
      try {
        parseCron(input.cron_expr, timezone);
      } catch (err) {
        throw SchedulingException.invalidSchedule(
          `schedule.cron_expr "${input.cron_expr}" is not a valid cron expression: ${(err as Error).message}`,
          CRON_HELP,
        );
      }
      if (!nextCronFiring(input.cron_expr, timezone, start && start > now ? start : now)) {
        throw SchedulingException.invalidSchedule(`schedule.cron_expr "${input.cron_expr}" never fires`);
      }
      out.cron_expr = input.cron_expr.trim();
      out.timezone = timezone;
      break;
    }
    case ScheduleType.Interval:
      if (input.interval === undefined)
        throw SchedulingException.invalidSchedule(
          'schedule.interval (seconds, > 0) is required for an interval schedule',
        );
      out.interval = input.interval;
      break;
  }
  if (start) out.start_time = start.toISOString();
  if (end) {
    if (end.getTime() <= now.getTime())
      throw SchedulingException.invalidSchedule('schedule.end_time must be in the future');
    if (start && end.getTime() <= start.getTime())
      throw SchedulingException.invalidSchedule('schedule.end_time must be after schedule.start_time');
    out.end_time = end.toISOString();
  }
  return out;
}
