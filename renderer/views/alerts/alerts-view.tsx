import { useEffect } from 'react';
import { useClient } from '../../client/client-context.js';
import { ErrorNotice } from '../../components/card.js';
import { NodePicker } from '../../components/node-picker.js';
import { ViewPage } from '../../components/view-page.js';
import { useNow } from '../../hooks/use-now.js';
import { alertsSelectors, fleetRules, useAlertsStore } from '../../stores/alerts-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { AlertHistoryTable, OpenAlertsTable } from './alert-tables.js';
import { FleetAlertsOverview } from './fleet-alerts-overview.js';
import { RuleForm } from './rule-form.js';
import { conditionKinds } from './rule-draft.js';
import { RulesTable } from './rules-table.js';
import './alerts-view.css';

/**
 * Rule states carry the last evaluated value, which changes without an event, and another member's alerts are
 * not pushed to this window at all; so the open view asks for the shown node's alerts this often. The fleet's
 * rules are not polled: `fleetConfig.changed` reaches the event router for every change.
 */
const refreshMs = 5000;

/** Fetches while the view is open and polls the shown node; the event router applies what is pushed. */
function useAlertsRefresh() {
  const client = useClient();
  useEffect(() => {
    void useAlertsStore.getState().load(client);
    void fleetRules.useStore.getState().load(client);
    const timer = setInterval(() => void useAlertsStore.getState().load(client), refreshMs);
    return () => clearInterval(timer);
  }, [client]);
}

export function AlertsView() {
  useAlertsRefresh();
  const client = useClient();
  const now = useNow(5000);
  const self = useNodesStore(nodesSelectors.self);
  const members = useNodesStore(nodesSelectors.members);
  const memberId = useAlertsStore(alertsSelectors.memberId);
  const node = useAlertsStore(alertsSelectors.node);
  const rules = fleetRules.useStore(fleetRules.selectors.entries);
  const rulesError = fleetRules.useStore(fleetRules.selectors.error);
  const editor = fleetRules.useStore(fleetRules.selectors.editor);
  const editing = fleetRules.useStore(fleetRules.selectors.editing);
  const selectMember = useAlertsStore((s) => s.selectMember);
  const openEditor = fleetRules.useStore((s) => s.openEditor);

  const shown = memberId === null ? undefined : members.find((m) => m.id === memberId);
  const nodeName = memberId === null ? `${self?.name ?? 'this node'} (this node)` : (shown?.name ?? memberId);
  const kinds = conditionKinds(node.rules);
  const loaded = node.loadedAt !== null;
  const show = (id: string | null) => void selectMember(client, id === self?.id ? null : id);

  return (
    <ViewPage
      title="Alerts"
      lead="Open alerts, their history and the rules that raise them, live; and how many are open on each node."
    >
      <div className="toolbar alerts-toolbar" role="toolbar" aria-label="Alert actions">
        <NodePicker members={members} selfId={self?.id} selfName={self?.name} memberId={memberId} onChange={show} />
        <button type="button" className="button button-primary" onClick={() => openEditor({ mode: 'add' })}>
          Add rule for the whole fleet
        </button>
      </div>

      <ErrorNotice lead={`Could not load the alerts of ${nodeName}`} error={node.error} />
      <ErrorNotice lead="Could not load the fleet’s alert rules" error={rulesError} />

      <OpenAlertsTable alerts={node.open} kinds={kinds} now={now} nodeName={nodeName} loaded={loaded} />
      <FleetAlertsOverview members={members} selfId={self?.id} shownId={memberId} onShow={show} />

      {editor?.mode === 'add' && <RuleForm key="add" editing={null} />}
      {editing?.value && <RuleForm key={`edit-${editing.id}`} editing={editing.value} />}
      <RulesTable
        rules={node.rules}
        fleetRules={rules ?? []}
        nodeName={nodeName}
        loaded={loaded}
        now={now}
        onEdit={(id) => openEditor({ mode: 'edit', id })}
      />
      <AlertHistoryTable alerts={node.history} kinds={kinds} now={now} nodeName={nodeName} loaded={loaded} />
    </ViewPage>
  );
}
