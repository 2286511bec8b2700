import { signalUnit, type AlertSignal } from '../../shared/alert-signals.js';
import { PREVIEW_HOURS, type RulePreview } from '../../shared/alert-preview.js';
import type { AlertRule } from '../../shared/alerts.js';
import type { ResourcePoint } from '../../shared/node.js';
import { judge, type CheckRunStats } from './evaluate-condition.js';
import { inactive, nextPhase, type RulePhase } from './rule-phase.js';
import { readCheckLatency, readCheckStatus, readErrorRate } from './signals/check-signals.js';
import { logPatternSubject } from './signals/read-signal.js';
import { resourceValue } from './signals/resource-signal.js';
import type { SignalReading } from './signals/signal-reading.js';
import type { CheckMinute } from './signals/stored-signals.js';

const MINUTE_MS = 60_000;

/** The stored history a preview replays. */
export interface SignalHistory {
  /** Resource points (raw or per-minute averages) between two times, oldest first. */
  resources(fromMs: number, toMs: number): ResourcePoint[];
  checkMinutes(fromMs: number, toMs: number): CheckMinute[];
  logMatchTimes(patternId: string, fromMs: number, toMs: number): number[];
}

type Reading = SignalReading & { at: number };

/**
 * How the rule would have behaved over the last 24 h: its signal replayed from what this node stored (resource
 * samples as stored; check roll-ups and log matches as windows ending at each minute; check status as each check's
 * worst result in the minute before), judged and moved through pending and firing exactly as the engine would,
 * with the sample times as its clock. The task queue keeps no history: its preview says so.
 */
export function previewRule(rule: AlertRule, history: SignalHistory, now: number): RulePreview {
  const from = now - PREVIEW_HOURS * 3_600_000;
  const base = { from, to: now, unit: signalUnit(rule.signal) };
  const readings = replay(rule.signal, history, from, now);
  if (typeof readings === 'string') return { ...base, unavailable: readings, series: [], intervals: [] };
  const intervals: RulePreview['intervals'] = [];
  let phase: RulePhase = inactive;
  for (const reading of readings) {
    const next = nextPhase(rule, phase, judge(rule, reading), reading.at);
    if (next.state !== phase.state) {
      const open = intervals.at(-1);
      if (open && open.to === null) open.to = reading.at;
      if (next.state !== 'inactive') intervals.push({ state: next.state, from: reading.at, to: null });
    }
    phase = next;
  }
  return {
    ...base,
    unavailable: null,
    series: readings.map(({ at, value }) => ({ at, value: value === null ? null : Math.round(value * 100) / 100 })),
    intervals,
  };
}

/** The signal's readings over [from, to], or why it has no stored history. */
function replay(signal: AlertSignal, history: SignalHistory, from: number, to: number): Reading[] | string {
  switch (signal.kind) {
    case 'resource':
      return history
        .resources(from, to)
        .map((point) => ({ at: point.at, value: resourceValue(signal.metric, point), subject: signal.metric }));
    case 'checkLatency':
    case 'errorRate': {
      const windowMs = signal.windowSeconds * 1000;
      const minutes = history.checkMinutes(from - windowMs, to);
      return slidingChecks(minutes, windowMs, from, to).map(({ at, runs }) => ({
        at,
        ...(signal.kind === 'checkLatency' ? readCheckLatency(signal, runs) : readErrorRate(signal, runs)),
      }));
    }
    case 'logPattern': {
      const windowMs = signal.windowSeconds * 1000;
      const times = history.logMatchTimes(signal.patternId, from - windowMs, to);
      let first = 0;
      let last = 0;
      return minuteSteps(from, to).map((at) => {
        while (last < times.length && times[last]! <= at) last++;
        while (first < last && times[first]! <= at - windowMs) first++;
        const count = last - first;
        return { at, value: count, subject: logPatternSubject(signal.patternId, signal.windowSeconds, count) };
      });
    }
    case 'checkStatus': {
      // Each check's status in a minute is its worst stored result then; flapping is a state, never a result.
      const byMinute = new Map<number, CheckMinute[]>();
      for (const row of history.checkMinutes(from - MINUTE_MS, to)) {
        const rows = byMinute.get(row.minute);
        if (rows) rows.push(row);
        else byMinute.set(row.minute, [row]);
      }
      return minuteSteps(from, to).map((at) => {
        const statuses = (byMinute.get(at - MINUTE_MS) ?? []).map((row) => ({
          serviceId: row.serviceId,
          check: row.check,
          status:
            row.failed > 0 ? ('critical' as const) : row.warning > 0 ? ('warning' as const) : ('passing' as const),
        }));
        return { at, ...readCheckStatus(signal, statuses) };
      });
    }
    case 'taskQueue':
      return 'the task queue is judged as it is now; its depth and dead tasks are not stored over time';
    case 'anomaly':
      return 'anomalies are judged against the baseline as it is now; past verdicts are not stored';
  }
}

/** Every whole minute from `from` to `to`. */
function minuteSteps(from: number, to: number): number[] {
  const steps: number[] = [];
  for (let at = Math.ceil(from / MINUTE_MS) * MINUTE_MS; at <= to; at += MINUTE_MS) steps.push(at);
  return steps;
}

/** Each check's runs within the window ending at each minute step, summed from the per-minute roll-ups. */
function slidingChecks(minutes: readonly CheckMinute[], windowMs: number, from: number, to: number) {
  const sums = new Map<string, { serviceId: string; check: string; runs: number; failed: number; latency: number }>();
  const add = (row: CheckMinute, sign: 1 | -1) => {
    const key = `${row.serviceId}\u0000${row.check}`;
    const sum = sums.get(key) ?? { serviceId: row.serviceId, check: row.check, runs: 0, failed: 0, latency: 0 };
    sum.runs += sign * row.runs;
    sum.failed += sign * row.failed;
    sum.latency += sign * row.latencySum;
    sums.set(key, sum);
  };
  let first = 0;
  let last = 0;
  return minuteSteps(from, to).map((at) => {
    // A minute's roll-up belongs to the window once it has ended, and leaves it once it starts before the window.
    while (last < minutes.length && minutes[last]!.minute + MINUTE_MS <= at) add(minutes[last++]!, 1);
    while (first < last && minutes[first]!.minute < at - windowMs) add(minutes[first++]!, -1);
    const runs: CheckRunStats[] = [...sums.values()]
      .filter((sum) => sum.runs > 0)
      .map((sum) => ({
        serviceId: sum.serviceId,
        check: sum.check,
        runs: sum.runs,
        failed: sum.failed,
        meanLatencyMs: sum.latency / sum.runs,
      }));
    return { at, runs };
  });
}
