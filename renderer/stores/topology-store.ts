import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { ServiceState } from '../../shared/services.js';
import { callOn } from '../client/call-member.js';
import { messageOf } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';

/** How the map groups nodes: not at all, by role, by health, or by the value of one label key. */
export type TopologyGrouping = { by: 'none' } | { by: 'role' } | { by: 'health' } | { by: 'label'; key: string };

/** One member's services, fetched on demand through `cluster.call` (its own agent answers). */
export interface MemberServices {
  services: ServiceState[] | null;
  loading: boolean;
  error: string | null;
  /** Local time of the last answer. */
  loadedAt: number | null;
}

export interface TopologyStoreState {
  selectedId: string | null;
  /** Free text matched against names and ids; matches are highlighted on the map. */
  search: string;
  /** `key=value` terms, comma-separated; nodes that do not match are left off the map. */
  labelFilter: string;
  grouping: TopologyGrouping;
  /** Keyed by member id. */
  services: Record<string, MemberServices>;
}

export interface TopologyStoreActions {
  select(id: string | null): void;
  setSearch(search: string): void;
  setLabelFilter(labelFilter: string): void;
  setGrouping(grouping: TopologyGrouping): void;
  /** Asks the member for `services.list` through this agent; the newest request for a member wins. */
  loadServices(client: FleetdeckClient, memberId: string): Promise<void>;
  reset(): void;
}

export const initialTopologyState: TopologyStoreState = {
  selectedId: null,
  search: '',
  labelFilter: '',
  grouping: { by: 'none' },
  services: {},
};

/** Sequence number of the newest request per member, so a slow old answer cannot overwrite a newer one. */
const latestRequest = new Map<string, number>();
let requestCounter = 0;

/** What the Topology view shows and which node's details are open. */
export const useTopologyStore = create<TopologyStoreState & TopologyStoreActions>()((set) => {
  const patch = (memberId: string, next: (previous: MemberServices | undefined) => MemberServices) =>
    set((state) => ({ services: { ...state.services, [memberId]: next(state.services[memberId]) } }));

  return {
    ...initialTopologyState,

    select: (selectedId) => set({ selectedId }),
    setSearch: (search) => set({ search }),
    setLabelFilter: (labelFilter) => set({ labelFilter }),
    setGrouping: (grouping) => set({ grouping }),

    async loadServices(client, memberId) {
      const request = ++requestCounter;
      latestRequest.set(memberId, request);
      patch(memberId, (previous) => ({
        services: previous?.services ?? null,
        loading: true,
        error: null,
        loadedAt: previous?.loadedAt ?? null,
      }));
      let outcome: { services: ServiceState[] } | { error: string };
      try {
        outcome = { services: await callOn(client, memberId, 'services.list', {}) };
      } catch (error) {
        outcome = { error: messageOf(error) };
      }
      if (latestRequest.get(memberId) !== request) return;
      patch(memberId, (previous) =>
        'services' in outcome
          ? { services: outcome.services, loading: false, error: null, loadedAt: Date.now() }
          : {
              services: previous?.services ?? null,
              loading: false,
              error: outcome.error,
              loadedAt: previous?.loadedAt ?? null,
            },
      );
    },

    reset() {
      latestRequest.clear();
      set(initialTopologyState);
    },
  };
});

export const topologySelectors = {
  ...fieldSelectors(initialTopologyState),
  services: (memberId: string | null) => (state: TopologyStoreState) =>
    memberId === null ? null : (state.services[memberId] ?? null),
};
