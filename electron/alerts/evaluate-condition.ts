import { signalUnit, type AlertSignal } from '../../shared/alert-signals.js';
import type { AlertRule } from '../../shared/alerts.js';
import type { ResourceSample } from '../../shared/node.js';
import type { ServiceSignalName } from '../../shared/service-signals.js';
import type { CheckStatus } from '../../shared/services.js';
import type { SignalObservation } from '../anomaly/anomaly-verdict.js';
import { readSignal, type SignalReading } from './signals/read-signal.js';

/** The current status of one check of this node. */
export interface CheckReading {
  serviceId: string;
  check: string;
  status: CheckStatus;
}

/** One check's stored runs since some time: how many, how many failed (critical), their mean latency. */
export interface CheckRunStats {
  serviceId: string;
  check: string;
  runs: number;
  failed: number;
  meanLatencyMs: number;
}

/** What rules are evaluated against. Each is asked only by the rules that need it, so one failing input spares the rest. */
export interface ConditionInputs {
  /** The latest resource sample; null before the first one. */
  resources(): ResourceSample | null;
  checks(): readonly CheckReading[];
  /** Lines that matched the pattern at or after `sinceMs`. */
  countLogMatches(patternId: string, sinceMs: number): number;
  /** Every check's stored runs at or after `sinceMs` (checks without runs are left out). */
  checkRuns(sinceMs: number): readonly CheckRunStats[];
  /** This node's task queue: tasks waiting to run, and dead ones. */
  taskCounts(): { waiting: number; dead: number };
  /** The latest minute of each service's signal against its baseline; absent: no anomaly detection here. */
  serviceSignals?(signal: ServiceSignalName): readonly SignalObservation[];
}

/** The part of a rule that decides whether it holds. */
export type RuleCondition = Pick<
  AlertRule,
  'signal' | 'operator' | 'threshold' | 'thresholdHigh' | 'clearThreshold' | 'clearThresholdHigh'
>;

/**
 * `holds`: the condition is met (what raises an alert and keeps it pending); `keepsFiring`: a firing alert stays
 * firing (the clear threshold is not reached). Both are false when `value` is null: no data to judge by.
 */
export interface ConditionResult {
  holds: boolean;
  keepsFiring: boolean;
  value: number | null;
  summary: string;
}

export function evaluateCondition(condition: RuleCondition, inputs: ConditionInputs, now: number): ConditionResult {
  return judge(condition, readSignal(condition.signal, inputs, now));
}

/** Judges one reading of the rule's signal (the engine's current one, or a stored one in a preview). */
export function judge(condition: RuleCondition, reading: SignalReading): ConditionResult {
  const { value } = reading;
  if (value === null) return { holds: false, keepsFiring: false, value, summary: reading.subject };
  const holds = conditionHolds(condition, value);
  const keepsFiring = firingContinues(condition, value);
  const unit = unitSuffix(condition.signal);
  // Percents read best whole; other figures keep two decimals.
  const shown = (n: number) => `${unit === '%' ? numberText(value, n) : Math.round(value * 100) / 100}${unit}`;
  // Counts read best before what they count: "3 dead tasks > 0"; gauges after: "cpu 97% > 90%".
  const measured =
    signalUnit(condition.signal) === 'count'
      ? `${shown(condition.threshold)} ${reading.subject}`
      : `${reading.subject} ${shown(condition.threshold)}`;
  let summary = `${measured} ${relation(condition, holds, unit)}`;
  if (!holds && keepsFiring) summary += ` (clears at ${clearText(condition, unit)})`;
  if (reading.detail) summary += `: ${reading.detail}`;
  return { holds, keepsFiring, value: Math.round(value * 100) / 100, summary };
}

/** above and below are strict; between is inclusive at both ends, outside is its complement. */
export function conditionHolds(condition: RuleCondition, value: number): boolean {
  const { operator, threshold } = condition;
  const high = condition.thresholdHigh ?? threshold;
  switch (operator) {
    case 'above':
      return value > threshold;
    case 'below':
      return value < threshold;
    case 'equals':
      return value === threshold;
    case 'between':
      return value >= threshold && value <= high;
    case 'outside':
      return value < threshold || value > high;
  }
}

/** Whether a firing alert goes on firing: the clear threshold not reached (see AlertRuleFields); no clear: holds. */
export function firingContinues(condition: RuleCondition, value: number): boolean {
  const { operator, threshold, clearThreshold: clear } = condition;
  if (clear === undefined) return conditionHolds(condition, value);
  const clearHigh = condition.clearThresholdHigh ?? clear;
  switch (operator) {
    case 'above':
      return value > clear;
    case 'below':
      return value < clear;
    case 'equals':
      return Math.abs(value - threshold) < Math.abs(clear - threshold);
    case 'between':
      return value >= clear && value <= clearHigh;
    case 'outside':
      return value < clear || value > clearHigh;
  }
}

const unitSuffixes = { percent: '%', ms: ' ms', bytesPerSecond: ' B/s', count: '', load: '' } as const;
const unitSuffix = (signal: AlertSignal) => unitSuffixes[signalUnit(signal)];

function relation(condition: RuleCondition, holds: boolean, unit: string): string {
  const { operator, threshold } = condition;
  const range = `[${threshold}${unit}, ${condition.thresholdHigh ?? threshold}${unit}]`;
  switch (operator) {
    case 'above':
      return `${holds ? '>' : '≤'} ${threshold}${unit}`;
    case 'below':
      return `${holds ? '<' : '≥'} ${threshold}${unit}`;
    case 'equals':
      return `${holds ? '=' : '≠'} ${threshold}${unit}`;
    case 'between':
      return `${holds ? 'within' : 'outside'} ${range}`;
    case 'outside':
      return `${holds ? 'outside' : 'within'} ${range}`;
  }
}

function clearText(condition: RuleCondition, unit: string): string {
  const { operator, threshold, clearThreshold: clear = threshold } = condition;
  const clearHigh = condition.clearThresholdHigh ?? clear;
  switch (operator) {
    case 'above':
      return `≤ ${clear}${unit}`;
    case 'below':
      return `≥ ${clear}${unit}`;
    case 'equals':
      return `±${Math.abs(clear - threshold)}${unit}`;
    case 'between':
      return `outside [${clear}${unit}, ${clearHigh}${unit}]`;
    case 'outside':
      return `within [${clear}${unit}, ${clearHigh}${unit}]`;
  }
}

/**
 * The fewest decimals (whole numbers usually) that still show the value on the same side of the threshold as it
 * really is: 90.4 above 90 shows as "90.4", not "90".
 */
export function numberText(value: number, threshold: number): string {
  for (let decimals = 0; decimals <= 4; decimals++) {
    const shown = Number(value.toFixed(decimals));
    if (shown !== threshold || value === threshold) return String(shown);
  }
  return String(value);
}
