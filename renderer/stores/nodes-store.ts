import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import { applyMemberChanges, type MemberChanges } from '../../shared/member-changes.js';
import type { Member, NodeStatus } from '../../shared/node.js';
import { messageOf } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';

export interface NodesStoreState {
  /** This node, as the agent the UI is connected to reports it. */
  self: NodeStatus | null;
  /** Local time `self` arrived: uptime ticks on from here, so a skewed agent clock does not matter. */
  selfReceivedAt: number | null;
  members: Member[];
  membersReceivedAt: number | null;
  loading: boolean;
  error: string | null;
}

export interface NodesStoreActions {
  /**
   * Fetches this node and the member list (unless `members: false`: the event stream brings it); live events that
   * arrived meanwhile win over the answers.
   */
  load(client: FleetdeckClient, options?: { members: boolean }): Promise<void>;
  statusReceived(status: NodeStatus): void;
  membersReceived(members: Member[]): void;
  membersChanged(changes: MemberChanges): void;
  reset(): void;
}

export const initialNodesState: NodesStoreState = {
  self: null,
  selfReceivedAt: null,
  members: [],
  membersReceivedAt: null,
  loading: false,
  error: null,
};

/** A performance mark set each time a whole member list is taken in. */
export const MEMBERS_RECEIVED_MARK = 'fleetdeck:members-received';

const isStale = (receivedAt: number | null, requestedAt: number) => receivedAt === null || receivedAt < requestedAt;

/** This node's status and the fleet's members, from `node.status` / `cluster.members` calls and events. */
export const useNodesStore = create<NodesStoreState & NodesStoreActions>()((set, get) => ({
  ...initialNodesState,

  async load(client, { members: withMembers } = { members: true }) {
    const requestedAt = Date.now();
    set({ loading: true });
    const [status, members] = await Promise.allSettled([
      client.call('node.status', {}),
      withMembers ? client.call('cluster.members', {}) : null,
    ]);
    const { selfReceivedAt, membersReceivedAt } = get();
    const receivedAt = Date.now();
    const failure = [status, members].find((outcome) => outcome.status === 'rejected');
    set({
      loading: false,
      error: failure ? messageOf(failure.reason) : null,
      ...(status.status === 'fulfilled' && isStale(selfReceivedAt, requestedAt)
        ? { self: status.value, selfReceivedAt: receivedAt }
        : {}),
      ...(members.status === 'fulfilled' && members.value !== null && isStale(membersReceivedAt, requestedAt)
        ? { members: members.value, membersReceivedAt: receivedAt }
        : {}),
    });
  },

  statusReceived: (status) => set({ self: status, selfReceivedAt: Date.now(), error: null }),

  membersReceived: (members) => {
    set({ members, membersReceivedAt: Date.now() });
    // For the topology bench: when a whole list (the stream's first event) was in the store, on the page's clock.
    performance.mark(MEMBERS_RECEIVED_MARK);
  },
  membersChanged: (changes) =>
    set((state) => ({ members: applyMemberChanges(state.members, changes), membersReceivedAt: Date.now() })),
  reset: () => set(initialNodesState),
}));

export const nodesSelectors = fieldSelectors(initialNodesState);
