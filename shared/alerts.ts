import { z } from 'zod';
import { AlertAck } from './alert-lifecycle.js';
import { AlertOperator, AlertSignal, isRangeOperator, upgradeLegacyRule } from './alert-signals.js';
import { EpochMs, Labels } from './ids.js';
import { DefinitionSource } from './log-patterns.js';
import { Slug } from './services.js';

/** How urgent an alert is; `emergency` is for what must wake someone (log patterns keep their three severities). */
export const AlertSeverity = z.enum(['info', 'warning', 'critical', 'emergency']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;
/** Worst first, as counts and lists show them. */
export const alertSeveritiesWorstFirst: readonly AlertSeverity[] = [...AlertSeverity.options].reverse();

/**
 * A rule judges one signal's value with an operator: `above` (value > threshold), `below` (value < threshold),
 * `equals`, `between` (threshold ≤ value ≤ thresholdHigh), `outside` (value < threshold or value > thresholdHigh).
 *
 * The clear threshold (hysteresis) decides when a firing alert resolves; without one it resolves as soon as the
 * condition stops holding. It is the value at which the alert clears, on the far side of the threshold:
 * - above: resolves once value ≤ clearThreshold (≤ threshold); below: once value ≥ clearThreshold (≥ threshold);
 * - equals: resolves once the value is at least as far from the threshold as clearThreshold is (a tolerance:
 *   equals 0 clear 2 keeps firing for 1 or −1, resolves at 2 or −2);
 * - between: keeps firing within the wider [clearThreshold, clearThresholdHigh], resolves outside it;
 * - outside: keeps firing outside the narrower [clearThreshold, clearThresholdHigh], resolves within it.
 */
const AlertRuleObject = z
  .object({
    id: Slug,
    name: z.string().min(1).max(128),
    /** A template: {{value}}, {{threshold}}, {{node}} and {{labels.<name>}} (the rule's labels, else the node's). */
    description: z.string().max(1000).default(''),
    severity: AlertSeverity.default('warning'),
    /** Carried by every alert of the rule, for routing and silences. */
    labels: Labels.default({}),
    signal: AlertSignal,
    operator: AlertOperator.default('above'),
    threshold: z.number(),
    /** The upper bound of `between` and `outside`; absent for the others. */
    thresholdHigh: z.number().optional(),
    clearThreshold: z.number().optional(),
    /** The upper clear bound of `between` and `outside`, given together with `clearThreshold`. */
    clearThresholdHigh: z.number().optional(),
    /** The condition must hold this long before the alert fires (pending until then), as Prometheus' `for`. */
    forSeconds: z.number().int().min(0).max(86_400).default(0),
    /** A firing alert keeps firing this long after its condition cleared; holding again meanwhile keeps it going. */
    keepFiringForSeconds: z.number().int().min(0).max(86_400).default(0),
    enabled: z.boolean().default(true),
  })
  .strict();
export const AlertRuleFields = AlertRuleObject.superRefine(checkThresholds);
export type AlertRuleInput = z.input<typeof AlertRuleFields>;

/** A rule; one in the old shape (`condition`) is converted as it is read, so stored rules keep loading. */
export const AlertRule = z.preprocess((input, ctx) => {
  const upgrade = upgradeLegacyRule(input);
  if ('rule' in upgrade) return upgrade.rule;
  for (const { path, message } of upgrade.issues)
    ctx.addIssue({ code: 'custom', path: ['condition', ...path], message });
  return z.NEVER;
}, AlertRuleFields);
export type AlertRule = z.infer<typeof AlertRule>;

type RuleOutput = z.output<typeof AlertRuleObject>;

function checkThresholds(rule: RuleOutput, ctx: z.RefinementCtx): void {
  const issue = (path: keyof RuleOutput, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const { operator, threshold, thresholdHigh, clearThreshold: clear, clearThresholdHigh: clearHigh } = rule;
  if (!isRangeOperator(operator)) {
    if (thresholdHigh !== undefined) issue('thresholdHigh', `only between and outside take an upper threshold`);
    if (clearHigh !== undefined) issue('clearThresholdHigh', `only between and outside take an upper clear threshold`);
    if (clear === undefined) return;
    if (operator === 'above' && clear > threshold) issue('clearThreshold', 'must be at most the threshold');
    if (operator === 'below' && clear < threshold) issue('clearThreshold', 'must be at least the threshold');
    if (operator === 'equals' && clear === threshold) issue('clearThreshold', 'must differ from the threshold');
    return;
  }
  if (thresholdHigh === undefined) return issue('thresholdHigh', `${operator} needs an upper threshold`);
  if (thresholdHigh < threshold) return issue('thresholdHigh', 'must be at least the threshold');
  if ((clear === undefined) !== (clearHigh === undefined)) {
    return issue(clear === undefined ? 'clearThreshold' : 'clearThresholdHigh', 'give both clear thresholds or none');
  }
  if (clear === undefined || clearHigh === undefined) return;
  if (operator === 'between') {
    if (clear > threshold) issue('clearThreshold', 'must be at most the threshold (the clear range is wider)');
    if (clearHigh < thresholdHigh) issue('clearThresholdHigh', 'must be at least the upper threshold');
  } else {
    if (clear < threshold) issue('clearThreshold', 'must be at least the threshold (the clear range is narrower)');
    if (clearHigh > thresholdHigh) issue('clearThresholdHigh', 'must be at most the upper threshold');
    if (clearHigh < clear) issue('clearThresholdHigh', 'must be at least the clear threshold');
  }
}

/** pending: the condition holds but not yet for `forSeconds`; firing; resolved: it stopped holding. */
export const AlertState = z.enum(['pending', 'firing', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

export const Alert = z.object({
  id: z.number().int().positive(),
  ruleId: Slug,
  ruleName: z.string(),
  severity: AlertSeverity,
  /** The rule's labels when the alert was raised. */
  labels: Labels,
  state: AlertState,
  /** The measured value when the alert last changed (percent, or matches in the window; 1 for a failing check). */
  value: z.number().nullable(),
  /** The value that fired it; null until it fires (and from a node of an older version). */
  firingValue: z.number().nullable().default(null),
  /** One line for humans: "cpu 97% > 90%", "checks critical: web/http". */
  summary: z.string(),
  /** The rule's description template, rendered with the value, threshold, node and labels when it last changed. */
  description: z.string(),
  startedAt: EpochMs,
  firingAt: EpochMs.nullable(),
  resolvedAt: EpochMs.nullable(),
  /** Someone is on it (shared/alert-lifecycle.ts); cleared by unacknowledging or when its `untilMs` passes. */
  acknowledged: AlertAck.nullable(),
  /** A silence or maintenance window matches it now: computed when listed, never stored. */
  silenced: z.boolean(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertRuleState = z.object({
  rule: AlertRule,
  source: DefinitionSource,
  /** inactive: the condition does not hold (or the rule is disabled). */
  state: z.enum(['inactive', 'pending', 'firing']),
  /** The value at the last evaluation; null before the first one or without data (no sample yet). */
  value: z.number().nullable(),
  lastEvaluatedAt: EpochMs.nullable(),
});
export type AlertRuleState = z.infer<typeof AlertRuleState>;

export const OpenAlertCounts = z.object({
  info: z.number().int().nonnegative(),
  warning: z.number().int().nonnegative(),
  critical: z.number().int().nonnegative(),
  /** Defaults to 0: a node of an older version publishes no such count. */
  emergency: z.number().int().nonnegative().default(0),
});
export type OpenAlertCounts = z.infer<typeof OpenAlertCounts>;
