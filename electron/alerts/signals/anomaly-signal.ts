import { DEFAULT_MIN_CHANGE, serviceSignalLabels } from '../../../shared/anomaly.js';
import type { AnomalySignal } from '../../../shared/alert-signals.js';
import { judgeObservation, type SignalObservation } from '../../anomaly/anomaly-verdict.js';
import { nounFor, type SignalReading } from './signal-reading.js';

/**
 * The worst service in scope: the deviations of the most anomalous one (0 when none is), explained in the detail
 * ("api: p95 latency 840 ms is 6.2 deviations above its baseline of 120 ms for Tuesdays 14:00"); when none is
 * anomalous the detail explains the one furthest from its baseline. Null while no service in scope has a current
 * minute judged (no data, or no anomaly detection on this node).
 */
export function readAnomaly(signal: AnomalySignal, observations: readonly SignalObservation[] | null): SignalReading {
  const name = serviceSignalLabels[signal.signal].name;
  const subject = `deviations of ${name} from its baseline`;
  if (!observations) return { value: null, subject: `${name}: no anomaly detection on this node` };
  const criteria = {
    deviations: signal.deviations,
    minChange: signal.minChange ?? DEFAULT_MIN_CHANGE[signal.signal],
    direction: signal.direction,
    above: signal.above,
    below: signal.below,
  };
  const judged = observations
    .filter((o) => signal.serviceIds.length === 0 || signal.serviceIds.includes(o.serviceId))
    .map((o) => judgeObservation(o, criteria))
    .sort((a, b) => b.score - a.score || Math.abs(b.verdict.deviations ?? 0) - Math.abs(a.verdict.deviations ?? 0));
  const worst = judged[0];
  if (!worst) return { value: null, subject: `${name}: no current minute of any service in scope` };
  const anomalous = judged.filter((j) => j.score > 0).length;
  const more = anomalous > 1 ? `; and ${anomalous - 1} more ${nounFor(anomalous - 1, 'service', 'services')}` : '';
  return { value: worst.score, subject, detail: `${worst.verdict.serviceId}: ${worst.verdict.sentence}${more}` };
}
