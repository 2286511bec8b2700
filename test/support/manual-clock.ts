import type { Clock } from '../../electron/core/clock.js';

/** A test double for time: timers fire only when the test advances the clock. */
export class ManualClock implements Clock {
  private time: number;
  /** What stepWall() moved the wall clock by; the monotonic reading ignores it. */
  private wallOffset = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time + this.wallOffset;
  }

  monotonic(): number {
    return this.time;
  }

  /** Steps the wall clock only (an NTP correction): timers and the monotonic reading carry on unmoved. */
  stepWall(ms: number): void {
    this.wallOffset += ms;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + ms, fn });
    return () => this.timers.delete(id);
  }

  /** Moves time forward, firing due timers in order; lets pending microtasks (watch events) run between timers. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!next) break;
      const [id, timer] = next;
      this.timers.delete(id);
      this.time = timer.at;
      timer.fn();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

/** Lets queued microtasks and promise continuations run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
