import type { Counter, Gauge } from 'prom-client';
import {
  AlertSeverity,
  type Alert,
  type AlertRule,
  type AlertRuleState,
  type OpenAlertCounts,
} from '../../shared/alerts.js';
import type { Labels } from '../../shared/ids.js';
import { repeat, type Clock } from '../core/clock.js';
import { CodedError } from '../core/coded-error.js';
import { DefinitionSet } from '../core/definition-set.js';
import { errorMessage } from '../core/errors.js';
import type { EventPublisher } from '../core/event-publisher.js';
import type { Logger } from '../core/logger.js';
import type { AlertQuery, AlertWrite, AlertsRepository, NewAlert } from '../store/alerts-repository.js';
import {
  evaluateCondition,
  type CheckRunStats,
  type ConditionInputs,
  type ConditionResult,
  type RuleCondition,
} from './evaluate-condition.js';
import { renderDescription } from './render-description.js';
import { inactive, nextPhase, type RulePhase } from './rule-phase.js';

export interface AlertEngineOptions {
  repository: AlertsRepository;
  clock: Clock;
  logger: Logger;
  /** How often every rule is evaluated; 5 s when absent. */
  intervalMs?: number;
  inputs: ConditionInputs;
  /** Label sets are closed (severity, state), so the series stay few however many rules there are. */
  metrics?: { firing: Gauge<'severity'>; transitions: Counter<'severity' | 'state'> };
  /** Hears `alert.changed` after every transition has been stored: an alert raised (pending), fired or resolved. */
  events: EventPublisher;
  /** This node, for descriptions: `{{node}}` is its id, `{{labels.x}}` falls back to its labels. */
  node: { id: string; labels: Labels };
}

export const DEFAULT_ALERT_INTERVAL_MS = 5_000;

/** One short line for why an open alert was closed other than by its condition clearing. */
const closedBecause = {
  withdrawn: 'rule withdrawn from the fleet',
  removed: "rule removed from this node's config",
  gone: 'rule no longer in force on this node',
  disabled: 'rule disabled',
  condition: 'rule condition changed',
} as const;

/**
 * Evaluates this node's alert rules (its config file's and the fleet's) at a fixed interval and keeps one alert
 * per rule moving as Prometheus does (see `nextPhase`): the condition starts holding → pending; it has held for
 * `forSeconds` → firing; it reaches the clear threshold and stays there `keepFiringForSeconds` → resolved. A
 * pending alert that ends without having fired (its condition stopped holding, its rule went, or it was resolved
 * by hand) is deleted: it was never anyone's problem, so it leaves no history and tells nobody.
 * Every transition is stored before anyone hears of it, so what the UI, the log and the metrics say is what a
 * restart finds: open alerts are reloaded at construction and carry on where they were.
 */
export class AlertEngine {
  private definitions = new DefinitionSet<AlertRule>('alert rule');
  /** The pending or firing alert of each rule, as stored. */
  private readonly open = new Map<string, Alert>();
  /** The phase of each rule with an open alert, timed on the monotonic clock. */
  private readonly phases = new Map<string, RulePhase>();
  private readonly evaluations = new Map<string, { value: number | null; at: number }>();
  /** The last evaluation failure logged per rule, so a broken input is reported once, not every round. */
  private readonly failures = new Map<string, string>();
  private cancel: (() => void) | null = null;

  constructor(private readonly options: AlertEngineOptions) {
    const { clock } = options;
    for (const alert of options.repository.open()) {
      this.open.set(alert.ruleId, alert);
      // A pending alert reloaded after a restart keeps the time it has already waited (as well as the stored
      // start tells it; never negative); a firing one starts any keep-firing wait afresh.
      const waited = Math.max(0, clock.now() - alert.startedAt);
      this.phases.set(
        alert.ruleId,
        alert.state === 'pending'
          ? { state: 'pending', since: clock.monotonic() - waited }
          : { state: 'firing', clearedSince: null },
      );
    }
    this.updateFiringGauge();
  }

