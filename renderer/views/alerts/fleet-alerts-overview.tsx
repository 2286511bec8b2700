import { alertSeveritiesWorstFirst, type OpenAlertCounts } from '../../../shared/alerts.js';
import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';
import type { Member } from '../../../shared/node.js';
import { configErrorsOf } from '../../fleet/config-errors.js';
import { formatCount } from '../../format/numbers.js';
import { alertRulesKind } from '../../stores/alerts-store.js';

const noCounts: OpenAlertCounts = { info: 0, warning: 0, critical: 0, emergency: 0 };
const severities = alertSeveritiesWorstFirst;
const severityHeaders = { emergency: 'Emergency', critical: 'Critical', warning: 'Warning', info: 'Info' };

const openTotal = (counts: OpenAlertCounts) => severities.reduce((total, severity) => total + counts[severity], 0);

/** Members with open alerts first (worst first), then by name. */
function byAlerts(a: Member, b: Member): number {
  const ca = a.summary?.openAlerts ?? noCounts;
  const cb = b.summary?.openAlerts ?? noCounts;
  for (const severity of severities) if (cb[severity] !== ca[severity]) return cb[severity] - ca[severity];
  return a.name.localeCompare(b.name);
}

interface FleetAlertsOverviewProps {
  members: readonly Member[];
  selfId: string | undefined;
  /** The member whose alerts are shown above; null: this node. */
  shownId: string | null;
  onShow(memberId: string | null): void;
}

/**
 * Firing alerts on every member (summaries do not count pending ones), from the summaries members publish
 * (no call to each of them), and the alert rules each one could not apply.
 */
export function FleetAlertsOverview({ members, selfId, shownId, onShow }: FleetAlertsOverviewProps) {
  const totals = members.reduce(
    (sum, member) => {
      const counts = member.summary?.openAlerts ?? noCounts;
      return {
        info: sum.info + counts.info,
        warning: sum.warning + counts.warning,
        critical: sum.critical + counts.critical,
        emergency: sum.emergency + counts.emergency,
      };
    },
    { ...noCounts },
  );
  return (
    <Card
      title="Across the fleet"
      count={
        <>
          {formatCount(openTotal(totals))} firing on{' '}
          {members.length === 1 ? '1 member' : `${formatCount(members.length)} members`}, from their published summaries
        </>
      }
      testId="fleet-alerts"
    >
      <DataTable
        className="alerts-table"
        scrollClassName="table-scroll fleet-alerts-scroll"
        columns={[
          'Node',
          ...severities.map((severity) => ({ header: severityHeaders[severity], className: 'numeric' })),
          'Alert rule errors',
          { header: 'Show', hiddenHeader: true },
        ]}
        empty={members.length === 0 && 'No members known yet.'}
      >
        {[...members].sort(byAlerts).map((member) => {
          const counts = member.summary?.openAlerts;
          const errors = configErrorsOf(member, alertRulesKind);
          const isSelf = member.id === selfId;
          const shown = isSelf ? shownId === null || shownId === member.id : shownId === member.id;
          return (
            <tr
              key={member.id}
              className={shown ? 'is-shown' : undefined}
              data-testid={`fleet-alerts-${member.id}`}
              data-open={counts ? openTotal(counts) : ''}
            >
              <td>
                {member.name}
                {isSelf && <span className="tag">this node</span>} <code className="muted">{member.id}</code>
              </td>
              {severities.map((severity) => (
                <td key={severity} className="numeric" data-testid={`count-${severity}`}>
                  {counts ? (
                    <span className={counts[severity] > 0 ? `count count-${severity}` : 'count muted'}>
                      {formatCount(counts[severity])}
                    </span>
                  ) : (
                    <span className="muted" title="This member has not published a summary yet">
                      —
                    </span>
                  )}
                </td>
              ))}
              <td data-testid="rule-errors">
                {errors.length === 0 ? (
                  <span className="muted">None</span>
                ) : (
                  <ul className="config-errors">
                    {errors.map((error) => (
                      <li key={error.id}>
                        <code>{error.id}</code>: <span className="field-error">{error.error}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {shown ? (
                  <span className="muted">Shown</span>
                ) : (
                  <button
                    type="button"
                    className="button"
                    onClick={() => onShow(isSelf ? null : member.id)}
                    aria-label={`Show alerts of ${member.name}`}
                  >
                    Show
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </Card>
  );
}
