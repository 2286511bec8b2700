import type { ListedAlert } from '../../../shared/fleet-alerts.js';
import { alertLogsRoute, logsHref } from '../logs/logs-route.js';
import { FLEET_NODE } from '../../../shared/fleet-rules.js';
import { callOn } from '../../client/call-member.js';
import { useClient } from '../../client/client-context.js';
import { outcomeOf } from '../../client/outcome.js';
import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatAgo } from '../../format/time.js';
import {
  filterFleetAlerts,
  groupFleetAlerts,
  parseLabelFilter,
  useFleetAlertsStore,
  type FleetAlertGrouping,
} from '../../stores/fleet-alerts-store.js';
import { useAlertAction } from './alert-actions.js';
import { ackOptions, severityOptions, stateOptions } from './alert-filters.js';
import { alertColumns, AlertCells, byUrgency } from './alert-tables.js';

const noKinds = new Map();

const groupingOptions = [
  { value: 'none', label: 'No grouping' },
  { value: 'rule', label: 'By rule' },
  { value: 'node', label: 'By node' },
] as const satisfies ReadonlyArray<{ value: FleetAlertGrouping; label: string }>;

/**
 * Every node's pending and firing alerts in one list, live (each node publishes its alerts to the fleet, and a
 * change is pushed as `fleetAlerts.changed`). Acting on one shows it on its node, where the detail panel has
 * acknowledge, silence and resolve; fleet rules' alerts (node `fleet`) belong to no member.
 */
