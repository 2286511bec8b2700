import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { ClusterStatus } from '../../shared/node.js';
import { callOn } from '../client/call-member.js';
import { messageOf } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';

export interface ClusterStoreState {
  /** Backend, connection state, leader and fleet facts, as this node sees them; null until the first answer. */
  status: ClusterStatus | null;
  /** Local time `status` arrived. */
  receivedAt: number | null;
  loading: boolean;
  error: string | null;
}

export interface ClusterStoreActions {
  /** Fetches `cluster.status`; a pushed status that arrived meanwhile wins over the answer. */
  /**
   * Drops a down member from the fleet facts: the leader's call (`leaderId`; null when this node leads), then the
   * facts are read again at once (their pushed update follows). Throws what the leader answered.
   */
  forgetMember(client: FleetdeckClient, memberId: string, leaderId: string | null): Promise<void>;
  load(client: FleetdeckClient): Promise<void>;
  statusReceived(status: ClusterStatus): void;
  reset(): void;
}

export const initialClusterState: ClusterStoreState = {
  status: null,
  receivedAt: null,
  loading: false,
  error: null,
};

/** The coordination state of the fleet: `cluster.status` once, then every `cluster.status` event. */
export const useClusterStore = create<ClusterStoreState & ClusterStoreActions>()((set, get) => ({
  ...initialClusterState,

  async load(client) {
    const requestedAt = Date.now();
    set({ loading: true });
    try {
      const status = await client.call('cluster.status', {});
      const { receivedAt } = get();
      set({
        loading: false,
        error: null,
        ...(receivedAt === null || receivedAt < requestedAt ? { status, receivedAt: Date.now() } : {}),
      });
    } catch (error) {
      set({ loading: false, error: messageOf(error) });
    }
  },

  async forgetMember(client, memberId, leaderId) {
    await callOn(client, leaderId, 'cluster.members.forget', { id: memberId });
    await get().load(client);
  },

  statusReceived: (status) => set({ status, receivedAt: Date.now(), error: null }),
  reset: () => set(initialClusterState),
}));

export const clusterSelectors = {
  ...fieldSelectors(initialClusterState),
  leader: (state: ClusterStoreState) => state.status?.leader ?? null,
  facts: (state: ClusterStoreState) => state.status?.facts ?? null,
  /** More than one member acting as leader at once. */
  splitBrain: (state: ClusterStoreState) => (state.status?.leaderClaims.length ?? 0) > 1,
};
