import { useEffect } from 'react';
import type { Alert } from '../../../shared/alerts.js';
import type { ListedAlert } from '../../../shared/fleet-alerts.js';
import { FLEET_NODE } from '../../../shared/fleet-rules.js';
import { useClient } from '../../client/client-context.js';
import { ErrorNotice } from '../../components/card.js';
import { NodePicker } from '../../components/node-picker.js';
import { ViewPage } from '../../components/view-page.js';
import { useNow } from '../../hooks/use-now.js';
import {
  alertLifecycleSelectors,
  filterAlerts,
  fleetSilences,
  fleetWindows,
  silenceDraftFor,
  useAlertLifecycleStore,
} from '../../stores/alert-lifecycle-store.js';
import { alertsSelectors, fleetRules, useAlertsStore } from '../../stores/alerts-store.js';
import { clusterSelectors, useClusterStore } from '../../stores/cluster-store.js';
import { useFleetAlertsStore } from '../../stores/fleet-alerts-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { AlertRowActions } from './alert-actions.js';
import { AlertDeliveries } from './alert-deliveries.js';
import { AlertDetailPanel } from './alert-detail.js';
import { AlertFiltersBar } from './alert-filters.js';
import { AlertHistoryTable, OpenAlertsTable } from './alert-tables.js';
import { ChannelsCard } from './channels-card.js';
import { FleetAlertsOverview } from './fleet-alerts-overview.js';
import { FleetOpenAlerts } from './fleet-open-alerts.js';
import { FleetRulesCard } from './fleet-rules-card.js';
import { MaintenanceWindowsCard } from './maintenance-windows-card.js';
import { RuleForm } from './rule-form.js';
import { describeCondition, describeFor, ruleSignals } from './rule-draft.js';
import { RulePreviewPanel } from './rule-preview.js';
import { RulesTable } from './rules-table.js';
import { SilenceForm } from './silence-form.js';
import { SilencesCard } from './silences-card.js';
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
    void useFleetAlertsStore.getState().load(client);
    void fleetRules.useStore.getState().load(client);
    void fleetSilences.useStore.getState().load(client);
    void fleetWindows.useStore.getState().load(client);
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
  const leader = useClusterStore(clusterSelectors.leader);
  const memberId = useAlertsStore(alertsSelectors.memberId);
  const node = useAlertsStore(alertsSelectors.node);
  const rules = fleetRules.useStore(fleetRules.selectors.entries);
  const rulesError = fleetRules.useStore(fleetRules.selectors.error);
  const editor = fleetRules.useStore(fleetRules.selectors.editor);
  const editing = fleetRules.useStore(fleetRules.selectors.editing);
  const selectMember = useAlertsStore((s) => s.selectMember);
  const openEditor = fleetRules.useStore((s) => s.openEditor);
  const filters = useAlertLifecycleStore(alertLifecycleSelectors.filters);
  const detail = useAlertLifecycleStore(alertLifecycleSelectors.detail);
  const silenceEditor = useAlertLifecycleStore(alertLifecycleSelectors.silenceEditor);
  const { showDetail, openSilenceEditor } = useAlertLifecycleStore.getState();

  const shown = memberId === null ? undefined : members.find((m) => m.id === memberId);
  const nodeName = memberId === null ? `${self?.name ?? 'this node'} (this node)` : (shown?.name ?? memberId);
  const kinds = ruleSignals(node.rules);
  const valuesNow = new Map(node.rules.map((state) => [state.rule.id, state.value]));
  const loaded = node.loadedAt !== null;
  const show = (id: string | null) => {
    void showDetail(client, null);
    void selectMember(client, id === self?.id ? null : id);
  };
  const showOnItsNode = async (alert: ListedAlert) => {
    await selectMember(client, alert.node === self?.id ? null : alert.node);
    await showDetail(client, alert.id);
  };
  const shownNodeId = memberId ?? self?.id ?? '';
  const silence = (alert: Alert) => openSilenceEditor(silenceDraftFor(alert, shownNodeId, now));
  const detailAlert =
    detail && (node.open.find((a) => a.id === detail.alertId) ?? node.history.find((a) => a.id === detail.alertId));
  /** The rule that raised it, when still in force here: what it judges, and its samples replayed. */
  const detailRule = detailAlert && node.rules.find((state) => state.rule.id === detailAlert.ruleId)?.rule;

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

      <FleetOpenAlerts
        now={now}
        nodeName={(id) => {
          if (id === FLEET_NODE) return 'The fleet';
          return id === self?.id ? `${self.name} (this node)` : (members.find((m) => m.id === id)?.name ?? id);
        }}
        onShow={(alert) => void showOnItsNode(alert)}
        leaderId={leader?.id ?? null}
        selfId={self?.id}
      />
      <OpenAlertsTable
        alerts={filterAlerts(node.open, filters)}
        total={node.open.length}
        filters={<AlertFiltersBar />}
        actions={(alert) => (
          <AlertRowActions
            alert={alert}
            onDetails={() => void showDetail(client, alert.id)}
            onSilence={() => silence(alert)}
          />
        )}
        kinds={kinds}
        valuesNow={valuesNow}
        now={now}
        nodeName={nodeName}
        loaded={loaded}
      />
      {detailAlert && (
        <AlertDetailPanel
          key={detailAlert.id}
          alert={detailAlert}
          signal={kinds.get(detailAlert.ruleId)}
          valueNow={valuesNow.get(detailAlert.ruleId)}
          onSilence={() => silence(detailAlert)}
        >
          {detailRule && (
            <>
              <h3 className="form-section-title">Rule</h3>
              <p data-testid="alert-detail-rule">
                <strong>{detailRule.name}</strong>: {describeCondition(detailRule)}, fires {describeFor(detailRule)}
              </p>
              <RulePreviewPanel rule={detailRule} memberId={memberId} />
            </>
          )}
          <h3 className="form-section-title">Notifications</h3>
          <AlertDeliveries
            alertId={`${shownNodeId}/${detailAlert.id}`}
            leaderId={leader?.id ?? null}
            selfId={self?.id}
            version={`${detailAlert.state}/${detailAlert.acknowledged?.at ?? ''}`}
          />
        </AlertDetailPanel>
      )}
      {silenceEditor && <SilenceForm key={JSON.stringify(silenceEditor.draft)} draft={silenceEditor.draft} />}
      <SilencesCard now={now} />
      <MaintenanceWindowsCard now={now} />
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
      <FleetRulesCard />
      <AlertHistoryTable
        alerts={node.history}
        kinds={kinds}
        now={now}
        nodeName={nodeName}
        loaded={loaded}
        onDetails={(alert) => void showDetail(client, alert.id)}
      />
      <ChannelsCard />
    </ViewPage>
  );
}
