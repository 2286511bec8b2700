/** Time as the agent sees it. Injected everywhere so retry, lease and sampling logic is testable without sleeping. */
export interface Clock {
  /** Wall-clock time (ms since the epoch): for timestamps shown or stored. It may step (NTP) either way. */
  now(): number;
  /** A monotonic reading (ms from an arbitrary origin) that never steps: for every duration and deadline. */
  monotonic(): number;
  /** Runs `fn` once after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer(fn, ms) {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

/** Runs `fn` every `ms` (the next run is timed from the end of the previous one); returns a cancel function. */
export function repeat(clock: Clock, ms: number, fn: () => void): () => void {
  let cancel = clock.setTimer(function tick() {
    fn();
    cancel = clock.setTimer(tick, ms);
  }, ms);
  return () => cancel();
}
