import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import { applyMemberChanges, type MemberChanges } from '../../shared/member-changes.js';
import type { Member, NodeStatus, ResourcePoint } from '../../shared/node.js';
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
  /** This node's resources over the last hour: `node.resources` once, then every pushed sample appended. */
  resourceHistory: ResourcePoint[];
  /** Local time `node.resources` last answered; null until a view asked for the history. */
  resourceHistoryLoadedAt: number | null;
  resourceHistoryError: string | null;
}

export interface NodesStoreActions {
  /** Fetches this node and the member list; live events that arrived meanwhile win over the answers. */
  load(client: FleetdeckClient): Promise<void>;
  statusReceived(status: NodeStatus): void;
  membersReceived(members: Member[]): void;
  membersChanged(changes: MemberChanges): void;
  /** Fetches the last hour of resource samples, keeping pushed samples newer than the answer. */
  loadResourceHistory(client: FleetdeckClient): Promise<void>;
  reset(): void;
}

export const initialNodesState: NodesStoreState = {
  self: null,
  selfReceivedAt: null,
  members: [],
  membersReceivedAt: null,
  loading: false,
  error: null,
  resourceHistory: [],
  resourceHistoryLoadedAt: null,
  resourceHistoryError: null,
};

export const resourceWindowMs = 3_600_000;

/** A pushed sample as a history point, so live samples extend the fetched history. */
const pointOf = (status: NodeStatus): ResourcePoint | null =>
  status.resources && {
    at: status.resources.sampledAt,
    cpuPercent: status.resources.cpu.loadPercent,
    memoryUsedBytes: status.resources.memory.usedBytes,
    memoryTotalBytes: status.resources.memory.totalBytes,
    diskUsedBytes: status.resources.disk.usedBytes,
    diskTotalBytes: status.resources.disk.totalBytes,
    load1: status.resources.load.avg1,
    networkRxBytesPerSec: status.resources.network.rxBytesPerSec,
    networkTxBytesPerSec: status.resources.network.txBytesPerSec,
  };

/** Joins two time-ordered lists, later points winning on equal times, and drops what fell out of the window. */
function mergePoints(older: ResourcePoint[], newer: ResourcePoint[], now: number): ResourcePoint[] {
  const firstNew = newer[0]?.at ?? Infinity;
  return [...older.filter((p) => p.at < firstNew), ...newer].filter((p) => p.at >= now - resourceWindowMs);
}

const isStale = (receivedAt: number | null, requestedAt: number) => receivedAt === null || receivedAt < requestedAt;

/** This node's status and the fleet's members, from `node.status` / `cluster.members` calls and events. */
export const useNodesStore = create<NodesStoreState & NodesStoreActions>()((set, get) => ({
  ...initialNodesState,

  async load(client) {
    const requestedAt = Date.now();
    set({ loading: true });
    const [status, members] = await Promise.allSettled([
      client.call('node.status', {}),
      client.call('cluster.members', {}),
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
      ...(members.status === 'fulfilled' && isStale(membersReceivedAt, requestedAt)
        ? { members: members.value, membersReceivedAt: receivedAt }
        : {}),
    });
  },

  statusReceived: (status) =>
    set((state) => {
      const point = pointOf(status);
      const last = state.resourceHistory.at(-1);
      const append = point !== null && (last === undefined || point.at > last.at);
      return {
        self: status,
        selfReceivedAt: Date.now(),
        error: null,
        ...(append ? { resourceHistory: mergePoints(state.resourceHistory, [point], Date.now()) } : {}),
      };
    }),

  async loadResourceHistory(client) {
    const toMs = Date.now();
    try {
      const { points } = await client.call('node.resources', { fromMs: toMs - resourceWindowMs, toMs });
      set((state) => {
        const newest = points.at(-1)?.at ?? -1;
        const live = state.resourceHistory.filter((p) => p.at > newest);
        return {
          resourceHistory: mergePoints(points, live, Date.now()),
          resourceHistoryLoadedAt: Date.now(),
          resourceHistoryError: null,
        };
      });
    } catch (error) {
      set({ resourceHistoryError: messageOf(error) });
    }
  },

  membersReceived: (members) => set({ members, membersReceivedAt: Date.now() }),
  membersChanged: (changes) =>
    set((state) => ({ members: applyMemberChanges(state.members, changes), membersReceivedAt: Date.now() })),
  reset: () => set(initialNodesState),
}));

export const nodesSelectors = fieldSelectors(initialNodesState);
