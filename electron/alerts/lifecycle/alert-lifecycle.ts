import type { MaintenanceWindow, Silence } from '../../../shared/alert-lifecycle.js';
import type { Alert, AlertRule } from '../../../shared/alerts.js';
import type { LabelMatcher } from '../../../shared/label-matchers.js';
import type { Clock } from '../../core/clock.js';
import { CodedError } from '../../core/coded-error.js';
import type { EventPublisher } from '../../core/event-publisher.js';
import { compileMatchers } from '../../core/label-matchers.js';
import type { Logger } from '../../core/logger.js';
import type { AlertEngine } from '../alert-engine.js';
import { FleetValues } from './fleet-values.js';
import type { LifecycleAlertsRepository } from './lifecycle-alerts-repository.js';
import {
  alertLabels,
  checkSilence,
  checkWindow,
  isSilenced,
  type AlertLabels,
  type SilencedVerdict,
} from './silencing.js';

export interface AlertLifecycleOptions {
  repository: LifecycleAlertsRepository;
  engine: Pick<AlertEngine, 'resolveByHand' | 'rules'>;
  clock: Clock;
  events: EventPublisher;
  logger: Logger;
  /** This node: its id and labels are part of every alert's labels. */
  node: { id: string; labels: Readonly<Record<string, string>> };
}

/** Long waits for an ack to lapse are cut into steps, so a wall-clock step delays the lapse by at most this. */
const MAX_WAIT_MS = 60_000;

/** The one service a rule's signal names, if it names exactly one. */
function ruleService(rule: AlertRule | undefined): string | undefined {
  const signal: object | undefined = rule?.signal;
  const ids = signal && 'serviceIds' in signal && Array.isArray(signal.serviceIds) ? signal.serviceIds : [];
  return ids.length === 1 ? String(ids[0]) : undefined;
}

/**
 * What people do with this node's alerts: acknowledge (with an optional expiry that lapses by itself),
 * unacknowledge, resolve by hand; the silences and maintenance windows of the fleet in force here, and each alert's
 * timeline. Every change is stored with its timeline entry, then published as `alert.changed` with the whole alert.
 */
export class AlertLifecycle {
  readonly silences = new FleetValues<Silence>(checkSilence);
  readonly windows = new FleetValues<MaintenanceWindow>(checkWindow);
  private started = false;
  private cancelExpiry: (() => void) | null = null;

  constructor(private readonly options: AlertLifecycleOptions) {
    options.repository.silencedNow = (alert) => this.verdict(alert).silenced;
  }

  /** The labels silences, windows (and channel routes) match for this alert. */
  labelsOf(alert: Alert, rules = this.rulesById()): AlertLabels {
    const { node } = this.options;
    return alertLabels({
      labels: { ...node.labels, ...alert.labels },
      node: node.id,
      ruleId: alert.ruleId,
      severity: alert.severity,
      service: ruleService(rules.get(alert.ruleId)),
    });
  }

  /** Whether a silence or an open maintenance window silences the alert at `now`, and which. */
  verdict(alert: Alert, now = this.options.clock.now()): SilencedVerdict {
    return isSilenced(this.labelsOf(alert), now, this.silences.list(), this.windows.list());
  }

  acknowledge(id: number, by: string, { note, untilMs }: { note: string; untilMs?: number }): Alert {
    const now = this.options.clock.now();
    const alert = this.stored(id);
    if (alert.state === 'resolved')
      throw new CodedError('conflict', `alert ${id} is resolved: there is nothing to acknowledge`);
    if (untilMs !== undefined && untilMs <= now) {
      throw new CodedError('invalid_request', 'untilMs: must be in the future', [
        { path: 'untilMs', message: 'must be in the future' },
      ]);
    }
    const saved = this.options.repository.setAck(
      id,
      { by, at: now, note, untilMs: untilMs ?? null },
      { kind: 'acknowledged', actor: by, at: now, detail: note },
    );
    this.publish(saved);
    this.armExpiry();
    return saved;
  }

  unacknowledge(id: number, by: string): Alert {
    const alert = this.stored(id);
    if (!alert.acknowledged) return alert;
    const detail = `acknowledged by ${alert.acknowledged.by}`;
    const at = this.options.clock.now();
    const saved = this.options.repository.setAck(id, null, { kind: 'unacknowledged', actor: by, at, detail });
    this.publish(saved);
    this.armExpiry();
    return saved;
  }

  /**
   * Resolves an open alert by hand, where its condition no longer holds (the engine judges). A pending one is
   * discarded (it never fired): it is answered as it ended.
   */
  resolve(id: number, by: string): Alert {
    const alert = this.stored(id);
    if (alert.state === 'resolved') throw new CodedError('conflict', `alert ${id} is already resolved`);
    const ended = this.options.repository.withCause({ kind: 'manuallyResolved', actor: by }, () =>
      this.options.engine.resolveByHand(id, `resolved by hand by ${by}`),
    );
    this.armExpiry();
    return alert.firingAt === null ? ended : this.stored(id);
  }

  timeline(id: number) {
    this.stored(id);
    return this.options.repository.timeline(id);
  }

  /** The open alerts a silence with these matchers would silence at `at`. */
  preview(matchers: readonly LabelMatcher[], at = this.options.clock.now()): Alert[] {
    const matches = compileMatchers(matchers);
    const rules = this.rulesById();
    return this.options.repository
      .list({ state: 'open', limit: 1000 })
      .filter((alert) => matches(this.labelsOf(alert, rules)))
      .map((alert) => ({ ...alert, silenced: this.verdict(alert, at).silenced }));
  }

  /** Lapses acknowledgements whose time has come, now and whenever the next one is due. */
  start(): void {
    this.started = true;
    this.expireAcks();
  }

  stop(): void {
    this.started = false;
    this.cancelExpiry?.();
    this.cancelExpiry = null;
  }

  private expireAcks(): void {
    const now = this.options.clock.now();
    for (const alert of this.options.repository.acksDue(now)) {
      const detail = `acknowledged by ${alert.acknowledged?.by ?? '?'}`;
      try {
        this.publish(
          this.options.repository.setAck(alert.id, null, { kind: 'ackExpired', actor: null, at: now, detail }),
        );
      } catch (error) {
        this.options.logger.error({ err: error, alertId: alert.id }, 'lapsing an acknowledgement failed');
      }
    }
    this.armExpiry();
  }

  private armExpiry(): void {
    if (!this.started) return;
    this.cancelExpiry?.();
    this.cancelExpiry = null;
    const due = this.options.repository.nextAckDue();
    if (due === null) return;
    const wait = Math.min(Math.max(0, due - this.options.clock.now()), MAX_WAIT_MS);
    this.cancelExpiry = this.options.clock.setTimer(() => this.expireAcks(), wait);
  }

  private stored(id: number): Alert {
    const alert = this.options.repository.get(id);
    if (!alert) throw new CodedError('not_found', `no alert ${id} on this node`);
    return alert;
  }

  private rulesById(): Map<string, AlertRule> {
    return new Map(this.options.engine.rules().map(({ rule }) => [rule.id, rule]));
  }

  private publish(alert: Alert): void {
    try {
      this.options.events.publish({ type: 'alert.changed', data: alert });
    } catch (error) {
      this.options.logger.error({ err: error }, 'an alert listener failed');
    }
  }
}
