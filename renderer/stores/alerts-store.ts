import { create } from 'zustand';
import type { Alert, AlertRule, AlertRuleState } from '../../shared/alerts.js';
import type { FleetdeckClient } from '../../shared/client.js';
import type { DefinitionSource } from '../../shared/log-patterns.js';
import { FleetConfigKind } from '../../shared/node.js';
import { callOn } from '../client/call-member.js';
import { messageOf } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';
import type { FleetEntry } from './fleet-entries.js';
import { createFleetEntryStore } from './fleet-entry-store.js';
import { foldCalls } from './fold-calls.js';
import { logPatternsKind } from './log-patterns-store.js';

/** The kind `fleetConfig.changed` and member config errors name for alert rules. */
export const alertRulesKind = FleetConfigKind.enum['alert-rules'];

/** The alert rules saved for the whole fleet, and the rule editor. */
export const fleetRules = createFleetEntryStore<AlertRule>(alertRulesKind, {
  list: (client) => client.call('fleet.alertRules.list', {}),
  put: (client, value) => client.call('fleet.alertRules.put', { value }),
  remove: (client, id) => client.call('fleet.alertRules.remove', { id }),
});

/** One node's alerts and rules: this node's, or another member's fetched through `cluster.call`. */
export interface NodeAlerts {
  open: Alert[];
  /** Newest first, resolved ones included. */
  history: Alert[];
  rules: AlertRuleState[];
  /** Local time of the last complete answer; null until one arrived. */
  loadedAt: number | null;
  loading: boolean;
  error: string | null;
}

/** A rule stored for the whole fleet; a malformed stored value comes with its problem instead. */
export type FleetRuleEntry = FleetEntry<AlertRule>;

/** A log pattern id the rule editor offers, from the fleet's patterns and those in force on this node. */
export interface PatternOption {
  id: string;
  name: string;
  source: DefinitionSource;
}

export interface AlertsStoreState {
  /** Whose alerts are shown: another member's id, or null for the node this window is connected to. */
  memberId: string | null;
  node: NodeAlerts;
  patternOptions: PatternOption[];
}

export interface AlertsStoreActions {
  /** Fetches open alerts, history and rules of the shown node; calls made meanwhile fold into one more fetch. */
  load(client: FleetdeckClient): Promise<void>;
  /** Shows another member's alerts (null: this node's) and fetches them. */
  selectMember(client: FleetdeckClient, memberId: string | null): Promise<void>;
  /** The log pattern ids a log-pattern condition may name: the fleet's and this node's config file's. */
  loadPatternOptions(client: FleetdeckClient): Promise<void>;
  /**
   * A pushed `alert.changed` of this node, applied at once. The event carries the alert, not the rule's state
   * (pending, firing, its last value), so the rule states alone are fetched again.
   */
  alertChanged(client: FleetdeckClient, alert: Alert): void;
  /** An alert of the shown node as an acknowledge, unacknowledge or resolve answered it (any member's). */
  alertAnswered(alert: Alert): void;
  /** A pushed `fleetConfig.changed` (it names the entry, not its value): refetches what that kind affects. */
  fleetConfigChanged(client: FleetdeckClient, kind: string): void;
  reset(): void;
}

const emptyNode: NodeAlerts = { open: [], history: [], rules: [], loadedAt: null, loading: false, error: null };

export const initialAlertsState: AlertsStoreState = {
  memberId: null,
  node: emptyNode,
  patternOptions: [],
};

/** How much history the view shows. */
export const historyLimit = 100;

/** New alerts first; an alert already listed is replaced where it is. */
function upsertAlert(list: readonly Alert[], alert: Alert): Alert[] {
  return list.some((a) => a.id === alert.id) ? list.map((a) => (a.id === alert.id ? alert : a)) : [alert, ...list];
}

/** Bumped whenever the shown node changes, so an answer about the previous one is dropped. */
let generation = 0;

/** What the Alerts view shows: one node's alerts and rules, the fleet's stored rules, and the rule editor. */
export const useAlertsStore = create<AlertsStoreState & AlertsStoreActions>()((set, get) => {
  const fetchNode = async (client: FleetdeckClient) => {
    const requested = generation;
    const { memberId } = get();
    set((state) => ({ node: { ...state.node, loading: true } }));
    try {
      const [open, history, rules] = await Promise.all([
        callOn(client, memberId, 'alerts.list', { state: 'open' }),
        callOn(client, memberId, 'alerts.list', { state: 'all', limit: historyLimit }),
        callOn(client, memberId, 'alerts.rules.list', {}),
      ]);
      if (requested !== generation) return;
      set({ node: { open, history, rules, loadedAt: Date.now(), loading: false, error: null } });
    } catch (error) {
      if (requested !== generation) return;
      set((state) => ({ node: { ...state.node, loading: false, error: messageOf(error) } }));
    }
  };

  const foldedFetchNode = foldCalls(fetchNode);

  const foldedFetchRules = foldCalls(async (client: FleetdeckClient) => {
    const requested = generation;
    try {
      const rules = await client.call('alerts.rules.list', {});
      if (requested === generation) set((state) => ({ node: { ...state.node, rules } }));
    } catch (error) {
      if (requested === generation) set((state) => ({ node: { ...state.node, error: messageOf(error) } }));
    }
  });

  return {
    ...initialAlertsState,

    load: foldedFetchNode,

    async selectMember(client, memberId) {
      if (memberId === get().memberId) return;
      generation += 1;
      set({ memberId, node: emptyNode });
      // A fetch for the previous node may be under way: its answer is dropped, and this one runs after it.
      await get().load(client);
    },

    async loadPatternOptions(client) {
      const [fleet, inForce] = await Promise.allSettled([
        client.call('fleet.logPatterns.list', {}),
        client.call('logs.patterns.list', {}),
      ]);
      const options = new Map<string, PatternOption>();
      if (inForce.status === 'fulfilled') {
        for (const { pattern, source } of inForce.value) {
          options.set(pattern.id, { id: pattern.id, name: pattern.name, source });
        }
      }
      if (fleet.status === 'fulfilled') {
        for (const { id, value } of fleet.value) {
          if (!options.has(id)) options.set(id, { id, name: value?.name ?? id, source: 'fleet' });
        }
      }
      set({ patternOptions: [...options.values()].sort((a, b) => a.id.localeCompare(b.id)) });
    },

    alertChanged(client, alert) {
      // Events are this node's; another member's alerts arrive with the view's refresh.
      if (get().memberId !== null) return;
      get().alertAnswered(alert);
      if (get().node.loadedAt !== null) void foldedFetchRules(client);
    },

    alertAnswered(alert) {
      const others = (list: readonly Alert[]) => list.filter((a) => a.id !== alert.id);
      // Resolved without a firing time: a pending alert that ended, deleted by its node.
      const discarded = alert.state === 'resolved' && alert.firingAt === null;
      set((state) => ({
        node: {
          ...state.node,
          open: alert.state === 'resolved' ? others(state.node.open) : upsertAlert(state.node.open, alert),
          history: discarded
            ? others(state.node.history)
            : upsertAlert(state.node.history, alert).slice(0, historyLimit),
        },
      }));
    },

    fleetConfigChanged(client, kind) {
      if (get().node.loadedAt === null) return;
      if (kind === alertRulesKind) void get().load(client);
      else if (kind === logPatternsKind) void get().loadPatternOptions(client);
    },

    reset() {
      foldedFetchNode.forgetAgain();
      foldedFetchRules.forgetAgain();
      generation += 1;
      set(initialAlertsState);
    },
  };
});

export const alertsSelectors = fieldSelectors(initialAlertsState);
