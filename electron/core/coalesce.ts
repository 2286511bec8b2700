import type { Clock } from './clock.js';

/**
 * Runs `fn` at most once per `ms`: the first call runs at once, calls during the quiet period are folded
 * into one run at its end (so the last state is always delivered). Returns the trigger and a cancel.
 */
export function coalesce(clock: Clock, ms: number, fn: () => void): { trigger(): void; cancel(): void } {
  let lastRun = -Infinity;
  let pending: (() => void) | null = null;
  const run = () => {
    pending = null;
    lastRun = clock.monotonic();
    fn();
  };
  return {
    trigger() {
      if (pending) return;
      const wait = lastRun + ms - clock.monotonic();
      if (wait <= 0) run();
      else pending = clock.setTimer(run, wait);
    },
    cancel() {
      pending?.();
      pending = null;
    },
  };
}
