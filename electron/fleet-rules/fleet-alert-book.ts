import { z } from 'zod';
import type { AlertAck } from '../../shared/alert-lifecycle.js';
import { AlertSeverity, AlertState, type Alert } from '../../shared/alerts.js';
import { FleetAlertRecord } from '../../shared/fleet-alerts.js';
import { FLEET_NODE } from '../../shared/fleet-rules.js';
import type { LeaderInfo } from '../../shared/node.js';
import { nextRecord } from '../alert-delivery/alert-record.js';
import { decodeValue } from '../cluster/codecs.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { fleetAlertKeys } from '../cluster/fleet-keys.js';
import { CodedError } from '../core/coded-error.js';
import type { Logger } from '../core/logger.js';
import { subjectOf, type FleetCondition } from './fleet-conditions.js';
import { fleetRuleKeys } from './fleet-rule-keys.js';

const NextAlertId = z.object({ next: z.number().int().positive() });

export interface FleetAlertBookDeps {
  backend: CoordinationBackend;
  logger: Logger;
  /** The leadership every write is fenced by: a deposed leader writes nothing. */
  token: LeaderInfo;
}

/**
 * The fleet alerts open now, as records of the reserved node in the coordination backend, which the leader's
 * notification pass tells like any node's. Loaded afresh by every leadership, so a new leader carries on the open
 * alerts (resolving them, never raising them twice); every write is fenced by the leadership that loaded it.
 */
export class FleetAlertBook {
  private constructor(
    private readonly deps: FleetAlertBookDeps,
    private readonly open: Map<string, FleetAlertRecord>,
    private nextId: number,
  ) {}

  static async load(deps: FleetAlertBookDeps): Promise<FleetAlertBook> {
    const { backend, logger } = deps;
    const [entries, counter] = await Promise.all([
      backend.list(fleetRuleKeys.records),
      backend.get(fleetRuleKeys.nextAlertId),
    ]);
    const open = new Map<string, FleetAlertRecord>();
    let nextId = (counter && decodeValue(NextAlertId, counter.key, counter.value, logger)?.next) ?? 1;
    for (const entry of entries) {
      const record = decodeValue(FleetAlertRecord, entry.key, entry.value, logger);
      if (!record || record.alert.node !== FLEET_NODE) continue;
      nextId = Math.max(nextId, record.alert.localId + 1);
      if (record.alert.state !== 'resolved') open.set(subjectOf(record.alert.ruleId, record.alert.labels), record);
    }
    return new FleetAlertBook(deps, open, nextId);
  }

  openSubjects(): string[] {
    return [...this.open.keys()];
  }

  /** Labels of the open alert about `subject`, if one is open. */
  labelsOf(subject: string): Record<string, string> | undefined {
    return this.open.get(subject)?.alert.labels;
  }

  /** Raises the alert for a condition that held since `startedAt`, firing now. */
  async raise(condition: FleetCondition, startedAt: number, now: number): Promise<void> {
    const id = this.nextId;
    await this.deps.backend.put(fleetRuleKeys.nextAlertId, JSON.stringify({ next: id + 1 }), {
      fence: this.deps.token,
    });
    this.nextId = id + 1;
    const alert: Alert = {
      id,
      ruleId: condition.rule.id,
      ruleName: condition.rule.name,
      severity: condition.severity,
      labels: condition.labels,
      state: 'firing',
      value: condition.value,
      firingValue: condition.value,
      summary: condition.summary,
      description: '',
      startedAt,
      firingAt: now,
      resolvedAt: null,
      acknowledged: null,
      silenced: false,
    };
    await this.write(condition.subject, nextRecord(FLEET_NODE, alert, undefined));
    this.deps.logger.warn({ alertId: `${FLEET_NODE}/${id}`, summary: condition.summary }, 'fleet alert raised');
  }

  /** Resolves the open alert about `subject`. */
  async resolve(subject: string, now: number): Promise<void> {
    const record = this.open.get(subject);
    if (!record) return;
    await this.write(
      subject,
      nextRecord(FLEET_NODE, { ...alertOf(record), state: 'resolved', resolvedAt: now }, record),
    );
    this.deps.logger.info({ alertId: record.alert.id }, 'fleet alert resolved');
  }

  /**
   * Acknowledges (or, with null, unacknowledges) the open fleet alert with this local id: the record's next event,
   * told like a node's acknowledgement, and reminders stop. `not_found` for an alert that is not open.
   */
  async acknowledge(localId: number, ack: AlertAck | null): Promise<FleetAlertRecord> {
    const found = [...this.open.entries()].find(([, record]) => record.alert.localId === localId);
    if (!found) throw new CodedError('not_found', `no open fleet alert ${localId}`);
    const [subject, record] = found;
    const next = nextRecord(FLEET_NODE, { ...alertOf(record), acknowledged: ack }, record);
    await this.write(subject, next);
    return next;
  }

  /** Acknowledgements whose `untilMs` has come, lapsed (unacknowledged). */
  async lapseAcks(now: number): Promise<void> {
    for (const record of [...this.open.values()]) {
      const untilMs = record.alert.acknowledged?.untilMs;
      if (untilMs != null && untilMs <= now) await this.acknowledge(record.alert.localId, null);
    }
  }

  private async write(subject: string, record: FleetAlertRecord): Promise<void> {
    await this.deps.backend.put(fleetAlertKeys.record(record.alert.id), JSON.stringify(record), {
      fence: this.deps.token,
    });
    if (record.alert.state === 'resolved') this.open.delete(subject);
    else this.open.set(subject, record);
  }
}

/** The alert a fleet record holds, as the record functions take it. */
function alertOf(record: FleetAlertRecord): Alert {
  const { localId, id: _id, node: _node, acknowledgedBy: _acknowledgedBy, ...rest } = record.alert;
  const severity = AlertSeverity.catch('critical').parse(rest.severity);
  return { ...rest, id: localId, severity, state: AlertState.catch('firing').parse(rest.state), silenced: false };
}
