/** When a demo service is down: a first outage soon after the start (so a new user sees one), then at a fixed period. */
export interface OutageSchedule {
  firstAfterMs: number;
  lastsMs: number;
  everyMs: number;
}

/** Down 20 s after the start for 30 s, then again every 5 minutes: an incident that fires an alert and resolves. */
export const paymentsOutages: OutageSchedule = { firstAfterMs: 20_000, lastsMs: 30_000, everyMs: 300_000 };

/** Whether a service on `schedule` is down `elapsedMs` after its start. */
export function inOutage(schedule: OutageSchedule, elapsedMs: number): boolean {
  if (elapsedMs < schedule.firstAfterMs) return false;
  return (elapsedMs - schedule.firstAfterMs) % schedule.everyMs < schedule.lastsMs;
}
