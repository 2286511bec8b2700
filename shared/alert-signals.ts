import { z } from 'zod';
import { AnomalyDirection, DEFAULT_DEVIATIONS } from './anomaly.js';
import { ServiceSignalName } from './service-signals.js';
import { Slug } from './services.js';

const ServiceScope = z.array(Slug).max(64).default([]);
const WindowSeconds = z.number().int().min(10).max(86_400).default(300);

/**
 * A gauge of this node's resources: cpu, memory and disk (the data directory's filesystem) in percent of
 * capacity, the 1-minute load average, network throughput in bytes per second (summed over real interfaces).
 */
export const ResourceSignal = z
  .object({
    kind: z.literal('resource'),
    metric: z.enum(['cpu', 'memory', 'disk', 'load1', 'networkRx', 'networkTx']),
  })
  .strict();
export type ResourceSignal = z.infer<typeof ResourceSignal>;

/** How many checks of the named services (every service when empty) are at least this bad now. */
export const CheckStatusSignal = z
  .object({
    kind: z.literal('checkStatus'),
    serviceIds: ServiceScope,
    status: z.enum(['warning', 'critical']).default('critical'),
  })
  .strict();
export type CheckStatusSignal = z.infer<typeof CheckStatusSignal>;

/** The mean latency (ms) over the window of the slowest check in scope (one check when `check` is named). */
export const CheckLatencySignal = z
  .object({
    kind: z.literal('checkLatency'),
    serviceIds: ServiceScope,
    check: z.string().min(1).max(64).optional(),
    windowSeconds: WindowSeconds,
  })
  .strict();
export type CheckLatencySignal = z.infer<typeof CheckLatencySignal>;

/** The share (percent) of failed (critical) check runs over the window, of the worst service in scope. */
export const ErrorRateSignal = z
  .object({
    kind: z.literal('errorRate'),
    serviceIds: ServiceScope,
    windowSeconds: WindowSeconds,
  })
  .strict();
export type ErrorRateSignal = z.infer<typeof ErrorRateSignal>;

/** Lines the log pattern matched within the window. */
export const LogPatternSignal = z
  .object({
    kind: z.literal('logPattern'),
    patternId: Slug,
    windowSeconds: WindowSeconds,
  })
  .strict();
export type LogPatternSignal = z.infer<typeof LogPatternSignal>;

/** This node's task queue: tasks waiting (queued, scheduled, retrying), or dead ones (out of attempts, not replayed). */
export const TaskQueueSignal = z
  .object({
    kind: z.literal('taskQueue'),
    measure: z.enum(['waiting', 'dead']),
  })
  .strict();
export type TaskQueueSignal = z.infer<typeof TaskQueueSignal>;

/**
 * How unusual a signal of the named services (every service when none are named) is against its learnt baseline for
 * the time of day and week. A service is anomalous when its latest minute is at least `deviations` away in
 * `direction` and by at least `minChange` (a default per signal), or past a static bound (`above`, `below`), which
 * counts as `deviations`. The value is the worst anomalous service's deviations, 0 when none is: rules say `above 0`.
 */
export const AnomalySignal = z
  .object({
    kind: z.literal('anomaly'),
    serviceIds: ServiceScope,
    signal: ServiceSignalName,
    deviations: z.number().positive().max(100).default(DEFAULT_DEVIATIONS),
    minChange: z.number().nonnegative().optional(),
    direction: AnomalyDirection.default('both'),
    above: z.number().optional(),
    below: z.number().optional(),
  })
  .strict();
export type AnomalySignal = z.infer<typeof AnomalySignal>;

/** What a rule judges: one number per evaluation. A new signal is one more member here and one reader. */
export const AlertSignal = z.discriminatedUnion('kind', [
  ResourceSignal,
  CheckStatusSignal,
  CheckLatencySignal,
  ErrorRateSignal,
  LogPatternSignal,
  TaskQueueSignal,
  AnomalySignal,
]);
export type AlertSignal = z.infer<typeof AlertSignal>;
export type SignalKind = AlertSignal['kind'];

/** The unit a signal's value is in, for summaries and charts. */
export function signalUnit(signal: AlertSignal): 'percent' | 'ms' | 'bytesPerSecond' | 'count' | 'load' {
  switch (signal.kind) {
    case 'resource':
      if (signal.metric === 'load1') return 'load';
      return signal.metric === 'networkRx' || signal.metric === 'networkTx' ? 'bytesPerSecond' : 'percent';
    case 'checkLatency':
      return 'ms';
    case 'errorRate':
      return 'percent';
    default:
      return 'count';
  }
}

/** `above` and `below` are strict, `between` is inclusive and `outside` its complement. */
export const AlertOperator = z.enum(['above', 'below', 'equals', 'between', 'outside']);
export type AlertOperator = z.infer<typeof AlertOperator>;

/** The range operators take a second threshold (the upper bound), and a second clear threshold. */
export const isRangeOperator = (operator: AlertOperator): boolean => operator === 'between' || operator === 'outside';

// The condition shapes of rules written before signals and operators; still read from config files and etcd.
const LegacyCondition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('resource'), metric: z.enum(['cpu', 'memory', 'disk']), abovePercent: z.number() }),
  z.object({
    kind: z.literal('check'),
    serviceIds: ServiceScope,
    status: z.enum(['warning', 'critical']).default('critical'),
  }),
  z.object({
    kind: z.literal('logPattern'),
    patternId: Slug,
    atLeast: z.number().int().min(1).default(1),
    windowSeconds: WindowSeconds,
  }),
]);

/** A rule as today's fields, or what is wrong with its old condition (paths within it). */
export type LegacyUpgrade = { rule: unknown } | { issues: Array<{ path: PropertyKey[]; message: string }> };

/**
 * A rule in the old shape (`condition`, no `signal`) as today's fields: resource above a percent; a check at least
 * that bad (more than 0 such checks); at least N log matches (more than N − 1, counts being whole). Anything
 * without `condition` is returned as it was.
 */
export function upgradeLegacyRule(input: unknown): LegacyUpgrade {
  if (typeof input !== 'object' || input === null || !('condition' in input) || 'signal' in input) {
    return { rule: input };
  }
  const { condition, ...rest } = input as Record<string, unknown>;
  const parsed = LegacyCondition.safeParse(condition);
  if (!parsed.success) return { issues: parsed.error.issues };
  const old = parsed.data;
  switch (old.kind) {
    case 'resource':
      return {
        rule: {
          ...rest,
          signal: { kind: 'resource', metric: old.metric },
          operator: 'above',
          threshold: old.abovePercent,
        },
      };
    case 'check':
      return {
        rule: {
          ...rest,
          signal: { kind: 'checkStatus', serviceIds: old.serviceIds, status: old.status },
          operator: 'above',
          threshold: 0,
        },
      };
    case 'logPattern':
      return {
        rule: {
          ...rest,
          signal: { kind: 'logPattern', patternId: old.patternId, windowSeconds: old.windowSeconds },
          operator: 'above',
          threshold: old.atLeast - 1,
        },
      };
  }
}
