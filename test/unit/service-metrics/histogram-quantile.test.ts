import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../../electron/service-metrics/histogram-quantile.js';

const buckets = (pairs: Array<[number, number]>) => pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile', () => {
  it('interpolates linearly within the bucket holding the rank, as PromQL', () => {
    // 100 observations: 50 ≤ 0.1 s, 40 more ≤ 0.5 s, 10 more ≤ 1 s. Rank 95 is halfway into the (0.5, 1] bucket.
    const histogram = buckets([
      [0.1, 50],
      [0.5, 90],
      [1, 100],
      [Infinity, 100],
    ]);
    expect(histogramQuantile(0.95, histogram)).toBeCloseTo(0.75);
    expect(histogramQuantile(0.5, histogram)).toBeCloseTo(0.1);
    // The first bucket is interpolated from 0.
    expect(histogramQuantile(0.25, histogram)).toBeCloseTo(0.05);
  });

  it('answers the highest finite bound when the rank falls in +Inf, and nothing without observations or +Inf', () => {
    expect(
      histogramQuantile(
        0.95,
        buckets([
          [0.1, 10],
          [0.25, 20],
          [Infinity, 100],
        ]),
      ),
    ).toBe(0.25);
    expect(
      histogramQuantile(
        0.95,
        buckets([
          [0.1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toBeNull();
    expect(
      histogramQuantile(
        0.95,
        buckets([
          [0.1, 5],
          [1, 10],
        ]),
      ),
    ).toBeNull();
  });

  it('reads buckets in any order and raises counts that fall with the bound', () => {
    const shuffled = buckets([
      [Infinity, 100],
      [0.5, 80],
      [0.1, 90],
      [1, 100],
    ]);
    // Seen as 0.1: 90, 0.5: 90, 1: 100; rank 95 is halfway into (0.5, 1].
    expect(histogramQuantile(0.95, shuffled)).toBeCloseTo(0.75);
  });
});
