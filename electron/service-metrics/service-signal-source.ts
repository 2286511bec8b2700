import type { ServiceSignalName, SignalPoint } from '../../shared/service-signals.js';

/**
 * Per-minute series of each service's signals, as stored on this node: what charts, anomaly baselines and alert
 * rules read. Minutes are whole (`at` a multiple of 60,000); `from` inclusive, `to` exclusive, oldest first.
 */
export interface ServiceSignalSource {
  /** Services with any stored minute. */
  services(): string[];
  minutes(serviceId: string, signal: ServiceSignalName, fromMs: number, toMs: number): SignalPoint[];
}
