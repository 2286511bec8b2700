import { describe, expect, it } from 'vitest';
import { ClockSkewEstimator } from '../../../electron/cluster/clock-skew.js';
import { ManualClock } from '../../support/manual-clock.js';
import { offsetWallClock } from '../../support/offset-wall-clock.js';

describe('ClockSkewEstimator', () => {
  /** A member whose clock is `skewMs` ahead of ours writes a record every 2 s, each delivered `latencyMs` later. */
  const deliver = async (
    estimator: ClockSkewEstimator,
    ours: ManualClock,
    skewMs: number,
    latenciesMs: number[],
    id = 'b',
  ) => {
    const theirs = offsetWallClock(ours, () => skewMs);
    for (const latencyMs of latenciesMs) {
      const publishedAt = theirs.now();
      await ours.advance(latencyMs);
      estimator.observe(id, publishedAt, ours.now());
      await ours.advance(2000 - latencyMs);
    }
  };

  it('gives no estimate from fewer than three records', async () => {
    const clock = new ManualClock();
    const estimator = new ClockSkewEstimator();
    await deliver(estimator, clock, 30_000, [5, 5]);
    expect(estimator.skewMs('b')).toBeUndefined();
    await deliver(estimator, clock, 30_000, [5]);
    expect(estimator.skewMs('b')).toBe(29_995);
  });

  it('takes the median, so a record read late (after an outage) does not move the estimate', async () => {
    const clock = new ManualClock();
    const estimator = new ClockSkewEstimator();
    await deliver(estimator, clock, -4000, [12, 9_000, 8, 10, 15_000]);
    expect(estimator.skewMs('b')).toBe(-4012);
  });

  it('follows a clock that was corrected, once most of the latest records carry the correction', async () => {
    const clock = new ManualClock();
    const estimator = new ClockSkewEstimator();
    await deliver(estimator, clock, 30_000, [5, 5, 5, 5, 5, 5, 5]);
    expect(estimator.skewMs('b')).toBe(29_995);
    await deliver(estimator, clock, 0, [5, 5, 5, 5]);
    expect(estimator.skewMs('b')).toBe(-5);
  });

  it('counts a record once, however often the member list is delivered', () => {
    const estimator = new ClockSkewEstimator();
    for (const receivedAt of [1000, 2000, 3000]) estimator.observe('b', 500, receivedAt);
    expect(estimator.skewMs('b')).toBeUndefined();
  });

  it('forgets members that are no longer listed', async () => {
    const clock = new ManualClock();
    const estimator = new ClockSkewEstimator();
    await deliver(estimator, clock, 3000, [1, 1, 1], 'b');
    await deliver(estimator, clock, -3000, [1, 1, 1], 'c');
    estimator.retain(new Set(['c']));
    expect(estimator.skewMs('b')).toBeUndefined();
    expect(estimator.skewMs('c')).toBe(-3001);
  });
});
