import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type {
  LogMatch,
  LogPattern,
  LogPatternState,
  LogSourceState,
  PatternTestResult,
} from '../../shared/log-patterns.js';
import { FleetConfigKind } from '../../shared/node.js';
import { callOn } from '../client/call-member.js';
import { messageOf, outcomeOf, type Outcome } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';
import type { FleetEntry } from './fleet-entries.js';
import { createFleetEntryStore } from './fleet-entry-store.js';
import { foldCalls } from './fold-calls.js';

/** The kind fleet-wide log patterns carry in `fleetConfig.changed` events and in members' config errors. */
export const logPatternsKind = FleetConfigKind.enum['log-patterns'];

/** One fleet pattern as stored: its value, or why the stored value is unusable. */
export type FleetPatternEntry = FleetEntry<LogPattern>;

/** The log patterns saved for the whole fleet, and the pattern editor. */
export const fleetPatterns = createFleetEntryStore<LogPattern>(logPatternsKind, {
  list: (client) => client.call('fleet.logPatterns.list', {}),
  put: (client, value) => client.call('fleet.logPatterns.put', { value }),
  remove: (client, id) => client.call('fleet.logPatterns.remove', { id }),
});

/** The log side of one node: patterns in force, sources, and the matched lines loaded so far (newest first). */
export interface NodeLogs {
  patterns: LogPatternState[] | null;
  patternsError: string | null;
  sources: LogSourceState[] | null;
  sourcesError: string | null;
  matches: LogMatch[];
  /** False until the first page of matches arrived for the current node and filter. */
  matchesLoaded: boolean;
  matchesError: string | null;
  /** The last page was full, so older matches may exist. */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** Local time of the last answer, for "updated …". */
  receivedAt: number | null;
}

export interface LogPatternsStoreState {
  /** The member whose logs are shown; null is the agent this window is connected to. */
  memberId: string | null;
  /** Matched lines of this pattern only; null for all. */
  patternFilter: string | null;
  node: NodeLogs;
}

export interface LogPatternsStoreActions {
  /** Shows another member's logs (null: this node) and loads them. */
  selectMember(client: FleetdeckClient, memberId: string | null): Promise<void>;
  setPatternFilter(client: FleetdeckClient, patternId: string | null): Promise<void>;
  /** Patterns, sources and the newest matches of the shown node; calls made meanwhile fold into one more. */
  loadNode(client: FleetdeckClient): Promise<void>;
  /** The page of matches before the oldest one shown. */
  loadOlder(client: FleetdeckClient): Promise<void>;
  /** Tries a regex on sample lines on the connected agent, without saving anything. */
  test(
    client: FleetdeckClient,
    request: { regex: string; ignoreCase: boolean; lines: string[] },
  ): Promise<Outcome<PatternTestResult>>;
  /** `logs.matched` from the connected agent: it names the patterns, so counts and lines are fetched. */
  matched(client: FleetdeckClient, patternIds: readonly string[]): void;
  /** `fleetConfig.changed` from the connected agent: the patterns in force there may have changed. */
  fleetConfigChanged(client: FleetdeckClient, kind: string): void;
  reset(): void;
}

const emptyNode: NodeLogs = {
  patterns: null,
  patternsError: null,
  sources: null,
  sourcesError: null,
  matches: [],
  matchesLoaded: false,
  matchesError: null,
  hasOlder: false,
  loadingOlder: false,
  receivedAt: null,
};

export const initialLogPatternsState: LogPatternsStoreState = {
  memberId: null,
  patternFilter: null,
  node: emptyNode,
};

export const matchesPageSize = 50;
/** Lines kept in memory however long the view stays open; paging back beyond it drops the newest. */
const maxMatchesKept = 2000;

/**
 * Puts a fresh first page in front of what is loaded. When the page does not reach back to the lines already
 * shown, lines were missed in between: the list starts again from the page.
 */
export function mergeNewest(
  current: readonly LogMatch[],
  page: readonly LogMatch[],
  hasOlder: boolean,
): { matches: LogMatch[]; hasOlder: boolean } {
  const pageFull = page.length >= matchesPageSize;
  const oldestInPage = page.at(-1)?.id;
  if (oldestInPage === undefined) return { matches: [], hasOlder: false };
  const newestCurrent = current[0]?.id;
  if (newestCurrent === undefined) return { matches: [...page], hasOlder: pageFull };
  if (pageFull && oldestInPage > newestCurrent) return { matches: [...page], hasOlder: true };
  // Matches pruned by retention disappear from the page; those older than the page are kept as loaded.
  const older = current.filter((match) => match.id < oldestInPage);
  return { matches: [...page, ...older].slice(0, maxMatchesKept), hasOlder: pageFull ? hasOlder : false };
}

