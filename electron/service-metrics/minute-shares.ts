import { MINUTE_MS, minuteOf } from '../store/check-history-repository.js';

/** How much of [fromMs, toMs) falls in each minute it touches: `share` of the whole, `coveredMs` of that minute. */
export function minuteShares(
  fromMs: number,
  toMs: number,
): Array<{ minute: number; share: number; coveredMs: number }> {
  const span = toMs - fromMs;
  if (!(span > 0)) return [];
  const shares = [];
  for (let minute = minuteOf(fromMs); minute < toMs; minute += MINUTE_MS) {
    const coveredMs = Math.min(toMs, minute + MINUTE_MS) - Math.max(fromMs, minute);
    shares.push({ minute, share: coveredMs / span, coveredMs });
  }
  return shares;
}
