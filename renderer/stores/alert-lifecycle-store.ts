import { create } from 'zustand';
import type { MaintenanceWindow, Silence, SilenceDraft, TimelineEntry } from '../../shared/alert-lifecycle.js';
import type { Alert, AlertSeverity } from '../../shared/alerts.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { FleetConfigKind } from '../../shared/node.js';
import { callOn } from '../client/call-member.js';
import { messageOf, outcomeOf, type Outcome } from '../client/outcome.js';
import { useAlertsStore } from './alerts-store.js';
import { fieldSelectors } from './field-selectors.js';
import { createFleetEntryStore } from './fleet-entry-store.js';

/** The silences saved for the whole fleet; a put sends the draft (the agent names the caller as creator). */
export const fleetSilences = createFleetEntryStore<Silence>(FleetConfigKind.enum.silences, {
  list: (client) => client.call('fleet.silences.list', {}),
  put: (client, { createdBy: _createdBy, ...draft }: Silence) => client.call('fleet.silences.put', { value: draft }),
  remove: (client, id) => client.call('fleet.silences.remove', { id }),
});

/** The maintenance windows saved for the whole fleet. */
export const fleetWindows = createFleetEntryStore<MaintenanceWindow>(FleetConfigKind.enum['maintenance-windows'], {
  list: (client) => client.call('fleet.maintenanceWindows.list', {}),
  put: (client, value) => client.call('fleet.maintenanceWindows.put', { value }),
  remove: (client, id) => client.call('fleet.maintenanceWindows.remove', { id }),
});

/** Which open alerts the list shows. */
export interface AlertFilters {
  severity: AlertSeverity | 'all';
  state: 'all' | 'pending' | 'firing';
  acknowledged: 'all' | 'yes' | 'no';
}

/** The alert whose detail panel is open, with its timeline. */
export interface AlertDetail {
  alertId: number;
  timeline: TimelineEntry[] | null;
  error: string | null;
}

/** What the silence editor starts from: a new draft (prefilled from an alert) or a stored silence. */
export type SilenceEditor = { draft: SilenceDraft } | null;

export interface AlertLifecycleState {
  filters: AlertFilters;
  detail: AlertDetail | null;
  silenceEditor: SilenceEditor;
}

export interface AlertLifecycleActions {
  setFilters(filters: Partial<AlertFilters>): void;
  /** Opens the detail panel of an alert of the shown node and fetches its timeline (null: closes it). */
  showDetail(client: FleetdeckClient, alertId: number | null): Promise<void>;
  acknowledge(client: FleetdeckClient, id: number, note: string, untilMs?: number): Promise<Outcome<Alert>>;
  unacknowledge(client: FleetdeckClient, id: number): Promise<Outcome<Alert>>;
  resolve(client: FleetdeckClient, id: number): Promise<Outcome<Alert>>;
  openSilenceEditor(draft: SilenceDraft): void;
  closeSilenceEditor(): void;
  reset(): void;
}

export const initialAlertLifecycleState: AlertLifecycleState = {
  filters: { severity: 'all', state: 'all', acknowledged: 'all' },
  detail: null,
  silenceEditor: null,
};

/** Acknowledge, unacknowledge, resolve, the detail panel with its timeline, the list's filters and the silence editor. */
export const useAlertLifecycleStore = create<AlertLifecycleState & AlertLifecycleActions>()((set, get) => {
  /** The shown member (null: this node): an alert lives on its own node, so every call goes there. */
  const memberId = () => useAlertsStore.getState().memberId;

  const fetchTimeline = async (client: FleetdeckClient, alertId: number) => {
    try {
      const timeline = await callOn(client, memberId(), 'alerts.timeline', { id: alertId });
      if (get().detail?.alertId === alertId) set({ detail: { alertId, timeline, error: null } });
    } catch (error) {
      if (get().detail?.alertId === alertId) set({ detail: { alertId, timeline: null, error: messageOf(error) } });
    }
  };

  /** Runs one change of an alert; its answer replaces the alert in the lists and the timeline is fetched again. */
  const change = (client: FleetdeckClient, call: () => Promise<Alert>) =>
    outcomeOf(async () => {
      const alert = await call();
      useAlertsStore.getState().alertAnswered(alert);
      if (get().detail?.alertId === alert.id) await fetchTimeline(client, alert.id);
      return alert;
    });

  return {
    ...initialAlertLifecycleState,

    setFilters: (filters) => set((state) => ({ filters: { ...state.filters, ...filters } })),

    async showDetail(client, alertId) {
      if (alertId === null) return set({ detail: null });
      set({ detail: { alertId, timeline: null, error: null } });
      await fetchTimeline(client, alertId);
    },

    acknowledge: (client, id, note, untilMs) =>
      change(client, () => callOn(client, memberId(), 'alerts.acknowledge', { id, note, untilMs })),
    unacknowledge: (client, id) => change(client, () => callOn(client, memberId(), 'alerts.unacknowledge', { id })),
    resolve: (client, id) => change(client, () => callOn(client, memberId(), 'alerts.resolve', { id })),

    openSilenceEditor: (draft) => set({ silenceEditor: { draft } }),
    closeSilenceEditor: () => set({ silenceEditor: null }),
    reset: () => set(initialAlertLifecycleState),
  };
});

export const alertLifecycleSelectors = fieldSelectors(initialAlertLifecycleState);

/** The open alerts the filters let through. */
export function filterAlerts(alerts: readonly Alert[], { severity, state, acknowledged }: AlertFilters): Alert[] {
  return alerts.filter(
    (alert) =>
      (severity === 'all' || alert.severity === severity) &&
      (state === 'all' || alert.state === state) &&
      (acknowledged === 'all' || (alert.acknowledged !== null) === (acknowledged === 'yes')),
  );
}

/** A silence for one alert: its node and rule, from now for two hours (the operator edits before saving). */
export function silenceDraftFor(alert: Alert, nodeId: string, now: number): SilenceDraft {
  return {
    matchers: [
      { name: 'node', op: '=', value: nodeId },
      { name: 'rule', op: '=', value: alert.ruleId },
    ],
    startsAt: now,
    endsAt: now + 2 * 3_600_000,
    comment: '',
  };
}
