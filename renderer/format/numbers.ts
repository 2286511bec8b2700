/** A share of time (0..1) as a percentage; 100 % only when nothing failed, so 99.996 % does not round up to it. */
export function formatShare(share: number | null): string {
  if (share === null) return 'No data';
  if (share >= 1) return '100 %';
  const percent = share * 100;
  return `${(Math.floor(percent * 100) / 100).toFixed(percent >= 99 ? 2 : 1)} %`;
}

/** Latencies and other short durations: "0.4 ms", "840 ms", "1.2 s", "12 s". */
export function formatMs(ms: number): string {
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

/** Plain integers with thousands separators, for field defaults: "10,000". */
export const formatInteger = (value: number) => value.toLocaleString('en-US');

// One formatter for the whole UI: `toLocaleString` builds a new one on every call, which is slow in a hot render.
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Counts with thousands separators: "2,000". */
export const formatCount = (value: number) => countFormat.format(value);
