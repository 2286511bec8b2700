import type { AlertCondition } from '../../shared/alerts.js';
import type { ResourceSample } from '../../shared/node.js';
import { statusSeverity, type CheckStatus } from '../../shared/services.js';

type ResourceCondition = Extract<AlertCondition, { kind: 'resource' }>;
type CheckCondition = Extract<AlertCondition, { kind: 'check' }>;
type LogPatternCondition = Extract<AlertCondition, { kind: 'logPattern' }>;

/** The current status of one check of this node. */
export interface CheckReading {
  serviceId: string;
  check: string;
  status: CheckStatus;
}

/** What rules are evaluated against. Each is asked only by the rules that need it, so one failing input spares the rest. */
export interface ConditionInputs {
  /** The latest resource sample; null before the first one. */
  resources(): ResourceSample | null;
  checks(): readonly CheckReading[];
  /** Lines that matched the pattern at or after `sinceMs`. */
  countLogMatches(patternId: string, sinceMs: number): number;
}

/** `value` is null when there is no data to judge by (no sample yet); the condition then does not hold. */
export interface ConditionResult {
  holds: boolean;
  value: number | null;
  summary: string;
}

/** Checks named in a summary; the rest are counted ("and 3 more") so a summary stays one short line. */
const MAX_NAMED_CHECKS = 5;

export function evaluateCondition(condition: AlertCondition, inputs: ConditionInputs, now: number): ConditionResult {
  switch (condition.kind) {
    case 'resource':
      return evaluateResource(condition, inputs.resources());
    case 'check':
      return evaluateChecks(condition, inputs.checks());
    case 'logPattern':
      return evaluateLogPattern(condition, (patternId, sinceMs) => inputs.countLogMatches(patternId, sinceMs), now);
  }
}

/** cpu: load; memory: used of total; disk: used of total on the data directory's filesystem. Holds strictly above. */
export function evaluateResource(condition: ResourceCondition, sample: ResourceSample | null): ConditionResult {
  const { metric, abovePercent } = condition;
  const percent = sample ? resourcePercent(metric, sample) : null;
  if (percent === null) {
    return { holds: false, value: null, summary: `${metric}: ${sample ? 'size unknown' : 'no sample yet'}` };
  }
  const holds = percent > abovePercent;
  return {
    holds,
    value: Math.round(percent * 100) / 100,
    summary: `${metric} ${percentText(percent, abovePercent)}% ${holds ? '>' : '≤'} ${abovePercent}%`,
  };
}

function resourcePercent(metric: ResourceCondition['metric'], sample: ResourceSample): number | null {
  if (metric === 'cpu') return sample.cpu.loadPercent;
  const { usedBytes, totalBytes } = metric === 'memory' ? sample.memory : sample.disk;
  return totalBytes > 0 ? (usedBytes / totalBytes) * 100 : null;
}

/**
 * The fewest decimals (whole percents usually) that still show the value on the same side of the threshold as it
 * really is: 90.4 above 90 shows as "90.4", not "90".
 */
function percentText(value: number, threshold: number): string {
  for (let decimals = 0; decimals <= 4; decimals++) {
    const shown = Number(value.toFixed(decimals));
    if (shown !== threshold || value === threshold) return String(shown);
  }
  return String(value);
}

/**
 * Holds while any check of the named services (every service when none are named) is at least as bad as the
 * rule's status, ordered as `statusSeverity`: flapping is worse than warning, unknown is not a failure.
 */
export function evaluateChecks(condition: CheckCondition, checks: readonly CheckReading[]): ConditionResult {
  const scope = new Set(condition.serviceIds);
  const threshold = statusSeverity[condition.status];
  const failing = checks
    .filter((c) => (scope.size === 0 || scope.has(c.serviceId)) && statusSeverity[c.status] >= threshold)
    // Worst first; equally bad checks keep the order they were given in.
    .sort((a, b) => statusSeverity[b.status] - statusSeverity[a.status]);
  const wanted = condition.status === 'critical' ? 'critical' : 'warning or worse';
  if (failing.length === 0) {
    const where = scope.size === 0 ? '' : ` (services: ${condition.serviceIds.join(', ')})`;
    return { holds: false, value: 0, summary: `no check ${wanted}${where}` };
  }
  const names = failing
    .slice(0, MAX_NAMED_CHECKS)
    .map((c) => `${c.serviceId}/${c.check}${condition.status === 'critical' ? '' : ` (${c.status})`}`);
  const more = failing.length > MAX_NAMED_CHECKS ? `, and ${failing.length - MAX_NAMED_CHECKS} more` : '';
  const noun = failing.length === 1 ? 'check' : 'checks';
  return {
    holds: true,
    value: failing.length,
    summary: `${failing.length} ${noun} ${wanted}: ${names.join(', ')}${more}`,
  };
}

/** Holds while the pattern matched at least `atLeast` lines in the last `windowSeconds`. */
export function evaluateLogPattern(
  condition: LogPatternCondition,
  countSince: (patternId: string, sinceMs: number) => number,
  now: number,
): ConditionResult {
  const { patternId, atLeast, windowSeconds } = condition;
  const count = countSince(patternId, now - windowSeconds * 1000);
  const holds = count >= atLeast;
  const noun = count === 1 ? 'match' : 'matches';
  return {
    holds,
    value: count,
    summary: `${count} ${noun} of ${patternId} in ${windowSeconds} s ${holds ? '≥' : '<'} ${atLeast}`,
  };
}
