import { describe, expect, it } from 'vitest';
import { joinedRuns, perPixel, type ChartPoint } from '../../../../renderer/components/chart-columns.js';

const t0 = Date.UTC(2026, 11, 3, 12);
/** A chart `widthPx` wide over `spanMs`. */
const xOf = (widthPx: number, spanMs: number) => (at: number) => ((at - t0) / spanMs) * widthPx;
const samples = (everyMs: number, count: number, value = 1): ChartPoint[] =>
  Array.from({ length: count }, (_, i) => ({ at: t0 + i * everyMs, value }));

describe('the line chart', () => {
  it('joins samples every 2 s across a day on 1,376 pixels (about 63 s a pixel column) into one line', () => {
    const day = 86_400_000;
    const columns = perPixel(samples(2000, day / 2000), xOf(1376, day));
    expect(columns.length).toBeGreaterThan(1300);
    expect(joinedRuns(columns, 6000)).toHaveLength(1);
  });

  it('joins two samples 20 s apart when the gap allowed is 30 s, and splits them when it is 10 s', () => {
    const columns = perPixel(
      [
        { at: t0, value: 10 },
        { at: t0 + 20_000, value: 30 },
      ],
      xOf(1000, 3_600_000),
    );
    expect(columns.map((c) => c.x)).toEqual([0, 6]);
    expect(joinedRuns(columns, 30_000)).toHaveLength(1);
    expect(joinedRuns(columns, 10_000)).toHaveLength(2);
  });

  it('averages the points of one pixel column and breaks the line where sampling stopped', () => {
    const points = [...samples(1000, 5, 2), ...samples(1000, 5, 4).map((p) => ({ ...p, at: p.at + 600_000 }))];
    const columns = perPixel(points, xOf(100, 3_600_000));
    expect(columns.map((c) => [c.x, c.value])).toEqual([
      [0, 2],
      [17, 4],
    ]);
    expect(joinedRuns(columns, 3000)).toHaveLength(2);
  });
});
