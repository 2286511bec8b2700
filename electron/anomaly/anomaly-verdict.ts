import {
  serviceSignalLabels,
  signalValueText,
  type AnomalyDirection,
  type AnomalyVerdict,
} from '../../shared/anomaly.js';
import type { ServiceSignalName } from '../../shared/service-signals.js';

/** The latest minute of one service signal and what its baseline expected then. */
export interface SignalObservation {
  serviceId: string;
  signal: ServiceSignalName;
  at: number;
  value: number;
  expected: number;
  sigma: number;
  /** "Tuesdays 14:00". */
  basis: string;
  /** Minutes learnt before this one. */
  learnt: number;
  warm: boolean;
}

/** What makes a minute anomalous: the baseline's sensitivity and smallest change, and optional static bounds. */
export interface AnomalyCriteria {
  deviations: number;
  minChange: number;
  direction: AnomalyDirection;
  /** Anomalous above this whatever the baseline says (Aegis' `anomaly: {latencyP95: {above: 500}}`). */
  above?: number;
  below?: number;
}

/**
 * A verdict and how bad it is: 0 unless anomalous, else its deviations from the baseline, and at least the
 * sensitivity when a static bound is crossed.
 */
export interface JudgedObservation {
  verdict: AnomalyVerdict;
  score: number;
}

/**
 * The verdict on one observation, explained in one sentence: "p95 latency 840 ms is 6.2 deviations above its
 * baseline of 120 ms for Tuesdays 14:00", "…, above its limit of 500 ms". While the baseline warms up only static
 * bounds can make a minute anomalous.
 */
export function judgeObservation(observation: SignalObservation, criteria: AnomalyCriteria): JudgedObservation {
  const { signal, value, expected } = observation;
  const text = (n: number) => signalValueText(signal, n);
  const named = `${serviceSignalLabels[signal].name} ${text(value)}`;
  const crossed =
    criteria.above !== undefined && value > criteria.above
      ? `above its limit of ${text(criteria.above)}`
      : criteria.below !== undefined && value < criteria.below
        ? `below its limit of ${text(criteria.below)}`
        : null;
  const base = { serviceId: observation.serviceId, signal, at: observation.at, value };
  if (!observation.warm) {
    const { learnt } = observation;
    const learning = `its baseline is still learning (${learnt} ${learnt === 1 ? 'minute' : 'minutes'})`;
    const unjudged = { ...base, expected: null, deviations: null };
    return crossed
      ? {
          verdict: { ...unjudged, state: 'anomalous', sentence: `${named} is ${crossed}; ${learning}` },
          score: criteria.deviations,
        }
      : { verdict: { ...unjudged, state: 'warmingUp', sentence: `${named}: ${learning}` }, score: 0 };
  }
  const deviations = Math.round(((value - expected) / observation.sigma) * 10) / 10;
  const wayOk = criteria.direction === 'both' || (criteria.direction === 'up' ? deviations > 0 : deviations < 0);
  const unusual =
    wayOk && Math.abs(deviations) >= criteria.deviations && Math.abs(value - expected) >= criteria.minChange;
  const side = deviations >= 0 ? 'above' : 'below';
  const fromBaseline = `${Math.abs(deviations).toFixed(1)} deviations ${side} its baseline of ${text(expected)} for ${observation.basis}`;
  const sentence = !crossed
    ? `${named} is ${fromBaseline}`
    : unusual
      ? `${named} is ${fromBaseline}, ${crossed}`
      : `${named} is ${crossed} (${fromBaseline})`;
  const anomalous = unusual || crossed !== null;
  const score = !anomalous ? 0 : Math.max(unusual ? Math.abs(deviations) : 0, crossed ? criteria.deviations : 0);
  return { verdict: { ...base, state: anomalous ? 'anomalous' : 'normal', expected, deviations, sentence }, score };
}
