import { describe, expect, it } from 'vitest';
import { createSilenceWatch } from '../../../../renderer/stores/silence-watch.js';

describe('the silence watch', () => {
  it('says nothing until it knows the interval, then after three of them and at least the minimum', () => {
    const watch = createSilenceWatch({ minSilenceMs: 10_000 });
    watch.heard(0);
    expect(watch.silentAt(60_000)).toBe(false);
    watch.heard(2_000);
    expect(watch.silentAt(12_000)).toBe(false);
    expect(watch.silentAt(12_001)).toBe(true);
  });

  it('waits three of a slow agent’s intervals, learnt from its recent gaps', () => {
    const watch = createSilenceWatch({ minSilenceMs: 10_000 });
    for (let at = 0; at <= 600_000; at += 60_000) watch.heard(at);
    expect(watch.silentAt(600_000 + 180_000)).toBe(false);
    expect(watch.silentAt(600_000 + 180_001)).toBe(true);
  });

  it('forgets the interval for a new stream', () => {
    const watch = createSilenceWatch();
    watch.heard(0);
    watch.heard(2_000);
    watch.reset();
    expect(watch.silentAt(100_000)).toBe(false);
  });
});
