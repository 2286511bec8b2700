import type { UptimeFigures } from '../../../shared/services.js';
import { formatShare } from '../../format/numbers.js';

const SECOND_MS = 1000;
const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** A span in the largest unit that fits, rounded down so it never claims more: "40 s", "2 min", "24 h", "3 d". */
export function formatSpan(ms: number): string {
  const span = Math.max(0, ms);
  if (span < minuteMs) return `${Math.floor(span / 1000)} s`;
  if (span < hourMs) return `${Math.floor(span / minuteMs)} min`;
  if (span < 2 * dayMs) return `${Math.floor(span / hourMs)} h`;
  return `${Math.floor(span / dayMs)} d`;
}

/** How much of the `periodMs` before `now` has data, given the first result `since` (null: none). */
export function coveredMs(periodMs: number, since: number | null, now: number): number {
  if (since === null) return 0;
  return Math.min(periodMs, Math.max(0, now - since));
}

/** What a "last `periodMs`" figure stands on: the whole period, part of it ("the last 2 min"), or nothing. */
export function coverageOf(periodMs: number, since: number | null, now: number) {
  const covered = coveredMs(periodMs, since, now);
  return { covered, whole: covered >= periodMs, none: since === null };
}

/** The caption of a bar of the last `periodMs` of results: says so when the data starts later than the bar. */
export function resultsCaption(periodMs: number, since: number | null, now: number): string {
  const title = `Results, last ${formatSpan(periodMs)}`;
  const { covered, whole, none } = coverageOf(periodMs, since, now);
  if (none) return `${title}: no results`;
  if (whole) return title;
  return covered < SECOND_MS
    ? `${title}: the first result just came in`
    : `${title}: data for the last ${formatSpan(covered)} only`;
}

const periods = [
  { key: 'day', ms: dayMs },
  { key: 'week', ms: 7 * dayMs },
  { key: 'month', ms: 30 * dayMs },
] as const;

/**
 * The uptime figures in words, each with the span it stands on: "99.95 % over the last 24 h", "98.1 % over the
 * last 3 d". A period the data does not fill is the last one listed, since longer ones hold the same results.
 */
export function uptimeLines(uptime: UptimeFigures, now: number): string[] {
  const lines: string[] = [];
  for (const { key, ms } of periods) {
    const share = uptime[key];
    const { covered, whole } = coverageOf(ms, uptime.since, now);
    if (share === null) {
      // Results older than this period still count for a longer one.
      if (whole) lines.push(`No results in the last ${formatSpan(ms)}`);
      continue;
    }
    // Within the first second there is one result, and "over the last 0 s" says nothing.
    lines.push(
      `${formatShare(share)} ${covered < SECOND_MS ? 'from the first result' : `over the last ${formatSpan(covered)}`}`,
    );
    if (!whole) break;
  }
  return lines.length > 0 ? lines : [`No results in the last ${formatSpan(periods[2].ms)}`];
}
