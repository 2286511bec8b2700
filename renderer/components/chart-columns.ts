/** One sample of a time series. */
export interface ChartPoint {
  at: number;
  value: number;
}

/** One pixel column of the line: the mean of its points, and the times of its first and last point. */
export interface ChartColumn {
  x: number;
  value: number;
  firstAt: number;
  lastAt: number;
}

/** Averages the points falling into each pixel column, so an hour of half-second samples stays a light path. */
export function perPixel(points: readonly ChartPoint[], x: (at: number) => number): ChartColumn[] {
  const columns: (ChartColumn & { count: number })[] = [];
  for (const point of points) {
    const column = Math.round(x(point.at));
    const last = columns.at(-1);
    if (last && last.x === column) {
      last.value += point.value;
      last.count += 1;
      last.lastAt = point.at;
    } else {
      columns.push({ x: column, value: point.value, firstAt: point.at, lastAt: point.at, count: 1 });
    }
  }
  return columns.map(({ count, ...c }) => ({ ...c, value: c.value / count }));
}

/**
 * Splits the columns where the agent was not sampling: a gap is measured from the last point of one column to the
 * first point of the next, so columns wider than the sampling interval (a day on 1,000 pixels) still join.
 */
export function joinedRuns(columns: readonly ChartColumn[], maxGapMs: number): ChartColumn[][] {
  const runs: ChartColumn[][] = [];
  for (const [index, column] of columns.entries()) {
    const previous = columns[index - 1];
    if (!previous || column.firstAt - previous.lastAt > maxGapMs) runs.push([column]);
    else runs.at(-1)!.push(column);
  }
  return runs;
}
