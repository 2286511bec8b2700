import { formatHourMinute } from '../format/time.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The spans every time chart offers, shortest first. */
export const timeRanges = [
  { ms: 15 * MINUTE_MS, short: '15 m', long: 'last 15 minutes' },
  { ms: HOUR_MS, short: '1 h', long: 'last hour' },
  { ms: 6 * HOUR_MS, short: '6 h', long: 'last 6 hours' },
  { ms: DAY_MS, short: '24 h', long: 'last 24 hours' },
  { ms: 7 * DAY_MS, short: '7 d', long: 'last 7 days' },
] as const;

export type TimeRange = (typeof timeRanges)[number];

export const defaultTimeRangeMs = HOUR_MS;

/** "last 6 hours" for a range of the list; a span in hours otherwise. */
export function describeRange(rangeMs: number): string {
  return timeRanges.find((range) => range.ms === rangeMs)?.long ?? `last ${Number((rangeMs / HOUR_MS).toFixed(1))} h`;
}

/** A time axis tick: the time of day within a day's span, the weekday and time over longer spans. */
export function formatTick(epochMs: number, spanMs: number): string {
  if (spanMs <= DAY_MS) return formatHourMinute(epochMs);
  return new Date(epochMs).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}
