import { Cron } from 'croner';
import type { MaintenanceWindow, WindowSchedule } from '../../../shared/alert-lifecycle.js';
import { CodedError } from '../../core/coded-error.js';
import { errorMessage } from '../../core/errors.js';

type Recurring = Extract<WindowSchedule, { kind: 'recurring' }>;

/** Parsed cron expressions, by the schedule value they came from (fleet values are kept, so each parses once). */
const parsed = new WeakMap<Recurring, Cron>();

/** The expression parsed with croner; a bad one is refused naming `schedule.cron` (or `schedule.timezone`). */
export function compileRecurring(schedule: Recurring): Cron {
  let cron = parsed.get(schedule);
  if (cron) return cron;
  try {
    cron = new Cron(schedule.cron, { paused: true, timezone: schedule.timezone ?? 'UTC' });
    // croner checks the time zone only when it computes a run.
    cron.nextRun();
  } catch (error) {
    const field = /time ?zone/i.test(errorMessage(error)) ? 'schedule.timezone' : 'schedule.cron';
    throw new CodedError('invalid_request', `${field}: ${errorMessage(error)}`, [
      { path: field, message: errorMessage(error) },
    ]);
  }
  parsed.set(schedule, cron);
  return cron;
}

/** When the window opened if it is open at `now` (a recurring one: its latest tick, if it is not over yet); else null. */
export function windowOpenedAt({ schedule }: MaintenanceWindow, now: number): number | null {
  if (schedule.kind === 'once') return schedule.startsAt <= now && now < schedule.endsAt ? schedule.startsAt : null;
  const latest = compileRecurring(schedule)
    .previousRuns(1, new Date(now + 1))[0]
    ?.getTime();
  return latest !== undefined && now < latest + schedule.durationMinutes * 60_000 ? latest : null;
}
