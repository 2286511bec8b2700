import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { ListedAlert } from '../../shared/fleet-alerts.js';
import { messageOf } from '../client/outcome.js';
import { foldCalls } from './fold-calls.js';

export type FleetAlertGrouping = 'none' | 'rule' | 'node';

export interface FleetAlertFilters {
  /** A node id, or all. */
  node: string;
  severity: string;
  state: 'all' | 'firing' | 'pending';
  acknowledged: 'all' | 'yes' | 'no';
  /** A service id (the alert's `service` label), or all. */
  service: string;
  /** `name=value` on the alert's labels (node, rule, severity and service among them); empty: any. */
  label: string;
}

export interface FleetAlertsState {
  alerts: ListedAlert[];
  loadedAt: number | null;
  error: string | null;
  filters: FleetAlertFilters;
  grouping: FleetAlertGrouping;
}

export interface FleetAlertsActions {
  /** Fetches the fleet's open alerts; a `fleetAlerts.changed` pushed meanwhile folds into one more fetch. */
  load(client: FleetdeckClient): Promise<void>;
  setFilters(filters: Partial<FleetAlertFilters>): void;
  setGrouping(grouping: FleetAlertGrouping): void;
}

export const fleetAlertsSelectors = {
  /** Alerts firing anywhere in the fleet (pending ones are not yet anyone's problem). */
  firing: (state: FleetAlertsState) => state.alerts.filter((alert) => alert.state === 'firing').length,
};

/** The most the fleet list asks for: enough for any fleet that is still operable. */
const fleetLimit = 1000;

export const initialFleetAlertsState: FleetAlertsState = {
  alerts: [],
  loadedAt: null,
  error: null,
  filters: { node: 'all', severity: 'all', state: 'all', acknowledged: 'all', service: 'all', label: '' },
  grouping: 'none',
};

/** Every node's open alerts, as they published them to the fleet, pushed live (`fleetAlerts.changed`). */
export const useFleetAlertsStore = create<FleetAlertsState & FleetAlertsActions>()((set) => ({
  ...initialFleetAlertsState,
  load: foldCalls(async (client: FleetdeckClient) => {
    try {
      const alerts = await client.call('alerts.list', { scope: 'fleet', state: 'open', limit: fleetLimit });
      set({ alerts, loadedAt: Date.now(), error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  }),
  setFilters: (filters) => set((state) => ({ filters: { ...state.filters, ...filters } })),
  setGrouping: (grouping) => set({ grouping }),
}));

/** `name=value` as typed; null while it is not one (then the filter is not applied, and the field says why). */
export function parseLabelFilter(text: string): { name: string; value: string } | null {
  const at = text.indexOf('=');
  if (at <= 0) return null;
  return { name: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
}

export function filterFleetAlerts(alerts: readonly ListedAlert[], filters: FleetAlertFilters): ListedAlert[] {
  const label = parseLabelFilter(filters.label);
  return alerts.filter(
    (alert) =>
      (filters.node === 'all' || alert.node === filters.node) &&
      (filters.severity === 'all' || alert.severity === filters.severity) &&
      (filters.state === 'all' || alert.state === filters.state) &&
      (filters.acknowledged === 'all' || (alert.acknowledged !== null) === (filters.acknowledged === 'yes')) &&
      (filters.service === 'all' || alert.labels['service'] === filters.service) &&
      (!label || alert.labels[label.name] === label.value),
  );
}

/** Alerts in groups of one rule or one node, the groups in the order their first alert is listed (newest first). */
export function groupFleetAlerts(
  alerts: readonly ListedAlert[],
  grouping: FleetAlertGrouping,
): Array<{ key: string; title: string; alerts: ListedAlert[] }> {
  if (grouping === 'none') return [{ key: 'all', title: '', alerts: [...alerts] }];
  const groups = new Map<string, { key: string; title: string; alerts: ListedAlert[] }>();
  for (const alert of alerts) {
    const key = grouping === 'rule' ? alert.ruleId : alert.node;
    const title = grouping === 'rule' ? alert.ruleName : alert.node;
    const group = groups.get(key) ?? { key, title, alerts: [] };
    group.alerts.push(alert);
    groups.set(key, group);
  }
  return [...groups.values()];
}
