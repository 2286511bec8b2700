import type { SeriesValues } from './scrape-reading.js';

/**
 * How much each counter series grew since the previous scrape. A value below the previous one means the process
 * restarted and counted from zero, so all of it is new; a series not seen before is new too (counters start at 0).
 */
export function increases(previous: SeriesValues, current: SeriesValues): SeriesValues {
  const grown: SeriesValues = new Map();
  for (const [key, value] of current) {
    const before = previous.get(key);
    grown.set(key, before === undefined || value < before ? value : value - before);
  }
  return grown;
}

export const total = (values: SeriesValues): number => {
  let sum = 0;
  for (const value of values.values()) sum += value;
  return sum;
};
