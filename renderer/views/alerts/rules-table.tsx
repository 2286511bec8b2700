import type { AlertRule, AlertRuleState } from '../../../shared/alerts.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DeleteEverywhere } from '../../components/confirm-delete.js';
import { DataTable } from '../../components/data-table.js';
import { LabelsList } from '../../components/labels-list.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { StateBadge } from '../../components/state-badge.js';
import { formatAgo } from '../../format/time.js';
import { fleetRules, type FleetRuleEntry } from '../../stores/alerts-store.js';
import { SourceBadge } from '../../components/source-badge.js';
import { alertStateTones } from './alert-tables.js';
import { describeCondition, describeFor, formatAlertValue } from './rule-draft.js';

/**
 * A rule row: in force on the shown node (with its state), or stored for the fleet but not in force there as
 * the fleet's (malformed, refused by that node, or shadowed by a config-file rule of the same id).
 */
type RuleRow =
  | { key: string; id: string; inForce: AlertRuleState; stored: FleetRuleEntry | undefined }
  | { key: string; id: string; inForce: undefined; stored: FleetRuleEntry };

const stateLabels: Record<AlertRuleState['state'], string> = {
  inactive: 'Inactive',
  pending: 'Pending',
  firing: 'Firing',
};

function RuleState({ row, shadowed, now }: { row: RuleRow; shadowed: boolean; now: number }) {
  if (!row.inForce) {
    return (
      <span className="muted" data-state="absent">
        {row.stored.problem ? 'Malformed' : 'Not in force here'}
        {shadowed && ': this node’s config file has a rule of this id'}
      </span>
    );
  }
  const { state, rule, value, lastEvaluatedAt } = row.inForce;
  return (
    <span className="rule-state">
      <StateBadge kind="alert-state" state={state} tone={alertStateTones[state]}>
        {rule.enabled ? stateLabels[state] : 'Disabled'}
      </StateBadge>
      <span className="muted">
        {formatAlertValue(value, rule.signal)}
        {lastEvaluatedAt !== null && `, ${formatAgo(lastEvaluatedAt, now)}`}
      </span>
    </span>
  );
}

function RuleActions({ row, onEdit }: { row: RuleRow; onEdit(id: string): void }) {
  const client = useClient();
  const removeRule = fleetRules.useStore((s) => s.remove);
  if (row.inForce?.source === 'config') {
    return <span className="muted">Config file, read-only</span>;
  }
  if (!row.stored) return <span className="muted">Fleet rule being withdrawn</span>;
  return (
    <div className="rule-actions">
      <DeleteEverywhere
        id={row.id}
        name={row.id}
        question="Delete from every agent?"
        remove={() => removeRule(client, row.id)}
      >
        {row.stored.value && (
          <button type="button" className="button" onClick={() => onEdit(row.id)}>
            Edit
          </button>
        )}
      </DeleteEverywhere>
    </div>
  );
}

function RuleCells({ rule }: { rule: AlertRule }) {
  return (
    <>
      <td>
        <div className="alert-rule-cell">
          <span className="alert-rule-name">{rule.name}</span>
          <code className="muted">{rule.id}</code>
          {rule.description && <span className="muted rule-description">{rule.description}</span>}
          {Object.keys(rule.labels).length > 0 && <LabelsList labels={rule.labels} />}
        </div>
      </td>
      <td>
        {describeCondition(rule)}
        <span className="muted">, fires {describeFor(rule)}</span>
      </td>
      <td>
        <SeverityBadge severity={rule.severity} />
      </td>
    </>
  );
}

interface RulesTableProps {
  rules: readonly AlertRuleState[];
  fleetRules: readonly FleetRuleEntry[];
  nodeName: string;
  loaded: boolean;
  now: number;
  onEdit(id: string): void;
}

/**
 * The rules in force on the shown node with their state, and the fleet's stored rules that are not (yet) in
 * force there. Fleet rules can be edited and deleted; config-file rules only in the node's config.
 */
export function RulesTable({ rules, fleetRules, nodeName, loaded, now, onEdit }: RulesTableProps) {
  const stored = new Map(fleetRules.map((entry) => [entry.id, entry]));
  const configIds = new Set(rules.filter((state) => state.source === 'config').map((state) => state.rule.id));
  const rows: RuleRow[] = [
    ...rules.map((state) => ({
      key: `${state.source}:${state.rule.id}`,
      id: state.rule.id,
      inForce: state,
      stored: state.source === 'fleet' ? stored.get(state.rule.id) : undefined,
    })),
    ...fleetRules
      .filter((entry) => !rules.some((state) => state.source === 'fleet' && state.rule.id === entry.id))
      .map((entry) => ({ key: `stored:${entry.id}`, id: entry.id, inForce: undefined, stored: entry })),
  ].sort((a, b) => a.id.localeCompare(b.id) || a.key.localeCompare(b.key));

  return (
    <Card
      title="Rules"
      count={`in force on ${nodeName}, and every rule saved for the fleet`}
      testId="alert-rules"
      loading={!loaded && rows.length === 0}
    >
      <DataTable
        className="alerts-table rules-table"
        columns={[
          'Rule',
          'Condition',
          'Severity',
          'State, last value',
          'Source',
          { header: 'Actions', hiddenHeader: true },
        ]}
        empty={rows.length === 0 && 'No alert rules yet. Add one for the whole fleet.'}
      >
        {rows.map((row) => {
          const rule = row.inForce?.rule ?? row.stored?.value ?? null;
          return (
            <tr key={row.key} data-testid={`rule-${row.id}`} data-source={row.inForce?.source ?? 'fleet'}>
              {rule ? (
                <RuleCells rule={rule} />
              ) : (
                <>
                  <td>
                    <code>{row.id}</code>
                  </td>
                  <td colSpan={2}>
                    <span className="field-error">{row.stored?.problem ?? 'Malformed'}</span>
                  </td>
                </>
              )}
              <td>
                <RuleState row={row} shadowed={!row.inForce && configIds.has(row.id)} now={now} />
              </td>
              <td>
                <SourceBadge source={row.inForce?.source ?? 'fleet'} />
              </td>
              <td>
                <RuleActions row={row} onEdit={onEdit} />
              </td>
            </tr>
          );
        })}
      </DataTable>
    </Card>
  );
}
