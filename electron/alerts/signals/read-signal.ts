import type { AlertSignal } from '../../../shared/alert-signals.js';
import type { ConditionInputs } from '../evaluate-condition.js';
import { readAnomaly } from './anomaly-signal.js';
import { readCheckLatency, readCheckStatus, readErrorRate } from './check-signals.js';
import { readResource } from './resource-signal.js';
import { nounFor, type SignalReading } from './signal-reading.js';

export type { SignalReading } from './signal-reading.js';

const windowStart = (now: number, windowSeconds: number) => now - windowSeconds * 1000;

/** The signal's value now, read from the node's own measurements. */
export function readSignal(signal: AlertSignal, inputs: ConditionInputs, now: number): SignalReading {
  switch (signal.kind) {
    case 'resource':
      return readResource(signal, inputs.resources());
    case 'checkStatus':
      return readCheckStatus(signal, inputs.checks());
    case 'checkLatency':
      return readCheckLatency(signal, inputs.checkRuns(windowStart(now, signal.windowSeconds)));
    case 'errorRate':
      return readErrorRate(signal, inputs.checkRuns(windowStart(now, signal.windowSeconds)));
    case 'logPattern': {
      const count = inputs.countLogMatches(signal.patternId, windowStart(now, signal.windowSeconds));
      return { value: count, subject: logPatternSubject(signal.patternId, signal.windowSeconds, count) };
    }
    case 'taskQueue': {
      const counts = inputs.taskCounts();
      const count = counts[signal.measure];
      const subject =
        signal.measure === 'dead'
          ? nounFor(count, 'dead task', 'dead tasks')
          : `${nounFor(count, 'task', 'tasks')} waiting`;
      return { value: count, subject };
    }
    case 'anomaly':
      return readAnomaly(signal, inputs.serviceSignals?.(signal.signal) ?? null);
  }
}

export const logPatternSubject = (patternId: string, windowSeconds: number, count: number) =>
  `${nounFor(count, 'match', 'matches')} of ${patternId} in ${windowSeconds} s`;
