import type { ServiceSignalName, ServiceSignalOrigin, SignalPoint } from '../../shared/service-signals.js';
import type { ServiceMetrics } from '../../shared/services.js';
import { MINUTE_MS, minuteOf } from '../store/check-history-repository.js';
import type { CheckMinute, CheckSignalReader } from './check-signal-reader.js';
import { histogramQuantile } from './histogram-quantile.js';
import type { ServiceSignalSource } from './service-signal-source.js';
import type { SignalMinute, SignalMinutesRepository } from './signal-minutes-repository.js';

/** A minute the scrapes covered less than this much of has no figure: scaling up a few seconds would be noise. */
export const MIN_COVERED_MS = MINUTE_MS / 2;

export interface SignalCatalog {
  ids(): string[];
  /** The service's `metrics:`, or undefined without an endpoint (or for an unknown service). */
  metricsOf(serviceId: string): ServiceMetrics | undefined;
}

interface SignalSourceDeps {
  metrics: Pick<SignalMinutesRepository, 'minutes' | 'has'>;
  checks: Pick<CheckSignalReader, 'minutes' | 'has'>;
  catalog: SignalCatalog;
  now(): number;
}

const fromMetrics: Record<ServiceSignalName, (minute: SignalMinute) => number | null> = {
  throughput: ({ requests, coveredMs }) => (requests * MINUTE_MS) / coveredMs,
  errorRate: ({ requests, errors }) =>
    errors === null || requests <= 0 ? null : Math.min(100, (errors / requests) * 100),
  latencyP95: ({ buckets }) => buckets && histogramQuantile(0.95, buckets),
};

const fromChecks: Record<ServiceSignalName, (minute: CheckMinute) => number | null> = {
  throughput: ({ runs }) => runs,
  errorRate: ({ runs, failed }) => (failed / runs) * 100,
  latencyP95: ({ latencyP95 }) => latencyP95,
};

/**
 * The services' signals as stored on this node: from a service's own endpoint for what its `metrics:` names, from
 * its checks for the rest. Every whole minute of the range is returned, null where nothing was measured; the
 * minute in progress is left out until it is whole.
 */
export class StoredSignalSource implements ServiceSignalSource {
  constructor(private readonly deps: SignalSourceDeps) {}

  services(): string[] {
    return this.deps.catalog.ids().filter((id) => this.deps.metrics.has(id) || this.deps.checks.has(id));
  }

  /** Where a service's signal comes from under its current definition. */
  origin(serviceId: string, signal: ServiceSignalName): ServiceSignalOrigin {
    const metrics = this.deps.catalog.metricsOf(serviceId);
    if (!metrics) return 'checks';
    if (signal === 'errorRate' && metrics.errors === undefined) return 'checks';
    if (signal === 'latencyP95' && metrics.latency === undefined) return 'checks';
    return 'metrics';
  }

  minutes(serviceId: string, signal: ServiceSignalName, fromMs: number, toMs: number): SignalPoint[] {
    const first = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS;
    const end = Math.min(toMs, minuteOf(this.deps.now()));
    if (end <= first) return [];
    const values = new Map<number, number | null>();
    if (this.origin(serviceId, signal) === 'metrics') {
      for (const minute of this.deps.metrics.minutes(serviceId, first, end)) {
        if (minute.coveredMs >= MIN_COVERED_MS) values.set(minute.minute, fromMetrics[signal](minute));
      }
    } else {
      for (const minute of this.deps.checks.minutes(serviceId, first, end)) {
        if (minute.runs > 0) values.set(minute.minute, fromChecks[signal](minute));
      }
    }
    const points: SignalPoint[] = [];
    for (let at = first; at < end; at += MINUTE_MS) points.push({ at, value: values.get(at) ?? null });
    return points;
  }
}
