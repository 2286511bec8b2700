import { create } from 'zustand';
import type { AuditFilter, AuditOutcome, AuditRecord } from '../../shared/audit.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { messageOf, outcomeOf, type Outcome } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';
import { foldCalls } from './fold-calls.js';

export type AuditPeriod = 'hour' | 'day' | 'week' | 'all';

/** What the table shows, as typed: empty text and `all` leave that part out. */
export interface AuditFilterDraft {
  principal: string;
  methodPrefix: string;
  outcome: AuditOutcome | null;
  period: AuditPeriod;
}

export interface AuditStoreState {
  filter: AuditFilterDraft;
  /** Newest first. */
  records: AuditRecord[];
  /** Local time of the last answer; null until one arrived. */
  loadedAt: number | null;
  error: string | null;
  /** The last page asked for was full, so there may be older records. */
  olderLeft: boolean;
  olderLoading: boolean;
}

export interface AuditStoreActions {
  /** Fetches the newest page for the filter; calls made meanwhile fold into one more. */
  load(client: FleetdeckClient): Promise<void>;
  /** Appends the page of records older than the last one shown. */
  loadOlder(client: FleetdeckClient): Promise<void>;
  setFilter(client: FleetdeckClient, change: Partial<AuditFilterDraft>): Promise<void>;
  /** A pushed `audit.recorded`: the list is fetched again if it is shown. */
  recorded(client: FleetdeckClient): void;
  /** Every record the filter matches, as JSON lines, oldest first. */
  exportLines(client: FleetdeckClient): Promise<Outcome<{ text: string; count: number }>>;
  reset(): void;
}

export const initialAuditState: AuditStoreState = {
  filter: { principal: '', methodPrefix: '', outcome: null, period: 'all' },
  records: [],
  loadedAt: null,
  error: null,
  olderLeft: false,
  olderLoading: false,
};

export const auditPageSize = 100;

const periodMs: Record<Exclude<AuditPeriod, 'all'>, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

/** The filter as the agent takes it, the period counted back from `now`. */
export function auditQueryOf(filter: AuditFilterDraft, now: number): AuditFilter {
  const principal = filter.principal.trim();
  const methodPrefix = filter.methodPrefix.trim();
  return {
    ...(principal ? { principal } : {}),
    ...(methodPrefix ? { methodPrefix } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.period !== 'all' ? { from: now - periodMs[filter.period] } : {}),
  };
}

/** A fetched first page in place of the list's first page, keeping the older rows paged in after it. */
export function withNewestPage(listed: readonly AuditRecord[], page: AuditRecord[]): AuditRecord[] {
  if (page.length < auditPageSize) return page;
  const oldest = page.at(-1)!.id;
  return [...page, ...listed.filter((record) => record.id < oldest)];
}

export const useAuditStore = create<AuditStoreState & AuditStoreActions>()((set, get) => {
  const fetchNewest = foldCalls(async (client: FleetdeckClient) => {
    const { filter } = get();
    try {
      const page = await client.call('audit.list', { ...auditQueryOf(filter, Date.now()), limit: auditPageSize });
      // An answer for a filter that has changed since is dropped; the change fetched its own.
      if (get().filter !== filter) return;
      set((state) => {
        const records = withNewestPage(state.records, page);
        const full = page.length === auditPageSize;
        // Older rows kept after a full page keep what their own paging found.
        return {
          records,
          olderLeft: full && (records.length === page.length || state.olderLeft),
          loadedAt: Date.now(),
          error: null,
        };
      });
    } catch (error) {
      if (get().filter === filter) set({ error: messageOf(error), loadedAt: get().loadedAt ?? Date.now() });
    }
  });

  return {
    ...initialAuditState,

    load: (client) => fetchNewest(client),

    async loadOlder(client) {
      const { filter, records } = get();
      const oldest = records.at(-1);
      if (!oldest) return;
      set({ olderLoading: true });
      try {
        const page = await client.call('audit.list', {
          ...auditQueryOf(filter, Date.now()),
          limit: auditPageSize,
          before: oldest.id,
        });
        if (get().filter !== filter) return;
        set((state) => ({
          records: [...state.records, ...page.filter((record) => record.id < oldest.id)],
          olderLeft: page.length === auditPageSize,
          error: null,
        }));
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ olderLoading: false });
      }
    },

    setFilter(client, change) {
      set((state) => ({ filter: { ...state.filter, ...change }, records: [], olderLeft: false }));
      return fetchNewest(client);
    },

    recorded(client) {
      if (get().loadedAt !== null) void fetchNewest(client);
    },

    exportLines(client) {
      const query = auditQueryOf(get().filter, Date.now());
      return outcomeOf(async () => {
        let text = '';
        let count = 0;
        let after: number | undefined;
        for (;;) {
          const chunk = await client.call('audit.export', { ...query, ...(after !== undefined ? { after } : {}) });
          text += chunk.text;
          count += chunk.count;
          if (!chunk.more || chunk.nextAfter === null) return { text, count };
          after = chunk.nextAfter;
        }
      });
    },

    reset() {
      fetchNewest.forgetAgain();
      set(initialAuditState);
    },
  };
});

export const auditSelectors = fieldSelectors(initialAuditState);