  /** The rules of the node's config file. A fleet rule that now has a config rule's id is dropped (the file wins). */
  setConfigRules(rules: readonly AlertRule[]): void {
    const before = this.definitions;
    const next = new DefinitionSet<AlertRule>('alert rule');
    next.setConfig(rules);
    for (const { value, source } of before.list()) {
      if (source !== 'fleet') continue;
      try {
        next.applyFleet(value);
      } catch (error) {
        this.options.logger.warn({ ruleId: value.id, err: errorMessage(error) }, 'fleet alert rule dropped');
      }
    }
    this.definitions = next;
    const ids = new Set([...before.list(), ...next.list()].map((entry) => entry.value.id));
    for (const id of ids) this.reconcile(id, before.get(id)?.value, closedBecause.removed);
  }

  /** Adds or replaces a fleet rule; false when it is in force unchanged. Throws `conflict` for a config rule's id. */
  applyFleet(rule: AlertRule): boolean {
    const before = this.definitions.get(rule.id)?.value;
    const changed = this.definitions.applyFleet(rule);
    if (changed) this.reconcile(rule.id, before, closedBecause.gone);
    return changed;
  }

  /** Drops a fleet rule deleted fleet-wide, closing its open alert; false when this node did not have it. */
  withdrawFleet(id: string): boolean {
    const before = this.definitions.get(id)?.value;
    if (!this.definitions.withdrawFleet(id)) return false;
    this.reconcile(id, before, closedBecause.withdrawn);
    return true;
  }

  fleetIds(): string[] {
    return this.definitions.fleetIds();
  }

  /** Every rule in force, by id, with its state and the value at its last evaluation. */
  rules(): AlertRuleState[] {
    return this.definitions.list().map(({ value: rule, source }) => {
      const alert = this.open.get(rule.id);
      const evaluation = this.evaluations.get(rule.id);
      return {
        rule,
        source,
        state: rule.enabled && alert && alert.state !== 'resolved' ? alert.state : 'inactive',
        value: evaluation?.value ?? null,
        lastEvaluatedAt: evaluation?.at ?? null,
      };
    });
  }

  /** Open alerts (pending and firing) or the whole history, newest first. */
  alerts(query: AlertQuery): Alert[] {
    return this.options.repository.list(query);
  }

  /** Firing alerts by severity (pending ones are not yet anyone's problem). */
  openCounts(): OpenAlertCounts {
    const counts: OpenAlertCounts = { info: 0, warning: 0, critical: 0, emergency: 0 };
    for (const alert of this.open.values()) if (alert.state === 'firing') counts[alert.severity] += 1;
    return counts;
  }

  /** One pass over every enabled rule. Never throws: a rule whose input fails is skipped this round. */
  evaluate(): void {
    const now = this.options.clock.now();
    this.closeStale(now);
    const inputs = onePass(this.options.inputs);
    for (const { value: rule } of this.definitions.list()) {
      if (!rule.enabled) continue;
      let result: ConditionResult;
      try {
        result = evaluateCondition(rule, inputs, now);
      } catch (error) {
        this.reportFailure(rule.id, error);
        continue;
      }
      if (this.failures.delete(rule.id)) this.options.logger.info({ ruleId: rule.id }, 'alert rule evaluates again');
      this.evaluations.set(rule.id, { value: result.value, at: now });
      this.advance(rule, result, now);
    }
  }

