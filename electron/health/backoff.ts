/**
 * Exponential backoff with AWS "full jitter": a uniformly random wait in [0, min(maxMs, baseMs × 2^attempt)).
 * Full jitter spreads retries of many clients that failed together (a restarted dependency) instead of
 * synchronising them, at the cost of an occasional very short wait.
 *
 * `attempt` counts from 0 (the wait before the first retry); `random` returns a value in [0, 1) and is injected
 * so that tests get exact delays. A `random` outside [0, 1) is clamped rather than trusted.
 */
export function fullJitterBackoff(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return unit * Math.max(0, ceiling);
}
