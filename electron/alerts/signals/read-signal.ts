import type { AlertSignal } from '../../../shared/alert-signals.js';
import type { ConditionInputs } from '../evaluate-condition.js';
import { readCheckLatency, readCheckStatus, readErrorRate } from './check-signals.js';
import { readResource } from './resource-signal.js';
import type { SignalReading } from './signal-reading.js';

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
    case 'logPattern':
      return {
        value: inputs.countLogMatches(signal.patternId, windowStart(now, signal.windowSeconds)),
        subject: logPatternSubject(signal.patternId, signal.windowSeconds),
      };
    case 'taskQueue': {
      const counts = inputs.taskCounts();
      return { value: counts[signal.measure], subject: signal.measure === 'dead' ? 'dead tasks' : 'tasks waiting' };
    }
  }
}

export const logPatternSubject = (patternId: string, windowSeconds: number) =>
  `matches of ${patternId} in ${windowSeconds} s`;
