import { z } from 'zod';
import { EpochMs } from './ids.js';
import { DefinitionSource, Severity } from './log-patterns.js';
import { Slug } from './services.js';

/** Fires while a resource of this node is above a share of its capacity (disk: the data directory's filesystem). */
export const ResourceCondition = z
  .object({
    kind: z.literal('resource'),
    metric: z.enum(['cpu', 'memory', 'disk']),
    abovePercent: z.number().min(0).max(100),
  })
  .strict();

/** Fires while a check of the named services (all services when empty) is at least this bad. */
export const CheckCondition = z
  .object({
    kind: z.literal('check'),
    serviceIds: z.array(Slug).max(64).default([]),
    status: z.enum(['warning', 'critical']).default('critical'),
  })
  .strict();

/** Fires while a log pattern matched at least `atLeast` lines within the last `windowSeconds`. */
export const LogPatternCondition = z
  .object({
    kind: z.literal('logPattern'),
    patternId: Slug,
    atLeast: z.number().int().min(1).max(1_000_000).default(1),
    windowSeconds: z.number().int().min(10).max(86_400).default(300),
  })
  .strict();

export const AlertCondition = z.discriminatedUnion('kind', [ResourceCondition, CheckCondition, LogPatternCondition]);
export type AlertCondition = z.infer<typeof AlertCondition>;

export const AlertRule = z
  .object({
    id: Slug,
    name: z.string().min(1).max(128),
    description: z.string().max(1000).default(''),
    severity: Severity.default('warning'),
    condition: AlertCondition,
    /** The condition must hold this long before the alert fires (pending until then), as Prometheus' `for`. */
    forSeconds: z.number().int().min(0).max(86_400).default(0),
    enabled: z.boolean().default(true),
  })
  .strict();
export type AlertRule = z.infer<typeof AlertRule>;
export type AlertRuleInput = z.input<typeof AlertRule>;

/** pending: the condition holds but not yet for `forSeconds`; firing; resolved: it stopped holding. */
export const AlertState = z.enum(['pending', 'firing', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

export const Alert = z.object({
  id: z.number().int().positive(),
  ruleId: Slug,
  ruleName: z.string(),
  severity: Severity,
  state: AlertState,
  /** The measured value when the alert last changed (percent, or matches in the window; 1 for a failing check). */
  value: z.number().nullable(),
  /** One line for humans: "cpu 97% > 90%", "checks critical: web/http". */
  summary: z.string(),
  startedAt: EpochMs,
  firingAt: EpochMs.nullable(),
  resolvedAt: EpochMs.nullable(),
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
});
export type OpenAlertCounts = z.infer<typeof OpenAlertCounts>;
