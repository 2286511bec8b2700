import { z } from 'zod';
import { EpochMs } from './ids.js';
import { ServiceSignalName } from './service-signals.js';

/** Which way a change counts as an anomaly: a rise (latency, errors), a fall (throughput), or either. */
export const AnomalyDirection = z.enum(['up', 'down', 'both']);
export type AnomalyDirection = z.infer<typeof AnomalyDirection>;

/** Deviations from the baseline at which a minute is anomalous, unless a rule asks for another sensitivity. */
export const DEFAULT_DEVIATIONS = 4;

/**
 * The smallest change from the baseline that counts, per signal: below it a quiet service's noise (2 requests a
 * minute becoming 5, a p95 moving by a few ms) stays silent however many deviations it is.
 */
export const DEFAULT_MIN_CHANGE: Record<ServiceSignalName, number> = {
  latencyP95: 20,
  throughput: 10,
  errorRate: 1,
};

/** How a signal is named and measured in sentences and charts. */
export const serviceSignalLabels: Record<ServiceSignalName, { name: string; unit: string }> = {
  latencyP95: { name: 'p95 latency', unit: 'ms' },
  throughput: { name: 'throughput', unit: 'req/min' },
  errorRate: { name: 'error rate', unit: '%' },
};

/** "840 ms", "12.5 req/min", "3.2%": whole numbers from 10 up, one decimal below. */
export function signalValueText(signal: ServiceSignalName, value: number): string {
  const shown = Math.abs(value) >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
  const { unit } = serviceSignalLabels[signal];
  return unit === '%' ? `${shown}%` : `${shown} ${unit}`;
}

/** One minute of a signal with its baseline band: what was expected and the band a verdict leaves quiet. */
export const BaselinePoint = z.object({
  at: EpochMs,
  value: z.number().nullable(),
  /** Null while the baseline is warming up. */
  expected: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});
export type BaselinePoint = z.infer<typeof BaselinePoint>;

/** The latest minute of one service's signal, judged against its baseline. */
export const AnomalyVerdict = z.object({
  serviceId: z.string(),
  signal: ServiceSignalName,
  at: EpochMs,
  value: z.number(),
  state: z.enum(['warmingUp', 'normal', 'anomalous']),
  expected: z.number().nullable(),
  /** Signed: above the baseline is positive. Null while warming up. */
  deviations: z.number().nullable(),
  /** "p95 latency 840 ms is 6.2 deviations above its baseline of 120 ms for Tuesdays 14:00". */
  sentence: z.string(),
});
export type AnomalyVerdict = z.infer<typeof AnomalyVerdict>;
