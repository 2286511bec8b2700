import type { BaselinePoint } from '../../shared/anomaly.js';
import { ServiceSignalName } from '../../shared/service-signals.js';
import type { ServiceSignalSource } from '../service-metrics/service-signal-source.js';
import type { SignalObservation } from './anomaly-verdict.js';
import type { StoredBaseline } from './baseline-repository.js';
import { expectAt, freshBaseline, learn, type BaselineState } from './seasonal-baseline.js';

const MINUTE_MS = 60_000;
/** A series first seen is learnt from this much stored history (as far as the store keeps it). */
const DEFAULT_HISTORY_MS = 21 * 24 * 60 * MINUTE_MS;
/** Catching up is spread over ticks: at most a day of minutes per series per tick. */
const DEFAULT_MAX_MINUTES_PER_TICK = 1_440;
/** An observation older than this (a service that stopped reporting) gives no verdict. */
const CURRENT_FOR_MS = 3 * MINUTE_MS;

export interface AnomalyDetectorOptions {
  source: ServiceSignalSource;
  /** Where baselines survive a restart; none: they live in memory only (tests, benches). */
  baselines?: { load(): StoredBaseline[]; save(rows: readonly StoredBaseline[], now: number): void };
  historyMs?: number;
  maxMinutesPerTick?: number;
}

interface Series {
  serviceId: string;
  signal: ServiceSignalName;
  state: BaselineState;
  /** The first minute not read yet (minutes without data are read once, not again every tick). */
  readFrom: number;
  latest: SignalObservation | null;
  dirty: boolean;
}

const keyOf = (serviceId: string, signal: ServiceSignalName) => `${signal}\u0000${serviceId}`;

/**
 * Learns a baseline for every service signal the source stores, one complete minute at a time, and keeps the latest
 * minute of each judged against what its baseline expected before learning it. Baselines are loaded at start and
 * saved in batches; after a restart the minutes stored since the last save are learnt again, so the baseline (and
 * every verdict after) is what it would have been without the restart.
 */
export class AnomalyDetector {
  private readonly series = new Map<string, Series>();

  constructor(private readonly options: AnomalyDetectorOptions) {
    for (const stored of options.baselines?.load() ?? []) {
      const readFrom = stored.state.points > 0 ? stored.state.lastAt + MINUTE_MS : 0;
      this.series.set(keyOf(stored.serviceId, stored.signal), { ...stored, readFrom, latest: null, dirty: false });
    }
  }

  /** Learns every minute completed by `now` that is not learnt yet. */
  tick(now: number): void {
    const { source } = this.options;
    const historyMs = this.options.historyMs ?? DEFAULT_HISTORY_MS;
    const maxMs = (this.options.maxMinutesPerTick ?? DEFAULT_MAX_MINUTES_PER_TICK) * MINUTE_MS;
    const current = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    for (const serviceId of source.services()) {
      for (const signal of ServiceSignalName.options) {
        const series = this.seriesOf(serviceId, signal, current - historyMs);
        const from = Math.max(series.readFrom, current - historyMs);
        const to = Math.min(current, from + maxMs);
        if (from >= to) continue;
        for (const point of source.minutes(serviceId, signal, from, to)) {
          if (point.value === null || point.at < series.readFrom) continue;
          const expectation = expectAt(series.state, point.at);
          if (expectation) {
            series.latest = {
              serviceId,
              signal,
              at: point.at,
              value: point.value,
              learnt: series.state.points,
              ...expectation,
            };
          }
          learn(series.state, point.at, point.value);
          series.dirty = true;
        }
        series.readFrom = to;
      }
    }
  }

  /** The latest minute of each service's signal, if it is current at `now` and the baseline had seen any before it. */
  observations(signal: ServiceSignalName, now: number): SignalObservation[] {
    const observations: SignalObservation[] = [];
    for (const series of this.series.values()) {
      const latest = this.currentOf(series, now);
      if (series.signal === signal && latest) observations.push(latest);
    }
    return observations;
  }

  observation(serviceId: string, signal: ServiceSignalName, now: number): SignalObservation | null {
    const series = this.series.get(keyOf(serviceId, signal));
    return series ? this.currentOf(series, now) : null;
  }

  /**
   * The stored minutes of a series over [from, to) with the band the baseline, as learnt now, draws for each
   * minute's time of day and week (expected ± `deviations` σ); the band is null while the baseline warms up.
   */
  band(
    serviceId: string,
    signal: ServiceSignalName,
    fromMs: number,
    toMs: number,
    deviations: number,
  ): BaselinePoint[] {
    const state = this.series.get(keyOf(serviceId, signal))?.state;
    return this.options.source.minutes(serviceId, signal, fromMs, toMs).map(({ at, value }) => {
      const expectation = state ? expectAt(state, at) : null;
      if (!expectation?.warm) return { at, value, expected: null, lower: null, upper: null };
      const { expected, sigma } = expectation;
      return { at, value, expected, lower: expected - deviations * sigma, upper: expected + deviations * sigma };
    });
  }

  /** Writes every baseline learnt since the last save. */
  save(now: number): void {
    const dirty = [...this.series.values()].filter((series) => series.dirty);
    this.options.baselines?.save(
      dirty.map(({ serviceId, signal, state }) => ({ serviceId, signal, state })),
      now,
    );
    for (const series of dirty) series.dirty = false;
  }

  private seriesOf(serviceId: string, signal: ServiceSignalName, readFrom: number): Series {
    const key = keyOf(serviceId, signal);
    let series = this.series.get(key);
    if (!series) {
      series = { serviceId, signal, state: freshBaseline(), readFrom, latest: null, dirty: false };
      this.series.set(key, series);
    }
    return series;
  }

  private currentOf(series: Series, now: number): SignalObservation | null {
    const { latest } = series;
    return latest && latest.at >= now - CURRENT_FOR_MS ? latest : null;
  }
}
