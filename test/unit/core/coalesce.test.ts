import { describe, expect, it } from 'vitest';
import { coalesce } from '../../../electron/core/coalesce.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('coalesce', () => {
  it('runs the first call at once and folds a burst into one trailing run', async () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    const { trigger } = coalesce(clock, 250, () => runs.push(clock.now() - start));
    const start = clock.now();
    trigger();
    expect(runs).toEqual([0]);
    for (let i = 0; i < 10; i += 1) {
      await clock.advance(20);
      trigger();
    }
    expect(runs).toEqual([0]);
    await clock.advance(100);
    expect(runs).toEqual([0, 250]);
    await clock.advance(1000);
    trigger();
    expect(runs).toEqual([0, 250, 1300]);
  });

  it('drops a pending run when cancelled', async () => {
    const clock = new ManualClock();
    let count = 0;
    const { trigger, cancel } = coalesce(clock, 100, () => (count += 1));
    trigger();
    trigger();
    cancel();
    await clock.advance(500);
    expect(count).toBe(1);
  });
});
