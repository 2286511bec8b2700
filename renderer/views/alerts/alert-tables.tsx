import { useId } from 'react';
import type { Alert } from '../../../shared/alerts.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatUptime } from '../../format/duration.js';
import { formatAgo } from '../../format/time.js';
import { formatAlertValue, type ConditionKind } from './rule-draft.js';

const stateLabels: Record<Alert['state'], string> = { pending: 'Pending', firing: 'Firing', resolved: 'Resolved' };

export function AlertStateTag({ state }: { state: Alert['state'] }) {
  return (
    <span className={`badge alert-state alert-state-${state}`} data-state={state}>
      {stateLabels[state]}
    </span>
  );
}

/** How long an alert lasted (or has lasted so far). */
export const alertDuration = (alert: Alert, now: number) =>
  formatUptime(((alert.resolvedAt ?? now) - alert.startedAt) / 1000);

/** The columns both alert tables start with. */
function AlertHeadings() {
  return (
    <>
      <th scope="col">Severity</th>
      <th scope="col">Rule</th>
      <th scope="col">Summary</th>
      <th scope="col" className="numeric">
        Value
      </th>
      <th scope="col">State</th>
    </>
  );
}

function AlertCells({ alert, kinds }: { alert: Alert; kinds: ReadonlyMap<string, ConditionKind> }) {
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
      <td className="numeric">{formatAlertValue(alert.value, kinds.get(alert.ruleId))}</td>
      <td>
        <AlertStateTag state={alert.state} />
      </td>
    </>
  );
}

interface AlertTableProps {
  alerts: readonly Alert[];
  kinds: ReadonlyMap<string, ConditionKind>;
  now: number;
  /** Whose alerts these are, for the heading: "this node" or a member's name. */
  nodeName: string;
  loaded: boolean;
}

/** Pending and firing alerts, worst first, each with the value that raised it and since when. */
export function OpenAlertsTable({ alerts, kinds, now, nodeName, loaded }: AlertTableProps) {
  const headingId = useId();
  const rank = { critical: 0, warning: 1, info: 2 };
  const sorted = [...alerts].sort(
    (a, b) =>
      Number(b.state === 'firing') - Number(a.state === 'firing') ||
      rank[a.severity] - rank[b.severity] ||
      a.startedAt - b.startedAt,
  );
  return (
    <section className="card" aria-labelledby={headingId} data-testid="open-alerts">
      <header className="card-header">
        <h2 id={headingId}>Open alerts</h2>
        <span className="muted">
          {nodeName} · {alerts.length === 1 ? '1 open' : `${alerts.length} open`}
        </span>
      </header>
      {sorted.length === 0 ? (
        <p className="muted">{loaded ? 'Nothing is pending or firing.' : 'Loading…'}</p>
      ) : (
        <div className="table-scroll">
          <table className="alerts-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <AlertHeadings />
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((alert) => (
                <tr key={alert.id} data-testid={`open-alert-${alert.ruleId}`} data-state={alert.state}>
                  <AlertCells alert={alert} kinds={kinds} />
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Every alert of the node, newest first, with how long each lasted. */
export function AlertHistoryTable({ alerts, kinds, now, nodeName, loaded }: AlertTableProps) {
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId} data-testid="alert-history">
      <header className="card-header">
        <h2 id={headingId}>History</h2>
        <span className="muted">
          {nodeName} · newest first{alerts.length > 0 && `, ${alerts.length} shown`}
        </span>
      </header>
      {alerts.length === 0 ? (
        <p className="muted">{loaded ? 'No alerts yet.' : 'Loading…'}</p>
      ) : (
        <div className="table-scroll">
          <table className="alerts-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <AlertHeadings />
                <th scope="col">Started</th>
                <th scope="col">Resolved</th>
                <th scope="col" className="numeric">
                  Duration
                </th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => (
                <tr key={alert.id} data-testid={`history-alert-${alert.ruleId}`} data-state={alert.state}>
                  <AlertCells alert={alert} kinds={kinds} />
                  <td>
                    <Timestamp epochMs={alert.startedAt} />
                  </td>
                  <td>
                    {alert.resolvedAt === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <Timestamp epochMs={alert.resolvedAt} />
                    )}
                  </td>
                  <td className="numeric" data-testid="alert-duration">
                    {alertDuration(alert, now)}
                    {alert.resolvedAt === null && <span className="muted"> so far</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
