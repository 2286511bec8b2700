import { niceCeiling } from '../../components/line-chart.js';
import { formatBytes } from '../../format/bytes.js';

/** Throughput in binary units per second, as the bytes elsewhere: "1.2 MiB/s", "640 B/s". */
export const formatBytesPerSecond = (bytesPerSecond: number) => `${formatBytes(Math.round(bytesPerSecond))}/s`;

/** A load average with two decimals, as `uptime` prints it: "0.74". */
export const formatLoad = (load: number) => load.toFixed(2);

/**
 * A chart top for byte rates that is round in binary units (5 KiB/s, 2 MiB/s, not 4.9 KiB/s), so the axis
 * labels read well; at least 1 KiB/s, so an idle link does not draw a scale of single bytes.
 */
export function bytesPerSecondCeiling(values: readonly number[]): number {
  const top = Math.max(1024, ...values) * 1.1;
  let unit = 1024;
  while (top >= unit * 1024) unit *= 1024;
  return niceCeiling(top / unit) * unit;
}
