import type { Clock } from '../../electron/core/clock.js';

/**
 * `clock` with its wall clock moved by `offsetMs()` (read on every call), as after an NTP step or on a host whose
 * clock is wrong; its monotonic reading and timers are unchanged.
 */
export function offsetWallClock(clock: Clock, offsetMs: () => number): Clock {
  return {
    now: () => clock.now() + offsetMs(),
    monotonic: () => clock.monotonic(),
    setTimer: (fn, ms) => clock.setTimer(fn, ms),
  };
}
