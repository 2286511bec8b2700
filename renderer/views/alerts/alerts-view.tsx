import { useEffect } from 'react';
import { useClient } from '../../client/client-context.js';
import { NodePicker } from '../../components/node-picker.js';
import { ViewPage } from '../../components/view-page.js';
import { useNow } from '../../hooks/use-now.js';
import { alertsSelectors, useAlertsStore } from '../../stores/alerts-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { AlertHistoryTable, OpenAlertsTable } from './alert-tables.js';
import { FleetAlertsOverview } from './fleet-alerts-overview.js';
import { RuleForm } from './rule-form.js';
import { conditionKinds } from './rule-draft.js';
import { RulesTable } from './rules-table.js';
import './alerts-view.css';

/**
 * Rule states carry the last evaluated value, which changes without an event, and a fleet rule this node refuses
 * brings no `fleetConfig.changed`; so the open view asks this often.
 */
const refreshMs = 5000;

/** Fetches while the view is open, applies this node's pushed alert changes, and refetches on fleet rule changes. */
function useAlertsLive() {
  const client = useClient();
  useEffect(() => {
    const store = useAlertsStore.getState();
    void store.load(client);
    void store.loadFleetRules(client);
    const timer = setInterval(() => {
      void useAlertsStore.getState().load(client);
      void useAlertsStore.getState().loadFleetRules(client);
    }, refreshMs);
    const unsubscribe = client.subscribe((event) => {
      if (event.type === 'alert.changed') useAlertsStore.getState().alertChanged(client, event.data);
      else if (event.type === 'fleetConfig.changed')
        useAlertsStore.getState().fleetConfigChanged(client, event.data.kind);
    });
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [client]);
}

export function AlertsView() {
  useAlertsLive();
  const client = useClient();
  const now = useNow(5000);
  const self = useNodesStore(nodesSelectors.self);
  const members = useNodesStore(nodesSelectors.members);
  const memberId = useAlertsStore(alertsSelectors.memberId);
  const node = useAlertsStore(alertsSelectors.node);
  const fleetRules = useAlertsStore(alertsSelectors.fleetRules);
  const fleetRulesError = useAlertsStore(alertsSelectors.fleetRulesError);
  const editor = useAlertsStore(alertsSelectors.editor);
  const editing = useAlertsStore(alertsSelectors.editing);
  const selectMember = useAlertsStore((s) => s.selectMember);
  const openEditor = useAlertsStore((s) => s.openEditor);

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

      {node.error && (
        <p className="notice notice-error" role="alert">
          Could not load the alerts of {nodeName}: {node.error}
        </p>
      )}
      {fleetRulesError && (
        <p className="notice notice-error" role="alert">
          Could not load the fleet’s alert rules: {fleetRulesError}
        </p>
      )}

      <OpenAlertsTable alerts={node.open} kinds={kinds} now={now} nodeName={nodeName} loaded={loaded} />
      <FleetAlertsOverview members={members} selfId={self?.id} shownId={memberId} onShow={show} />

      {editor?.mode === 'add' && <RuleForm key="add" editing={null} />}
      {editing?.value && <RuleForm key={`edit-${editing.id}`} editing={editing.value} />}
      <RulesTable
        rules={node.rules}
        fleetRules={fleetRules}
        nodeName={nodeName}
        loaded={loaded}
        now={now}
        onEdit={(id) => openEditor({ mode: 'edit', id })}
      />
      <AlertHistoryTable alerts={node.history} kinds={kinds} now={now} nodeName={nodeName} loaded={loaded} />
    </ViewPage>
  );
}