/** Bumped whenever the node or the filter changes, so answers about the previous one are dropped. */
let generation = 0;

/** The Log patterns view: one node's patterns, sources and matched lines, and the fleet's patterns. */
export const useLogPatternsStore = create<LogPatternsStoreState & LogPatternsStoreActions>()((set, get) => {
  const patchNode = (patch: Partial<NodeLogs>) => set((state) => ({ node: { ...state.node, ...patch } }));

  const fetchNode = async (client: FleetdeckClient) => {
    const asked = generation;
    const { memberId, patternFilter } = get();
    const [patterns, sources, matches] = await Promise.allSettled([
      callOn(client, memberId, 'logs.patterns.list', {}),
      callOn(client, memberId, 'logs.sources', {}),
      callOn(client, memberId, 'logs.matches', {
        limit: matchesPageSize,
        ...(patternFilter ? { patternId: patternFilter } : {}),
      }),
    ]);
    if (asked !== generation) return;
    const { node } = get();
    const merged =
      matches.status === 'fulfilled' ? mergeNewest(node.matches, matches.value.matches, node.hasOlder) : null;
    patchNode({
      ...(patterns.status === 'fulfilled'
        ? { patterns: patterns.value, patternsError: null }
        : { patternsError: messageOf(patterns.reason) }),
      ...(sources.status === 'fulfilled'
        ? { sources: sources.value, sourcesError: null }
        : { sourcesError: messageOf(sources.reason) }),
      ...(merged
        ? { ...merged, matchesLoaded: true, matchesError: null }
        : { matchesError: messageOf((matches as PromiseRejectedResult).reason) }),
      receivedAt: Date.now(),
    });
  };

  const foldedFetchNode = foldCalls(fetchNode);

  const startOver = (patch: Partial<LogPatternsStoreState>) => {
    generation += 1;
    set({ ...patch, node: emptyNode });
  };

  return {
    ...initialLogPatternsState,

    async selectMember(client, memberId) {
      if (memberId === get().memberId) return;
      startOver({ memberId, patternFilter: null });
      await get().loadNode(client);
    },

    async setPatternFilter(client, patternFilter) {
      if (patternFilter === get().patternFilter) return;
      const { patterns, sources, patternsError, sourcesError } = get().node;
      generation += 1;
      // Patterns and sources do not depend on the filter: keep them while the matches reload.
      set({ patternFilter, node: { ...emptyNode, patterns, sources, patternsError, sourcesError } });
      await get().loadNode(client);
    },

    loadNode: foldedFetchNode,

    async loadOlder(client) {
      const { node, memberId, patternFilter } = get();
      const oldest = node.matches.at(-1)?.id;
      if (oldest === undefined || node.loadingOlder) return;
      const asked = generation;
      patchNode({ loadingOlder: true });
      try {
        const { matches } = await callOn(client, memberId, 'logs.matches', {
          limit: matchesPageSize,
          beforeId: oldest,
          ...(patternFilter ? { patternId: patternFilter } : {}),
        });
        if (asked !== generation) return;
        const current = get().node.matches;
        const newestOlder = current.at(-1)?.id ?? Infinity;
        const appended = [...current, ...matches.filter((match) => match.id < newestOlder)];
        patchNode({
          // Past the cap, the newest lines give way: the operator is reading back in time.
          matches: appended.slice(Math.max(0, appended.length - maxMatchesKept)),
          hasOlder: matches.length >= matchesPageSize,
          loadingOlder: false,
          matchesError: null,
        });
      } catch (error) {
        if (asked === generation) patchNode({ loadingOlder: false, matchesError: messageOf(error) });
      }
    },

    test: (client, request) => outcomeOf(() => client.call('logs.patterns.test', request)),

    matched(client, patternIds) {
      // Events come from the connected agent only; another member's logs are polled.
      // Counts change with every match, so the node is reloaded even when the filtered pattern is not among them.
      const { memberId, node } = get();
      if (memberId !== null || patternIds.length === 0 || node.receivedAt === null) return;
      void get().loadNode(client);
    },

    fleetConfigChanged(client, kind) {
      if (kind === logPatternsKind && get().node.receivedAt !== null) void get().loadNode(client);
    },

    reset() {
      generation += 1;
      foldedFetchNode.forgetAgain();
      set(initialLogPatternsState);
    },
  };
});

export const logPatternsSelectors = fieldSelectors(initialLogPatternsState);