  /** Closes alerts whose rule is gone (a restart without it), then evaluates every `intervalMs`. */
  start(): void {
    if (this.cancel) return;
    this.closeStale(this.options.clock.now());
    this.cancel = repeat(this.options.clock, this.options.intervalMs ?? DEFAULT_ALERT_INTERVAL_MS, () =>
      this.evaluate(),
    );
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  /**
   * Resolves an open alert by hand (`reason` becomes its summary), only where its rule's condition, evaluated now,
   * no longer holds; refused as `conflict` naming the current value otherwise. An alert whose rule is gone or
   * disabled resolves. Throws when the alert is not open or the change could not be stored.
   */
  resolveByHand(alertId: number, reason: string): Alert {
    const alert = [...this.open.values()].find((open) => open.id === alertId);
    if (!alert) throw new CodedError('conflict', `alert ${alertId} is not open`);
    const rule = this.definitions.get(alert.ruleId)?.value;
    const now = this.options.clock.now();
    if (rule?.enabled) {
      const result = evaluateCondition(rule, onePass(this.options.inputs), now);
      if (result.holds) {
        const why = `its condition still holds (${result.summary}); it resolves by itself once that clears`;
        throw new CodedError('conflict', `alert ${alertId} cannot be resolved by hand: ${why}`);
      }
    }
    const write = close(alert, rule, reason, now);
    this.commit(write);
    if (this.open.get(alert.ruleId)?.id === alertId) throw new Error(`resolving alert ${alertId} was not stored`);
    return 'update' in write ? write.update : write.discard;
  }

  /** Deletes alerts resolved more than `keepResolvedMs` ago; open alerts are kept however old. Never throws. */
  prune(now: number, keepResolvedMs: number): number {
    try {
      return this.options.repository.pruneResolved(now - keepResolvedMs);
    } catch (error) {
      this.options.logger.warn({ err: errorMessage(error) }, 'pruning alerts failed');
      return 0;
    }
  }

  /** Moves one rule to its next phase, storing the alert's transition if it has one. */
  private advance(rule: AlertRule, result: ConditionResult, now: number): void {
    const alert = this.open.get(rule.id);
    const phase = (alert && this.phases.get(rule.id)) ?? inactive;
    const next = nextPhase(rule, phase, result, this.options.clock.monotonic());
    const write = transition(rule, alert, next, result, now, this.options.node);
    // A transition that could not be stored leaves the phase as it was, to be tried again next round.
    if (write && !this.commit(write)) return;
    if (next.state === 'inactive') this.phases.delete(rule.id);
    else this.phases.set(rule.id, next);
  }

  /**
   * After a rule was added, replaced or dropped: its open alert is closed when the rule is gone or disabled, or
   * when it now judges something else (another condition or severity) — that is a different alert.
   */
  private reconcile(id: string, before: AlertRule | undefined, goneReason: string): void {
    const after = this.definitions.get(id)?.value;
    const conditionChanged =
      before !== undefined && after !== undefined && !sameJson(conditionOf(before), conditionOf(after));
    if (!after || !after.enabled || conditionChanged) {
      this.evaluations.delete(id);
      this.failures.delete(id);
    }
    const alert = this.open.get(id);
    if (!alert) return;
    const reason = staleReason(alert, after, goneReason) ?? (conditionChanged ? closedBecause.condition : null);
    if (reason) this.commit(close(alert, after, reason, this.options.clock.now()));
  }

  /** Open alerts whose rule is not in force (or disabled, or of another severity now): left by a restart. */
  private closeStale(now: number): void {
    for (const alert of [...this.open.values()]) {
      const rule = this.definitions.get(alert.ruleId)?.value;
      const reason = staleReason(alert, rule, closedBecause.gone);
      if (reason) this.commit(close(alert, rule, reason, now));
    }
  }

  /** Stores one transition, then tells the metrics, the log and the events. A failed write changes nothing (false). */
  private commit(write: AlertWrite): boolean {
    let alert: Alert;
    try {
      alert = this.options.repository.save(write);
    } catch (error) {
      const { ruleId } = alertOf(write);
      this.options.logger.error({ ruleId, err: errorMessage(error) }, 'storing an alert change failed');
      return false;
    }
    if (alert.state === 'resolved') {
      this.open.delete(alert.ruleId);
      this.phases.delete(alert.ruleId);
    } else this.open.set(alert.ruleId, alert);
    this.updateFiringGauge();
    if ('discard' in write) {
      this.options.logger.debug({ alertId: alert.id, ruleId: alert.ruleId }, 'pending alert ended without firing');
    } else {
      this.options.metrics?.transitions.inc({ severity: alert.severity, state: alert.state });
      this.logTransition(alert);
    }
    try {
      this.options.events.publish({ type: 'alert.changed', data: alert });
    } catch (error) {
      this.options.logger.error({ err: error }, 'an alert listener failed');
    }
    return true;
  }

  /** The built-in "log" notification channel. */
  private logTransition(alert: Alert): void {
    const { logger } = this.options;
    const fields = {
      channel: 'log',
      alertId: alert.id,
      ruleId: alert.ruleId,
      severity: alert.severity,
      value: alert.value,
      summary: alert.summary,
    };
    const line = `alert ${alert.ruleId} ${alert.state} (${alert.severity}): ${alert.summary}`;
    if (alert.state === 'firing') logger.warn(fields, line);
    else if (alert.state === 'resolved') logger.info(fields, line);
    else logger.debug(fields, line);
  }

  private reportFailure(ruleId: string, error: unknown): void {
    const message = errorMessage(error);
    if (this.failures.get(ruleId) === message) return;
    this.failures.set(ruleId, message);
    this.options.logger.warn({ ruleId, err: message }, 'evaluating alert rule failed; it is skipped until it works');
  }

  private updateFiringGauge(): void {
    const firing = this.options.metrics?.firing;
    if (!firing) return;
    const counts = this.openCounts();
    for (const severity of AlertSeverity.options) firing.set({ severity }, counts[severity]);
  }
}

/** The write that moving a rule's alert into phase `next` calls for, if any. */
function transition(
  rule: AlertRule,
  alert: Alert | undefined,
  next: RulePhase,
  result: ConditionResult,
  now: number,
  node: AlertEngineOptions['node'],
): AlertWrite | null {
  const { value, summary } = result;
  const description = renderDescription(rule.description, {
    value,
    threshold: rule.threshold,
    node: node.id,
    labels: { ...node.labels, ...rule.labels },
  });
  const changed = { ruleName: rule.name, value, summary, description };
  if (!alert) {
    if (next.state === 'inactive') return null;
    const fires = next.state === 'firing';
    return {
      insert: {
        ruleId: rule.id,
        severity: rule.severity,
        labels: rule.labels,
        state: fires ? 'firing' : 'pending',
        ...changed,
        firingValue: fires ? value : null,
        startedAt: now,
        firingAt: fires ? now : null,
        resolvedAt: null,
      },
    };
  }
  if (next.state === 'inactive') return ended({ ...alert, ...changed, state: 'resolved', resolvedAt: now });
  if (next.state === 'firing' && alert.state === 'pending') {
    return { update: { ...alert, ...changed, state: 'firing', firingAt: now, firingValue: value } };
  }
  return null;
}

type EndingWrite = { update: Alert } | { discard: Alert };

function close(alert: Alert, rule: AlertRule | undefined, reason: string, now: number): EndingWrite {
  return ended({
    ...alert,
    ruleName: rule?.name ?? alert.ruleName,
    state: 'resolved',
    summary: reason,
    resolvedAt: now,
  });
}

/** The write that ends an alert: a resolution once it fired; otherwise it is discarded. */
const ended = (alert: Alert): EndingWrite => (alert.firingAt === null ? { discard: alert } : { update: alert });

const alertOf = (write: AlertWrite): Alert | NewAlert =>
  'insert' in write ? write.insert : 'update' in write ? write.update : write.discard;

/** Why an open alert can no longer stand whatever its condition says; null when it can. */
function staleReason(alert: Alert, rule: AlertRule | undefined, goneReason: string): string | null {
  if (!rule) return goneReason;
  if (!rule.enabled) return closedBecause.disabled;
  if (rule.severity !== alert.severity) return `rule severity changed to ${rule.severity}`;
  return null;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What decides whether a rule holds: a change to it makes a different alert. */
const conditionOf = (rule: AlertRule): RuleCondition => ({
  signal: rule.signal,
  operator: rule.operator,
  threshold: rule.threshold,
  thresholdHigh: rule.thresholdHigh,
  clearThreshold: rule.clearThreshold,
  clearThresholdHigh: rule.clearThresholdHigh,
});

/** Inputs for one pass: each is read at most once (per window), and a failure is remembered for the pass. */
function onePass(inputs: ConditionInputs): ConditionInputs {
  return {
    resources: once(() => inputs.resources()),
    checks: once(() => inputs.checks()),
    countLogMatches: (patternId, sinceMs) => inputs.countLogMatches(patternId, sinceMs),
    checkRuns: memoBy((sinceMs: number) => inputs.checkRuns(sinceMs)),
    taskCounts: once(() => inputs.taskCounts()),
    serviceSignals: inputs.serviceSignals && ((signal) => inputs.serviceSignals!(signal)),
  };
}

/** Rules of one window share one read per pass. */
function memoBy(read: (sinceMs: number) => readonly CheckRunStats[]): (sinceMs: number) => readonly CheckRunStats[] {
  const reads = new Map<number, () => readonly CheckRunStats[]>();
  return (sinceMs) => {
    let cached = reads.get(sinceMs);
    if (!cached) {
      cached = once(() => read(sinceMs));
      reads.set(sinceMs, cached);
    }
    return cached();
  };
}

function once<T>(read: () => T): () => T {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
  return () => {
    if (!outcome) {
      try {
        outcome = { ok: true, value: read() };
      } catch (error) {
        outcome = { ok: false, error };
      }
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };
}