export function FleetOpenAlerts({
  now,
  nodeName,
  onShow,
  leaderId,
  selfId,
}: {
  now: number;
  /** A node id as people know it (its name, else its id). */
  nodeName(id: string): string;
  /** Shows the alert on its node, with its detail panel open. */
  onShow(alert: ListedAlert): void;
  /** Who acknowledges the fleet rules' alerts (node `fleet`): the leader. */
  leaderId: string | null;
  selfId: string | undefined;
}) {
  const { alerts, loadedAt, error, filters, grouping } = useFleetAlertsStore();
  const { setFilters, setGrouping } = useFleetAlertsStore.getState();
  const nodes = [...new Set(alerts.map((alert) => alert.node))].sort();
  const services = [...new Set(alerts.flatMap((alert) => alert.labels['service'] ?? []))].sort();
  const shown = filterFleetAlerts(alerts, filters).sort(byUrgency);
  const groups = groupFleetAlerts(shown, grouping);
  const labelProblem =
    filters.label !== '' && !parseLabelFilter(filters.label) ? 'Write it as name=value, e.g. service=api' : undefined;
  const count = `${alerts.length} open${shown.length !== alerts.length ? `, ${shown.length} shown` : ''}`;

  return (
    <Card
      title="Open across the fleet"
      count={count}
      testId="fleet-open-alerts"
      errorLead="Could not load the fleet’s alerts"
      error={error}
      loading={loadedAt === null && alerts.length === 0}
    >
      <div className="toolbar alert-filters" role="group" aria-label="Filter the fleet’s alerts">
        <SelectField
          label="Node"
          value={filters.node}
          options={[{ value: 'all', label: 'Any node' }, ...nodes.map((id) => ({ value: id, label: nodeName(id) }))]}
          onChange={(node) => setFilters({ node })}
        />
        <SelectField
          label="Severity"
          value={filters.severity}
          options={severityOptions}
          onChange={(severity) => setFilters({ severity })}
        />
        <SelectField
          label="Service"
          value={filters.service}
          options={[{ value: 'all', label: 'Any service' }, ...services.map((id) => ({ value: id, label: id }))]}
          onChange={(service) => setFilters({ service })}
        />
        <SelectField
          label="State"
          value={filters.state}
          options={stateOptions}
          onChange={(state) => setFilters({ state })}
        />
        <SelectField
          label="Acknowledged"
          value={filters.acknowledged}
          options={ackOptions}
          onChange={(acknowledged) => setFilters({ acknowledged })}
        />
        <TextField
          label="Label"
          value={filters.label}
          placeholder="service=api"
          error={labelProblem}
          onChange={(label) => setFilters({ label })}
        />
        <SelectField<FleetAlertGrouping>
          label="Group"
          value={grouping}
          options={groupingOptions}
          onChange={setGrouping}
        />
      </div>
      <DataTable
        className="alerts-table"
        columns={['Node', 'Service', ...alertColumns, 'Since', { header: 'Actions', hiddenHeader: true }]}
        empty={
          shown.length === 0 &&
          (alerts.length === 0 ? 'Nothing is pending or firing anywhere.' : 'No open alert passes the filters.')
        }
      >
        {groups.map((group) => [
          grouping !== 'none' && (
            <tr key={`group-${group.key}`} className="alert-group-row">
              <th colSpan={alertColumns.length + 4} scope="rowgroup">
                {grouping === 'node' ? nodeName(group.title) : group.title}{' '}
                <span className="muted">({group.alerts.length})</span>
              </th>
            </tr>
          ),
          ...group.alerts.map((alert) => (
            <tr key={`${alert.node}/${alert.id}`} data-testid={`fleet-alert-${alert.node}-${alert.ruleId}`}>
              <td>{nodeName(alert.node)}</td>
              <td>{alert.labels['service'] ?? <span className="muted">—</span>}</td>
              <AlertCells alert={alert} kinds={noKinds} />
              <td>
                <Timestamp epochMs={alert.firingAt ?? alert.startedAt} />{' '}
                <span className="muted">({formatAgo(alert.firingAt ?? alert.startedAt, now)})</span>
              </td>
              <td>
                {alert.node === FLEET_NODE ? (
                  <FleetAlertAck alert={alert} leaderId={leaderId} selfId={selfId} />
                ) : (
                  <span className="row-actions">
                    <button
                      type="button"
                      className="button"
                      aria-label={`Open ${alert.ruleName} on ${nodeName(alert.node)}`}
                      onClick={() => onShow(alert)}
                    >
                      Open on its node
                    </button>
                    <a
                      className="button"
                      aria-label={`Log lines around ${alert.ruleName} on ${nodeName(alert.node)}`}
                      href={logsHref(alertLogsRoute(alert, undefined, alert.node === selfId ? null : alert.node))}
                    >
                      Log lines
                    </a>
                  </span>
                )}
              </td>
            </tr>
          )),
        ])}
      </DataTable>
    </Card>
  );
}

/** Acknowledge or unacknowledge an alert of the fleet rules: the leader holds those, so the call goes there. */
function FleetAlertAck({
  alert,
  leaderId,
  selfId,
}: {
  alert: ListedAlert;
  leaderId: string | null;
  selfId: string | undefined;
}) {
  const client = useClient();
  const { busy, refusal, run } = useAlertAction();
  if (!leaderId) return <span className="muted">No leader to acknowledge with</span>;
  const target = leaderId === selfId ? null : leaderId;
  const act = (method: 'fleet.alerts.acknowledge' | 'fleet.alerts.unacknowledge') =>
    run(async () => {
      const outcome = await outcomeOf(() => callOn(client, target, method, { id: alert.id }));
      if (outcome.ok) void useFleetAlertsStore.getState().load(client);
      return outcome;
    });
  return (
    <div className="alert-actions">
      <button
        type="button"
        className="button"
        disabled={busy}
        aria-label={`${alert.acknowledged ? 'Unacknowledge' : 'Acknowledge'} ${alert.ruleName} (the fleet)`}
        onClick={() => void act(alert.acknowledged ? 'fleet.alerts.unacknowledge' : 'fleet.alerts.acknowledge')}
      >
        {alert.acknowledged ? 'Unacknowledge' : 'Acknowledge'}
      </button>
      {refusal && (
        <p className="field-error" role="alert">
          {refusal}
        </p>
      )}
    </div>
  );
}
