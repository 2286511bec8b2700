/** One cumulative bucket: observations at or below `le` (the last bound is +Infinity). */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * The `q` quantile of a histogram as PromQL's histogram_quantile computes it: the bucket holding the rank, then a
 * linear interpolation within it (from 0 for the first bucket); the highest finite bound when the rank falls in
 * +Inf. Null without observations or without a +Inf bucket. Counts that decrease with `le` are raised to keep them
 * cumulative, as Prometheus does.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted.length < 2 || sorted.at(-1)!.le !== Infinity) return null;
  let highest = 0;
  const cumulative = sorted.map(({ le, count }) => ({ le, count: (highest = Math.max(highest, count)) }));
  const observations = cumulative.at(-1)!.count;
  if (observations <= 0) return null;
  const rank = q * observations;
  const index = cumulative.findIndex((bucket) => bucket.count >= rank);
  if (index === cumulative.length - 1) return cumulative.at(-2)!.le;
  const bucket = cumulative[index]!;
  if (index === 0 && bucket.le <= 0) return bucket.le;
  const lower = index === 0 ? { le: 0, count: 0 } : cumulative[index - 1]!;
  const inBucket = bucket.count - lower.count;
  if (inBucket <= 0) return bucket.le;
  return lower.le + (bucket.le - lower.le) * ((rank - lower.count) / inBucket);
}
