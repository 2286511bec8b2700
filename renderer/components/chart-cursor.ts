import type { ChartPoint } from './chart-columns.js';

/** Index of the point nearest in time to `at` among time-ordered points; -1 when there are none. */
export function nearestIndex(points: readonly ChartPoint[], at: number): number {
  if (points.length === 0) return -1;
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (points[middle]!.at < at) low = middle + 1;
    else high = middle;
  }
  const before = points[low - 1];
  return before && at - before.at <= points[low]!.at - at ? low - 1 : low;
}

/** Where a key moves the crosshair among `count` points: arrows step, Page keys jump a tenth, Home/End the ends. */
export function stepIndex(key: string, index: number, count: number): number | null {
  const jump = Math.max(1, Math.round(count / 10));
  const moves: Record<string, number> = {
    ArrowLeft: index - 1,
    ArrowRight: index + 1,
    PageDown: index - jump,
    PageUp: index + jump,
    Home: 0,
    End: count - 1,
  };
  const next = moves[key];
  return next === undefined || count === 0 ? null : Math.min(count - 1, Math.max(0, next));
}
