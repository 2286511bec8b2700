import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { NodeStatus } from '../../shared/node.js';
import { callOn } from '../client/call-member.js';
import { messageOf } from '../client/outcome.js';
import { useClusterStore } from './cluster-store.js';
import { fieldSelectors } from './field-selectors.js';

/** A member's own `node.status`, asked through `cluster.call` (its agent answers). */
export interface MemberStatus {
  memberId: string;
  status: NodeStatus | null;
  loading: boolean;
  error: string | null;
}

export interface MemberDetailsStoreState {
  /** The member whose details are open in the Nodes view. */
  selectedId: string | null;
  /** The selected member's status, for its resources. */
  asked: MemberStatus | null;
  /** The down member being forgotten now. */
  forgetting: string | null;
  forgetError: string | null;
}

export interface MemberDetailsStoreActions {
  /** Opens a member's details (null closes them). */
  select(id: string | null): void;
  /** Asks the member for its `node.status`; an answer for a member no longer selected is dropped. */
  loadStatus(client: FleetdeckClient, memberId: string): Promise<void>;
  /**
   * Drops a down member from the fleet facts: the leader's call (`leaderId`, or null when this node leads). The facts
   * are read again at once; their pushed update follows.
   */
  forget(client: FleetdeckClient, memberId: string, leaderId: string | null): Promise<void>;
  reset(): void;
}

export const initialMemberDetailsState: MemberDetailsStoreState = {
  selectedId: null,
  asked: null,
  forgetting: null,
  forgetError: null,
};

/** Which member's details the Nodes view shows, what its agent said about itself, and forgetting a down one. */
export const useMemberDetailsStore = create<MemberDetailsStoreState & MemberDetailsStoreActions>()((set, get) => ({
  ...initialMemberDetailsState,

  select: (selectedId) => set({ selectedId, asked: null }),

  async loadStatus(client, memberId) {
    const previous = get().asked;
    const kept = previous?.memberId === memberId ? previous.status : null;
    set({ asked: { memberId, status: kept, loading: true, error: null } });
    let outcome: Pick<MemberStatus, 'status' | 'error'>;
    try {
      outcome = { status: await callOn(client, memberId, 'node.status', {}), error: null };
    } catch (error) {
      outcome = { status: kept, error: messageOf(error) };
    }
    if (get().selectedId === memberId) set({ asked: { memberId, loading: false, ...outcome } });
  },

  async forget(client, memberId, leaderId) {
    set({ forgetting: memberId, forgetError: null });
    try {
      await useClusterStore.getState().forgetMember(client, memberId, leaderId);
      set((state) => ({
        forgetting: null,
        ...(state.selectedId === memberId ? { selectedId: null, asked: null } : {}),
      }));
    } catch (error) {
      set({ forgetting: null, forgetError: messageOf(error) });
    }
  },

  reset: () => set(initialMemberDetailsState),
}));

export const memberDetailsSelectors = fieldSelectors(initialMemberDetailsState);
