import type { ReactNode } from 'react';
import type { Alert } from '../../../shared/alerts.js';
import { Card } from '../../components/card.js';
import { DataTable, type ColumnSpec } from '../../components/data-table.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { StateBadge, type Tone } from '../../components/state-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatUptime } from '../../format/duration.js';
import { formatAgo } from '../../format/time.js';
import { AlertLifecycleBadges } from './alert-lifecycle-badges.js';
import type { AlertSignal } from '../../../shared/alert-signals.js';
import { formatAlertValue } from './rule-draft.js';
import './alert-lifecycle.css';

const stateLabels: Record<Alert['state'], string> = { pending: 'Pending', firing: 'Firing', resolved: 'Resolved' };

/** Firing is broken, pending needs a look; resolved, or a rule not firing, is fine. */
export const alertStateTones: Record<Alert['state'] | 'inactive', Tone> = {
  firing: 'broken',
  pending: 'warning',
  resolved: 'good',
  inactive: 'good',
};

export function AlertStateTag({ state }: { state: Alert['state'] }) {
  return (
    <StateBadge kind="alert-state" state={state} tone={alertStateTones[state]}>
      {stateLabels[state]}
    </StateBadge>
  );
}

/** How long an alert lasted (or has lasted so far). */
export const alertDuration = (alert: Alert, now: number) =>
  formatUptime(((alert.resolvedAt ?? now) - alert.startedAt) / 1000);

/** The columns both alert tables start with. */
export const alertColumns: readonly ColumnSpec[] = [
  'Severity',
  'Rule',
  'Summary',
  { header: 'Value', className: 'numeric' },
  'State',
];

/**
 * The value an alert's row shows: the rule's value now while the alert is open (when known: `valueNow`), else the
 * value at its last change; and the value that fired it, when it fired.
 */
function AlertValueCell({ alert, signal, valueNow }: { alert: Alert; signal?: AlertSignal; valueNow?: number | null }) {
  const open = alert.state !== 'resolved';
  const shown = open && valueNow !== undefined ? valueNow : alert.value;
  return (
    <td className="numeric" data-testid="alert-value">
      <span title={open ? 'Value now' : 'Value when it resolved'}>{formatAlertValue(shown, signal)}</span>
      {alert.firingValue !== null && (
        <span className="muted alert-fired-value"> fired at {formatAlertValue(alert.firingValue, signal)}</span>
      )}
    </td>
  );
}

export function AlertCells({
  alert,
  kinds,
  valuesNow,
}: {
  alert: Alert;
  kinds: ReadonlyMap<string, AlertSignal>;
  /** The value of each rule at its last evaluation, by rule id (the shown node's rules). */
  valuesNow?: ReadonlyMap<string, number | null>;
}) {
  return (
    <>
      <td>
        <SeverityBadge severity={alert.severity} />
      </td>
      <td>
        <div className="alert-rule-cell">
          <span className="alert-rule-name">{alert.ruleName}</span>
          <code className="muted">{alert.ruleId}</code>
        </div>
      </td>
      <td>{alert.summary}</td>
      <AlertValueCell alert={alert} signal={kinds.get(alert.ruleId)} valueNow={valuesNow?.get(alert.ruleId)} />
      <td>
        <div className="alert-state-cell">
          <AlertStateTag state={alert.state} />
          <AlertLifecycleBadges alert={alert} />
        </div>
      </td>
    </>
  );
}

interface AlertTableProps {
  alerts: readonly Alert[];
  kinds: ReadonlyMap<string, AlertSignal>;
  now: number;
  /** Whose alerts these are, for the heading: "this node" or a member's name. */
  nodeName: string;
  loaded: boolean;
}

interface OpenAlertsTableProps extends AlertTableProps {
  /** The value of each rule at its last evaluation, by rule id. */
  valuesNow: ReadonlyMap<string, number | null>;
  /** How many open alerts there are before the filters. */
  total: number;
  /** The filters, above the table. */
  filters: ReactNode;
  /** Acknowledge, silence, resolve and details for one alert. */
  actions(alert: Alert): ReactNode;
}

const severityRank = { emergency: 0, critical: 1, warning: 2, info: 3 };

/** Firing before pending, then the worst severity, then the oldest. */
export const byUrgency = (a: Alert, b: Alert) =>
  Number(b.state === 'firing') - Number(a.state === 'firing') ||
  severityRank[a.severity] - severityRank[b.severity] ||
  a.startedAt - b.startedAt;

/** Pending and firing alerts, worst first, each with its value now, the value that fired it and since when. */
export function OpenAlertsTable({
  alerts,
  kinds,
  now,
  nodeName,
  loaded,
  total,
  filters,
  actions,
  valuesNow,
}: OpenAlertsTableProps) {
  const sorted = [...alerts].sort(byUrgency);
  return (
    <Card
      title="Open alerts"
      count={`${nodeName} · ${total === 1 ? '1 open' : `${total} open`}${total !== alerts.length ? `, ${alerts.length} shown` : ''}`}
      testId="open-alerts"
      loading={!loaded && sorted.length === 0}
    >
      {filters}
      <DataTable
        className="alerts-table"
        columns={[...alertColumns, 'Since', { header: 'Actions', hiddenHeader: true }]}
        empty={
          sorted.length === 0 && (total === 0 ? 'Nothing is pending or firing.' : 'No open alert passes the filters.')
        }
      >
        {sorted.map((alert) => (
          <tr key={alert.id} data-testid={`open-alert-${alert.ruleId}`} data-state={alert.state}>
            <AlertCells alert={alert} kinds={kinds} valuesNow={valuesNow} />
            <td>
              <Timestamp epochMs={alert.firingAt ?? alert.startedAt} />{' '}
              <span className="muted">({formatAgo(alert.firingAt ?? alert.startedAt, now)})</span>
              {alert.firingAt !== null && alert.firingAt !== alert.startedAt && (
                <span className="muted alert-started">
                  {' '}
                  pending from <Timestamp epochMs={alert.startedAt} />
                </span>
              )}
            </td>
            <td>{actions(alert)}</td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

/** Every alert of the node, newest first, with how long each lasted. */
export function AlertHistoryTable({
  alerts,
  kinds,
  now,
  nodeName,
  loaded,
  onDetails,
}: AlertTableProps & { onDetails(alert: Alert): void }) {
  return (
    <Card
      title="History"
      count={`${nodeName} · newest first${alerts.length > 0 ? `, ${alerts.length} shown` : ''}`}
      testId="alert-history"
      loading={!loaded && alerts.length === 0}
    >
      <DataTable
        className="alerts-table"
        columns={[
          ...alertColumns,
          'Started',
          'Resolved',
          { header: 'Duration', className: 'numeric' },
          { header: 'Actions', hiddenHeader: true },
        ]}
        empty={alerts.length === 0 && 'No alerts yet.'}
      >
        {alerts.map((alert) => (
          <tr key={alert.id} data-testid={`history-alert-${alert.ruleId}`} data-state={alert.state}>
            <AlertCells alert={alert} kinds={kinds} />
            <td>
              <Timestamp epochMs={alert.startedAt} />
            </td>
            <td>
              {alert.resolvedAt === null ? <span className="muted">—</span> : <Timestamp epochMs={alert.resolvedAt} />}
            </td>
            <td className="numeric" data-testid="alert-duration">
              {alertDuration(alert, now)}
              {alert.resolvedAt === null && <span className="muted"> so far</span>}
            </td>
            <td>
              <button
                type="button"
                className="button"
                aria-label={`Details and timeline of ${alert.ruleName} #${alert.id}`}
                onClick={() => onDetails(alert)}
              >
                Details
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
