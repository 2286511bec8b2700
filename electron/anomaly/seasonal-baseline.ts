import { z } from 'zod';
import { dayBucketLabel, hourOfWeek, HOURS_PER_DAY, HOURS_PER_WEEK, weekBucketLabel } from './time-of-week.js';

/**
 * The baseline of one service signal, learnt one minute at a time (additive Holt-Winters with hourly seasons):
 *
 * - a daily level: an EWMA of the value over about a day, which the hours are measured against;
 * - an offset per hour of the day: how far that hour runs from the daily level, and per hour of the week: how far
 *   it runs from its hour of day (an EWMA per bucket, a plain mean while it is young);
 * - a level: an EWMA of the value with its hour's offset taken out (time constant an hour), which follows drift.
 *   The expected value is level + the hour-of-day offset (zero for an hour never seen) + the hour-of-week one once
 *   that bucket has two weeks of minutes. Offsets are learnt against the slow daily level, not the
 *   fast one, so the fast level cannot chase the daily cycle and leave the offsets to learn only its lag;
 * - a spread: an EWMA of the absolute residuals (the mean absolute deviation). σ is taken as 1.2533 × spread, which
 *   for normal noise is what the MAD estimates (as 1.4826 × MAD). What MAD buys is robustness to outliers; here
 *   every update once warm is clipped at ±4σ, so one spike moves the level by at most 4σ/60 and never blows up the
 *   spread, while memory stays constant (no window of residuals to keep or persist).
 */
export const BaselineState = z.object({
  /** Minutes learnt. */
  points: z.number().int().nonnegative(),
  level: z.number(),
  dailyLevel: z.number(),
  spread: z.number().nonnegative(),
  /** Start of the last minute learnt. */
  lastAt: z.number(),
  weekOffsets: z.array(z.number()).length(HOURS_PER_WEEK),
  weekPoints: z.array(z.number().int().nonnegative()).length(HOURS_PER_WEEK),
  dayOffsets: z.array(z.number()).length(HOURS_PER_DAY),
  dayPoints: z.array(z.number().int().nonnegative()).length(HOURS_PER_DAY),
});
export type BaselineState = z.infer<typeof BaselineState>;

/** No verdict before two hours of minutes: the level and spread are still guesses. */
export const WARM_UP_POINTS = 120;
/** An hour-of-week bucket serves once it has seen its hour in two weeks; an hour of day is named once seen for an hour. */
const WEEK_READY_POINTS = 120;
const DAY_NAMED_POINTS = 60;
/** An hour of the week starts learning once its hour of day has two days behind it. */
const DAY_SETTLED_POINTS = 120;
const LEVEL_ALPHA = 1 / 60;
const DAILY_LEVEL_ALPHA = 1 / 1_440;
const SPREAD_BETA = 1 / 120;
/** An hour-of-day offset remembers about three days of its hour; an hour of the week about two weeks. */
const DAY_OFFSET_GAMMA = 1 / 180;
const WEEK_OFFSET_GAMMA = 1 / 120;
const CLIP_SIGMAS = 4;
const SIGMA_PER_MEAN_ABSOLUTE_DEVIATION = Math.sqrt(Math.PI / 2);
/** Noise under 1% of the level counts as 1%: a flat series must not make every wobble infinitely unusual. */
const MIN_RELATIVE_SIGMA = 0.01;
const MIN_SIGMA = 1e-6;

/** What the baseline expects at a minute, and which part of it said so. */
export interface Expectation {
  expected: number;
  sigma: number;
  /** "Tuesdays 14:00", "14:00 on any day", "any hour". */
  basis: string;
  /** Enough minutes learnt for a verdict. */
  warm: boolean;
}

export const freshBaseline = (): BaselineState => ({
  points: 0,
  level: 0,
  dailyLevel: 0,
  spread: 0,
  lastAt: 0,
  weekOffsets: new Array<number>(HOURS_PER_WEEK).fill(0),
  weekPoints: new Array<number>(HOURS_PER_WEEK).fill(0),
  dayOffsets: new Array<number>(HOURS_PER_DAY).fill(0),
  dayPoints: new Array<number>(HOURS_PER_DAY).fill(0),
});

/** The expectation for the minute starting at `at`; null before the first minute learnt. */
export function expectAt(state: BaselineState, at: number): Expectation | null {
  if (state.points === 0) return null;
  const week = hourOfWeek(at);
  const day = week % HOURS_PER_DAY;
  const byWeek = state.weekPoints[week]! >= WEEK_READY_POINTS;
  const expected = state.level + state.dayOffsets[day]! + (byWeek ? state.weekOffsets[week]! : 0);
  const basis = byWeek
    ? weekBucketLabel(week)
    : state.dayPoints[day]! >= DAY_NAMED_POINTS
      ? dayBucketLabel(day)
      : 'any hour';
  const sigma = Math.max(
    state.spread * SIGMA_PER_MEAN_ABSOLUTE_DEVIATION,
    Math.abs(expected) * MIN_RELATIVE_SIGMA,
    MIN_SIGMA,
  );
  return { expected, sigma, basis, warm: state.points >= WARM_UP_POINTS };
}

/** Learns the minute starting at `at` (later than any learnt before) into `state`, in place. */
export function learn(state: BaselineState, at: number, value: number): void {
  const before = expectAt(state, at);
  state.lastAt = at;
  if (!before) {
    state.level = value;
    state.dailyLevel = value;
    state.points = 1;
    bump(state, at, value);
    return;
  }
  const limit = before.warm ? CLIP_SIGMAS * before.sigma : Infinity;
  const clip = (x: number) => Math.max(-limit, Math.min(limit, x));
  const residual = clip(value - before.expected);
  // While young, plain means; then the fixed rates.
  const n = state.points + 1;
  state.level += Math.max(1 / n, LEVEL_ALPHA) * residual;
  state.spread += Math.max(1 / n, SPREAD_BETA) * (Math.abs(residual) - state.spread);
  state.dailyLevel +=
    Math.max(1 / n, DAILY_LEVEL_ALPHA) * (value - state.dayOffsets[hourOfWeek(at) % HOURS_PER_DAY]! - state.dailyLevel);
  state.points = n;
  bump(state, at, value, clip);
}

/**
 * Moves this minute's offsets: its hour of day towards how far the value sits from the daily level, its hour of week
 * towards how far it then sits from its hour of day. Kept as that difference, an hour of the week that runs like
 * every other day has nothing to learn, and switching to it when it is ready changes nothing.
 */
function bump(state: BaselineState, at: number, value: number, clip: (x: number) => number = (x) => x): void {
  const week = hourOfWeek(at);
  const day = week % HOURS_PER_DAY;
  const fromDaily = value - state.dailyLevel;
  const dayPoints = ++state.dayPoints[day]!;
  state.dayOffsets[day]! += Math.max(1 / dayPoints, DAY_OFFSET_GAMMA) * clip(fromDaily - state.dayOffsets[day]!);
  // Differences from an hour of day that is itself still a guess would linger in the hour of week for weeks.
  if (dayPoints < DAY_SETTLED_POINTS) return;
  const weekPoints = ++state.weekPoints[week]!;
  state.weekOffsets[week]! +=
    Math.max(1 / weekPoints, WEEK_OFFSET_GAMMA) * clip(fromDaily - state.dayOffsets[day]! - state.weekOffsets[week]!);
}
