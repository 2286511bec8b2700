import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { NodeStatus, ResourcePoint } from '../../shared/node.js';
import { messageOf } from '../client/outcome.js';
import { defaultTimeRangeMs } from '../components/time-ranges.js';
import { fieldSelectors } from './field-selectors.js';

export interface ResourceHistoryState {
  /** How far back the charts look. */
  rangeMs: number;
  /** This node's resources over `rangeMs`: `node.resources` once, then pushed samples appended. */
  points: ResourcePoint[];
  /** Local time `node.resources` last answered; null until a view asked for the history. */
  loadedAt: number | null;
  error: string | null;
}

export interface ResourceHistoryActions {
  /** Fetches the range's samples, keeping pushed samples newer than the answer. */
  load(client: FleetdeckClient): Promise<void>;
  /**
   * Shows another range: its samples are fetched (the agent averages long ranges per minute or coarser), the
   * previous range's points staying on screen until they arrive.
   */
  selectRange(client: FleetdeckClient, rangeMs: number): Promise<void>;
  statusReceived(status: NodeStatus): void;
}

export const initialResourceHistoryState: ResourceHistoryState = {
  rangeMs: defaultTimeRangeMs,
  points: [],
  loadedAt: null,
  error: null,
};

/** The agent answers a range with at most this many points; live samples are thinned to the same density. */
const POINTS_PER_RANGE = 2000;

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

/** Joins two time-ordered lists, later points winning on equal times, and drops what fell out of the range. */
function mergePoints(older: ResourcePoint[], newer: ResourcePoint[], fromMs: number): ResourcePoint[] {
  const firstNew = newer[0]?.at ?? Infinity;
  return [...older.filter((p) => p.at < firstNew), ...newer].filter((p) => p.at >= fromMs);
}

/** Bumped on every fetch, so the answer for a range no longer shown is dropped. */
let generation = 0;

/** This node's resource history for the Nodes view's charts, over the range the operator picked. */
export const useResourceHistoryStore = create<ResourceHistoryState & ResourceHistoryActions>()((set, get) => ({
  ...initialResourceHistoryState,

  async load(client) {
    const asked = ++generation;
    const { rangeMs } = get();
    const toMs = Date.now();
    try {
      const { points } = await client.call('node.resources', { fromMs: toMs - rangeMs, toMs });
      if (asked !== generation) return;
      set((state) => {
        // Pushed while the answer was on its way; what was shown before (another range's points) is replaced.
        const newest = Math.max(toMs, points.at(-1)?.at ?? -1);
        const live = state.points.filter((p) => p.at > newest);
        return { points: mergePoints(points, live, Date.now() - rangeMs), loadedAt: Date.now(), error: null };
      });
    } catch (error) {
      if (asked === generation) set({ error: messageOf(error) });
    }
  },

  async selectRange(client, rangeMs) {
    if (rangeMs === get().rangeMs) return;
    set({ rangeMs });
    await get().load(client);
  },

  statusReceived: (status) =>
    set((state) => {
      const point = pointOf(status);
      const last = state.points.at(-1);
      // A week at one sample every 2 s would be 300,000 points: keep the fetched answer's density.
      const minStepMs = state.rangeMs / POINTS_PER_RANGE;
      if (point === null || (last !== undefined && point.at - last.at < minStepMs)) return state;
      return { points: mergePoints(state.points, [point], Date.now() - state.rangeMs) };
    }),
}));

export const resourceHistorySelectors = fieldSelectors(initialResourceHistoryState);
