import type { Counter, Gauge } from 'prom-client';
import type { Alert, AlertRule, AlertRuleState, OpenAlertCounts } from '../../shared/alerts.js';
import { repeat, type Clock } from '../core/clock.js';
import { DefinitionSet } from '../core/definition-set.js';
import { errorMessage } from '../core/errors.js';
import type { EventPublisher } from '../core/event-publisher.js';
import type { Logger } from '../core/logger.js';
import type { AlertQuery, AlertWrite, AlertsRepository } from '../store/alerts-repository.js';
import { evaluateCondition, type ConditionInputs, type ConditionResult } from './evaluate-condition.js';

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
}

export const DEFAULT_ALERT_INTERVAL_MS = 5_000;

const severities = ['info', 'warning', 'critical'] as const;

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
 * per rule moving as Prometheus does: the condition starts holding → pending; it has held for `forSeconds` →
 * firing; it stops holding → resolved (a pending alert that never fired is resolved too, with no firing time).
 * Every transition is stored before anyone hears of it, so what the UI, the log and the metrics say is what a
 * restart finds: open alerts are reloaded at construction and carry on where they were.
 */
export class AlertEngine {
  private definitions = new DefinitionSet<AlertRule>('alert rule');
  /** The pending or firing alert of each rule, as stored. */
  private readonly open = new Map<string, Alert>();
  private readonly evaluations = new Map<string, { value: number | null; at: number }>();
  /** The last evaluation failure logged per rule, so a broken input is reported once, not every round. */
  private readonly failures = new Map<string, string>();
  private cancel: (() => void) | null = null;

  constructor(private readonly options: AlertEngineOptions) {
    for (const alert of options.repository.open()) this.open.set(alert.ruleId, alert);
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
    const counts: OpenAlertCounts = { info: 0, warning: 0, critical: 0 };
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
        result = evaluateCondition(rule.condition, inputs, now);
      } catch (error) {
        this.reportFailure(rule.id, error);
        continue;
      }
      if (this.failures.delete(rule.id)) this.options.logger.info({ ruleId: rule.id }, 'alert rule evaluates again');
      this.evaluations.set(rule.id, { value: result.value, at: now });
      const write = transition(rule, this.open.get(rule.id), result, now);
      if (write) this.commit(write);
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

  /** Deletes alerts resolved more than `keepResolvedMs` ago; open alerts are kept however old. Never throws. */
  prune(now: number, keepResolvedMs: number): number {
    try {
      return this.options.repository.pruneResolved(now - keepResolvedMs);
    } catch (error) {
      this.options.logger.warn({ err: errorMessage(error) }, 'pruning alerts failed');
      return 0;
    }
  }

  /**
   * After a rule was added, replaced or dropped: its open alert is closed when the rule is gone or disabled, or
   * when it now judges something else (another condition or severity) — that is a different alert.
   */
  private reconcile(id: string, before: AlertRule | undefined, goneReason: string): void {
    const after = this.definitions.get(id)?.value;
    const conditionChanged =
      before !== undefined && after !== undefined && !sameJson(before.condition, after.condition);
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

  /** Stores one transition, then tells the metrics, the log and the events. A failed write changes nothing. */
  private commit(write: AlertWrite): void {
    let alert: Alert;
    try {
      alert = this.options.repository.save(write);
    } catch (error) {
      const ruleId = 'insert' in write ? write.insert.ruleId : write.update.ruleId;
      this.options.logger.error({ ruleId, err: errorMessage(error) }, 'storing an alert change failed');
      return;
    }
    if (alert.state === 'resolved') this.open.delete(alert.ruleId);
    else this.open.set(alert.ruleId, alert);
    this.updateFiringGauge();
    this.options.metrics?.transitions.inc({ severity: alert.severity, state: alert.state });
    this.logTransition(alert);
    try {
      this.options.events.publish({ type: 'alert.changed', data: alert });
    } catch (error) {
      this.options.logger.error({ err: error }, 'an alert listener failed');
    }
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
    for (const severity of severities) firing.set({ severity }, counts[severity]);
  }
}

/** The write a rule's evaluation calls for, if any. */
function transition(
  rule: AlertRule,
  alert: Alert | undefined,
  result: ConditionResult,
  now: number,
): AlertWrite | null {
  const { value, summary } = result;
  if (result.holds) {
    if (!alert) {
      const fires = rule.forSeconds === 0;
      return {
        insert: {
          ruleId: rule.id,
          ruleName: rule.name,
          severity: rule.severity,
          state: fires ? 'firing' : 'pending',
          value,
          summary,
          startedAt: now,
          firingAt: fires ? now : null,
          resolvedAt: null,
        },
      };
    }
    if (alert.state === 'pending' && now - alert.startedAt >= rule.forSeconds * 1000) {
      return { update: { ...alert, ruleName: rule.name, state: 'firing', value, summary, firingAt: now } };
    }
    return null;
  }
  // No data (no sample yet, right after a restart) says nothing about an open alert: it stays as it is rather
  // than being resolved and raised again once the first sample arrives.
  if (!alert || value === null) return null;
  return { update: { ...alert, ruleName: rule.name, state: 'resolved', value, summary, resolvedAt: now } };
}

function close(alert: Alert, rule: AlertRule | undefined, reason: string, now: number): AlertWrite {
  return {
    update: { ...alert, ruleName: rule?.name ?? alert.ruleName, state: 'resolved', summary: reason, resolvedAt: now },
  };
}

/** Why an open alert can no longer stand whatever its condition says; null when it can. */
function staleReason(alert: Alert, rule: AlertRule | undefined, goneReason: string): string | null {
  if (!rule) return goneReason;
  if (!rule.enabled) return closedBecause.disabled;
  if (rule.severity !== alert.severity) return `rule severity changed to ${rule.severity}`;
  return null;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Inputs for one pass: resources and checks are read at most once, and a failure is remembered for the pass. */
function onePass(inputs: ConditionInputs): ConditionInputs {
  return {
    resources: once(() => inputs.resources()),
    checks: once(() => inputs.checks()),
    countLogMatches: (patternId, sinceMs) => inputs.countLogMatches(patternId, sinceMs),
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
