import type { ServiceSignalSource } from '../../electron/service-metrics/service-signal-source.js';
import type { ServiceSignalName, SignalPoint } from '../../shared/service-signals.js';

export const MINUTE_MS = 60_000;

/**
 * Standard normal noise that is a pure function of (seed, minute): reading a minute again gives the same value, as
 * reading a stored minute again does.
 */
export function noise(seed: number, at: number): number {
  const uniform = (salt: number) => {
    let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(Math.floor(at / MINUTE_MS) + salt, 0xc2b2ae35)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
    return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
  };
  const u = Math.max(uniform(1), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform(2));
}

/** A per-minute series of one service signal, as a function of the minute's start; stored from `from` on. */
export interface SyntheticSeries {
  serviceId: string;
  signal: ServiceSignalName;
  from: number;
  value(at: number): number | null;
}

/** A `ServiceSignalSource` over synthetic series: every whole minute of a series from its start, none before. */
export class SyntheticSignalSource implements ServiceSignalSource {
  private readonly series = new Map<string, SyntheticSeries>();

  add(series: SyntheticSeries): this {
    this.series.set(`${series.serviceId}\u0000${series.signal}`, series);
    return this;
  }

  services(): string[] {
    return [...new Set([...this.series.values()].map((s) => s.serviceId))];
  }

  minutes(serviceId: string, signal: ServiceSignalName, fromMs: number, toMs: number): SignalPoint[] {
    const series = this.series.get(`${serviceId}\u0000${signal}`);
    if (!series) return [];
    const points: SignalPoint[] = [];
    const first = Math.ceil(Math.max(fromMs, series.from) / MINUTE_MS) * MINUTE_MS;
    for (let at = first; at < toMs; at += MINUTE_MS) points.push({ at, value: series.value(at) });
    return points;
  }
}
