import { z } from 'zod';
import { EpochMs } from './ids.js';

/**
 * What a service is watched by, one number per minute: requests per minute, the share of them that failed (percent)
 * and the 95th-percentile latency (ms). From the service's own Prometheus endpoint when it names one, otherwise from
 * its checks (runs, failed runs, run latency).
 */
export const ServiceSignalName = z.enum(['throughput', 'errorRate', 'latencyP95']);
export type ServiceSignalName = z.infer<typeof ServiceSignalName>;

/** Where a minute's figures came from. */
export const ServiceSignalOrigin = z.enum(['metrics', 'checks']);
export type ServiceSignalOrigin = z.infer<typeof ServiceSignalOrigin>;

/** One minute of one signal: `at` is the minute's start; null when the minute had no data (e.g. no requests). */
export const SignalPoint = z.object({ at: EpochMs, value: z.number().nullable() });
export type SignalPoint = z.infer<typeof SignalPoint>;
