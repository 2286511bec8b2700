import { NotifiedAlert } from '../../shared/alert-notice.js';
import type { Alert } from '../../shared/alerts.js';
import { MAX_RECORD_EVENTS, type FleetAlertEvent, type FleetAlertRecord } from '../../shared/fleet-alerts.js';

/** The fleet-wide id of a node's alert: `<node>/<local id>`. */
export const fleetAlertId = (node: string, localId: number) => `${node}/${localId}`;

/**
 * The record a node publishes after its alert changed: the alert as it is now, and the events since `previous`
 * (what it published last) that people are told of — it started firing, it was acknowledged, it resolved after
 * firing. Raised-and-resolved without ever firing tells nobody. Events are numbered on from the previous record's.
 * `labels` (the alert's own by default) are the ones silences and channel routes match on this node (the rule's, the
 * node's, `node`, `rule`, `severity`, `service`), so the leader judges the alert by the same labels as its node.
 */
export function nextRecord(
  node: string,
  alert: Alert,
  previous: FleetAlertRecord | undefined,
  labels: Readonly<Record<string, string>> = alert.labels,
): FleetAlertRecord {
  const before = previous?.alert;
  const events = [...(previous?.events ?? [])];
  const add = (transition: FleetAlertEvent['transition'], at: number) =>
    events.push({ seq: (events.at(-1)?.seq ?? 0) + 1, transition, at });
  const firedBefore = before?.firingAt != null;
  if (alert.firingAt !== null && !firedBefore) add('firing', alert.firingAt);
  const ack = alert.acknowledged;
  if (ack && ack.at !== before?.acknowledged?.at) add('acknowledged', ack.at);
  if (alert.state === 'resolved' && alert.firingAt !== null && before?.state !== 'resolved') {
    add('resolved', alert.resolvedAt ?? alert.firingAt);
  }
  return { alert: snapshot(node, alert, labels), events: events.slice(-MAX_RECORD_EVENTS) };
}

function snapshot(node: string, alert: Alert, labels: Readonly<Record<string, string>>): FleetAlertRecord['alert'] {
  const ack = alert.acknowledged;
  return {
    id: fleetAlertId(node, alert.id),
    localId: alert.id,
    ruleId: alert.ruleId,
    ruleName: alert.ruleName,
    severity: alert.severity,
    state: alert.state,
    summary: alert.summary,
    value: alert.value,
    firingValue: alert.firingValue,
    description: alert.description,
    node,
    labels: { ...labels },
    startedAt: alert.startedAt,
    firingAt: alert.firingAt,
    resolvedAt: alert.resolvedAt,
    acknowledged: ack,
    ...(ack ? { acknowledgedBy: ack.by } : {}),
  };
}

/** The alert as a notification of `event` shows it (the record's extra fields dropped): a late firing reads as firing. */
export function notifiedAlert(record: FleetAlertRecord, event: FleetAlertEvent): NotifiedAlert {
  const firing = event.transition === 'firing' ? { state: 'firing', resolvedAt: null } : {};
  return NotifiedAlert.parse({ ...record.alert, ...firing });
}
