import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { LogMatch, LogPatternState, LogSourceState, Severity } from '../../shared/log-patterns.js';
import type { RpcParams } from '../../shared/rpc.js';
import { callOn } from '../client/call-member.js';
import { messageOf } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';
import { foldCalls } from './fold-calls.js';
import { matchesPageSize, mergeNewest } from './log-patterns-store.js';

/** What the Logs view shows, as its link carries it: the node (absent: this node), filters and time window. */
export interface LogsRoute {
  memberId: string | null;
  patternId: string | null;
  source: string | null;
  severity: Severity | null;
  /** Epoch ms, inclusive; null: no bound. */
  from: number | null;
  to: number | null;
}

export const emptyLogsRoute: LogsRoute = {
  memberId: null,
  patternId: null,
  source: null,
  severity: null,
  from: null,
  to: null,
};

export interface LogsStoreState {
  /** The node, filters and window shown: what the view's link carries. */
  route: LogsRoute;
  /** New lines are fetched as they match (this node) or every few seconds (another member). */
  follow: boolean;
  /** The operator scrolled back to read: following holds off until they return to the newest line. */
  paused: boolean;
  /** Lines matched while paused, not fetched yet. */
  missedWhilePaused: boolean;
  patterns: LogPatternState[] | null;
  sources: LogSourceState[] | null;
  /** Why the patterns or sources (the filters' choices) could not be loaded. */
  choicesError: string | null;
  lines: LogMatch[];
  /** False until the first page arrived for the current route. */
  loaded: boolean;
  error: string | null;
  /** The last page was full, so older lines may exist. */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** Local time of the last answer. */
  receivedAt: number | null;
}

export interface LogsStoreActions {
  /** Shows what a link names (node, filters, window) and loads it; the same route again changes nothing. */
  show(client: FleetdeckClient, route: LogsRoute): Promise<void>;
  /** The newest page of the current route, merged in front; calls made meanwhile fold into one more. */
  loadNewest(client: FleetdeckClient): Promise<void>;
  /** The page before the oldest line shown. */
  loadOlder(client: FleetdeckClient): Promise<void>;
  setFollow(client: FleetdeckClient, follow: boolean): void;
  /** The list was scrolled: away from the newest line pauses following, back to it resumes. */
  setPaused(client: FleetdeckClient, paused: boolean): void;
  /** `logs.matched` from the connected agent. */
  matched(client: FleetdeckClient, patternIds: readonly string[]): void;
  reset(): void;
}

export const initialLogsState: LogsStoreState = {
  route: emptyLogsRoute,
  follow: true,
  paused: false,
  missedWhilePaused: false,
  patterns: null,
  sources: null,
  choicesError: null,
  lines: [],
  loaded: false,
  error: null,
  hasOlder: false,
  loadingOlder: false,
  receivedAt: null,
};

/** The `logs.matches` filters of a route (its node is where the call goes). */
export function matchFilters(route: LogsRoute): Omit<RpcParams<'logs.matches'>, 'limit' | 'beforeId'> {
  const filters: Omit<RpcParams<'logs.matches'>, 'limit' | 'beforeId'> = {};
  if (route.patternId !== null) filters.patternId = route.patternId;
  if (route.source !== null) filters.source = route.source;
  if (route.severity !== null) filters.severity = route.severity;
  if (route.from !== null) filters.from = route.from;
  if (route.to !== null) filters.to = route.to;
  return filters;
}

const sameRoute = (a: LogsRoute, b: LogsRoute) =>
  (Object.keys(a) as (keyof LogsRoute)[]).every((key) => a[key] === b[key]);

/** Following makes sense only for a window still open at its end. */
export const canFollow = (route: LogsRoute) => route.to === null;

/** Bumped whenever the route changes, so answers about the previous one are dropped. */
let generation = 0;

/** The Logs view: the matched lines of one node under the route's filters, newest first, followed live. */
export const useLogsStore = create<LogsStoreState & LogsStoreActions>()((set, get) => {
  const fetchNewest = async (client: FleetdeckClient) => {
    const asked = generation;
    const { route } = get();
    const [patterns, sources, page] = await Promise.allSettled([
      callOn(client, route.memberId, 'logs.patterns.list', {}),
      callOn(client, route.memberId, 'logs.sources', {}),
      callOn(client, route.memberId, 'logs.matches', { ...matchFilters(route), limit: matchesPageSize }),
    ]);
    if (asked !== generation) return;
    const state = get();
    const merged = page.status === 'fulfilled' ? mergeNewest(state.lines, page.value.matches, state.hasOlder) : null;
    const choicesFailed = [patterns, sources].find((answer) => answer.status === 'rejected');
    set({
      ...(patterns.status === 'fulfilled' ? { patterns: patterns.value } : {}),
      ...(sources.status === 'fulfilled' ? { sources: sources.value } : {}),
      choicesError: choicesFailed ? messageOf(choicesFailed.reason) : null,
      ...(merged
        ? { lines: merged.matches, hasOlder: merged.hasOlder, loaded: true, error: null }
        : { error: messageOf((page as PromiseRejectedResult).reason) }),
      missedWhilePaused: false,
      receivedAt: Date.now(),
    });
  };
  const foldedFetchNewest = foldCalls(fetchNewest);

  return {
    ...initialLogsState,

    async show(client, route) {
      const { route: current, receivedAt } = get();
      if (sameRoute(current, route) && receivedAt !== null) return;
      generation += 1;
      const sameNode = current.memberId === route.memberId;
      set({
        route,
        lines: [],
        loaded: false,
        error: null,
        hasOlder: false,
        loadingOlder: false,
        paused: false,
        missedWhilePaused: false,
        // The filters' choices belong to the node: kept while only the filters change.
        ...(sameNode ? {} : { patterns: null, sources: null, choicesError: null }),
      });
      await get().loadNewest(client);
    },

    loadNewest: foldedFetchNewest,

    async loadOlder(client) {
      const { lines, route, loadingOlder } = get();
      const oldest = lines.at(-1)?.id;
      if (oldest === undefined || loadingOlder) return;
      const asked = generation;
      set({ loadingOlder: true });
      try {
        const { matches } = await callOn(client, route.memberId, 'logs.matches', {
          ...matchFilters(route),
          beforeId: oldest,
          limit: matchesPageSize,
        });
        if (asked !== generation) return;
        set((state) => ({
          lines: [...state.lines, ...matches.filter((match) => match.id < oldest)],
          hasOlder: matches.length >= matchesPageSize,
          loadingOlder: false,
          error: null,
        }));
      } catch (error) {
        if (asked === generation) set({ loadingOlder: false, error: messageOf(error) });
      }
    },

    setFollow(client, follow) {
      set({ follow });
      if (follow && canFollow(get().route)) void get().loadNewest(client);
    },

    setPaused(client, paused) {
      const state = get();
      if (paused === state.paused) return;
      set({ paused });
      if (!paused && state.missedWhilePaused) void get().loadNewest(client);
    },

    matched(client, patternIds) {
      const { route, follow, paused, receivedAt } = get();
      // Events come from the connected agent only; another member's lines are polled while following.
      if (route.memberId !== null || patternIds.length === 0 || receivedAt === null) return;
      if (!follow || !canFollow(route)) return;
      if (paused) set({ missedWhilePaused: true });
      else void get().loadNewest(client);
    },

    reset() {
      generation += 1;
      foldedFetchNewest.forgetAgain();
      set(initialLogsState);
    },
  };
});

export const logsSelectors = fieldSelectors(initialLogsState);
