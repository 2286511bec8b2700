import { useEffect } from 'react';
import { DEFAULT_FLEET_RULES, effectiveFleetRules, type FleetRule } from '../../../shared/fleet-rules.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DeleteEverywhere } from '../../components/confirm-delete.js';
import { DataTable } from '../../components/data-table.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { fleetRuleSettings, fleetRuleTypeLabels } from './fleet-rules-draft.js';
import { FleetRuleForm } from './fleet-rules-form.js';
import { fleetRuleEntries } from './fleet-rules-store.js';

const { useStore, selectors } = fleetRuleEntries;
const defaultIds = new Set(DEFAULT_FLEET_RULES.map((rule) => rule.id));

function FleetRuleRow({ rule, saved }: { rule: FleetRule; saved: boolean }) {
  const client = useClient();
  const openEditor = useStore((s) => s.openEditor);
  const remove = useStore((s) => s.remove);
  const edit = (
    <button type="button" className="button" onClick={() => openEditor({ mode: 'edit', id: rule.id })}>
      Edit
    </button>
  );
  const isDefault = defaultIds.has(rule.id);
  return (
    <tr data-testid={`fleet-rule-${rule.id}`}>
      <td>
        {rule.name}
        {rule.name !== fleetRuleTypeLabels[rule.type] && (
          <span className="muted"> ({fleetRuleTypeLabels[rule.type]})</span>
        )}
      </td>
      <td>{fleetRuleSettings(rule)}</td>
      <td>
        <SeverityBadge severity={rule.severity} />
      </td>
      <td>{rule.enabled ? 'Enabled' : 'Disabled'}</td>
      <td>{saved ? (isDefault ? 'Changed from default' : 'Saved') : 'Default'}</td>
      <td>
        {saved ? (
          <DeleteEverywhere
            id={rule.id}
            name={`fleet rule ${rule.id}`}
            question={isDefault ? 'Go back to the default everywhere?' : 'Delete from the whole fleet?'}
            remove={() => remove(client, rule.id)}
          >
            {edit}
          </DeleteEverywhere>
        ) : (
          edit
        )}
      </td>
    </tr>
  );
}

/**
 * Rules on the fleet as a whole — member down, split brain, quorum checks, dead letters — evaluated by the leader
 * only, each raising one alert for the whole fleet. The defaults show until a saved rule of the same id replaces
 * them; deleting that saved rule brings the default back.
 */
export function FleetRulesCard() {
  const client = useClient();
  const entries = useStore(selectors.entries);
  const error = useStore(selectors.error);
  const editor = useStore(selectors.editor);
  const openEditor = useStore((s) => s.openEditor);
  useEffect(() => void useStore.getState().load(client), [client]);

  const saved = (entries ?? []).flatMap((entry) => (entry.value ? [entry.value] : []));
  const savedIds = new Set(saved.map((rule) => rule.id));
  const rules = effectiveFleetRules(saved);
  const editing = editor?.mode === 'edit' ? rules.find((rule) => rule.id === editor.id) : undefined;
  const malformed = (entries ?? []).filter((entry) => entry.value === null);

  return (
    <Card
      className="fleet-rules"
      title="Fleet rules"
      description="Raised once for the whole fleet by the leader (node “fleet” in the alert list), never once per node."
      actions={
        <button type="button" className="button" onClick={() => openEditor({ mode: 'add' })}>
          Add fleet rule
        </button>
      }
      testId="fleet-rules"
      errorLead="Could not load the fleet rules"
      error={error}
      footer={
        <>
          {malformed.map((entry) => (
            <p key={entry.id} className="field-error">
              Fleet rule {entry.id} is malformed: {entry.problem ?? 'unreadable'}
            </p>
          ))}
          {editor?.mode === 'add' && <FleetRuleForm key="add" editing={null} />}
          {editing && <FleetRuleForm key={`edit-${editing.id}`} editing={editing} />}
        </>
      }
    >
      <DataTable
        columns={['Rule', 'Raised when', 'Severity', 'State', 'Source', { header: 'Actions', hiddenHeader: true }]}
        empty={entries === null && !error ? 'Loading…' : false}
      >
        {rules.map((rule) => (
          <FleetRuleRow key={rule.id} rule={rule} saved={savedIds.has(rule.id)} />
        ))}
      </DataTable>
    </Card>
  );
}
