import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { MethodName, RpcParams, RpcResult } from '../../shared/rpc.js';
import type { TaskSubmitRequest } from '../../shared/rpc/tasks.js';
import type { Task, TaskChanged, TaskState, TaskStats, TaskSummary } from '../../shared/tasks.js';
import { callOn } from '../client/call-member.js';
import { messageOf, outcomeOf, type Outcome } from '../client/outcome.js';
import { defaultTimeRangeMs } from '../components/time-ranges.js';
import { fieldSelectors } from './field-selectors.js';
import { foldCalls } from './fold-calls.js';

/** A task type this node runs, and for `exec` the commands it may name. */
export type TaskTypeInfo = RpcResult<'tasks.types'>[number];
export type BulkAction = 'cancel' | 'retry';
export type BulkOutcome = RpcResult<'tasks.bulk'>['outcomes'][number];
/** A recurring task of this node's config, with its next tick and when it last fired. */
export type RecurringTaskInfo = RpcResult<'tasks.recurring'>[number];

/** What the list shows: one state (the chips), a type and node, and a group and text as typed. */
export interface TaskFilter {
  state: TaskState | null;
  type: string | null;
  node: string | null;
  group: string;
  /** Searched by the agent in the id, type, payload and error. */
  text: string;
}

export interface TasksStoreState {
  /** Whose queue is shown: another member's id, or null for the node this window is connected to. */
  memberId: string | null;
  filter: TaskFilter;
  /** Newest first, as `tasks.list` answered, then updated in place by `task.changed`. */
  tasks: TaskSummary[];
  /** Local time of the last list answer; null until one arrived. */
  listLoadedAt: number | null;
  listError: string | null;
  /** The last page asked for was full, so there may be older tasks to page back to. */
  olderLeft: boolean;
  olderLoading: boolean;
  recurring: RecurringTaskInfo[] | null;
  recurringError: string | null;
  stats: TaskStats | null;
  statsError: string | null;
  /** The window the throughput charts show. */
  statsRangeMs: number;
  types: TaskTypeInfo[] | null;
  typesError: string | null;
  /** The task whose detail is open. */
  selectedId: string | null;
  detail: Task | null;
  detailError: string | null;
  /** Ticked rows, for bulk actions. */
  checkedIds: string[];
  /** What the last bulk action could not do, one line per task. */
  bulkProblems: string[];
  submitOpen: boolean;
}

export interface TasksStoreActions {
  /** Fetches the list and the stats; calls made meanwhile fold into one more. */
  load(client: FleetdeckClient): Promise<void>;
  loadStats(client: FleetdeckClient): Promise<void>;
  /** Shows the throughput over another window, fetching its stats. */
  selectStatsRange(client: FleetdeckClient, rangeMs: number): Promise<void>;
  loadTypes(client: FleetdeckClient): Promise<void>;
  loadRecurring(client: FleetdeckClient): Promise<void>;
  /** Shows another member's queue (null: this node's) from its first page, with no task open, and fetches it. */
  selectMember(client: FleetdeckClient, memberId: string | null): Promise<void>;
  /** Appends the page of tasks submitted before the last one listed. */
  loadOlder(client: FleetdeckClient): Promise<void>;
  /** Changes the filter and fetches the list for it. */
  setFilter(client: FleetdeckClient, change: Partial<TaskFilter>): Promise<void>;
  /** Opens a task's detail (null closes it) and fetches it. */
  select(client: FleetdeckClient, id: string | null): Promise<void>;
  loadDetail(client: FleetdeckClient): Promise<void>;
  /**
   * A pushed `task.changed`: the row is updated in place; a task the list does not have yet brings a fetch of the
   * list, a new state one of the counts, and the open detail is fetched since the event carries only a summary.
   */
  taskChanged(client: FleetdeckClient, change: TaskChanged): void;
  /** Queues a task and opens its detail. */
  submit(client: FleetdeckClient, request: TaskSubmitRequest): Promise<Outcome<{ id: string; deduplicated: boolean }>>;
  cancel(client: FleetdeckClient, id: string): Promise<Outcome<TaskState>>;
  /** Queues a finished task again; a dead letter is replayed. */
  retry(client: FleetdeckClient, id: string): Promise<Outcome<TaskState>>;
  /** Cancels or retries every ticked task; the ones it could not are kept ticked and named in `bulkProblems`. */
  bulk(client: FleetdeckClient, action: BulkAction): Promise<void>;
  setChecked(ids: readonly string[], checked: boolean): void;
  openSubmit(open: boolean): void;
  reset(): void;
}

export const initialTasksState: TasksStoreState = {
  memberId: null,
  filter: { state: null, type: null, node: null, group: '', text: '' },
  tasks: [],
  listLoadedAt: null,
  listError: null,
  olderLeft: false,
  olderLoading: false,
  recurring: null,
  recurringError: null,
  stats: null,
  statsError: null,
  statsRangeMs: defaultTimeRangeMs,
  types: null,
  typesError: null,
  selectedId: null,
  detail: null,
  detailError: null,
  checkedIds: [],
  bulkProblems: [],
  submitOpen: false,
};

/** Rows the list asks for. */
export const taskPageSize = 200;

/** The `tasks.list` query of a filter: empty parts are left out. */
export function listQueryOf(filter: TaskFilter) {
  const text = filter.text.trim();
  const group = filter.group.trim();
  return {
    limit: taskPageSize,
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.node ? { node: filter.node } : {}),
    ...(group ? { group } : {}),
    ...(text ? { text } : {}),
  };
}

/**
 * A fetched first page in place of the list's first page: older rows paged in stay after it, from the row the
 * page ends with on, so neither a gap nor a repeat opens between them. A page that is not full is the whole list.
 */
export function withFirstPage(listed: readonly TaskSummary[], page: TaskSummary[]): TaskSummary[] {
  if (page.length < taskPageSize) return page;
  const end = listed.findIndex((task) => task.id === page.at(-1)!.id);
  return end === -1 ? page : [...page, ...listed.slice(end + 1)];
}

/** Whether a changed task may belong in the list: what the event tells of it does not contradict the filter. */
const mayMatch = (filter: TaskFilter, change: TaskChanged) =>
  (filter.state === null || filter.state === change.state) &&
  (filter.type === null || filter.type === change.type) &&
  (filter.node === null || filter.node === change.node);

/** Bumped when the filter or the open task changes, so an answer about the previous one is dropped. */
let listGeneration = 0;
/** The list generation whose older pages were paged in; only then does a fetched first page keep them. */
let pagedGeneration = -1;
let detailGeneration = 0;
/** Bumped when the shown node changes, so its counts, types and recurring tasks are not taken for the next one's. */
let nodeGeneration = 0;

/** What the shown node answers as a whole, each kept in the field of that name. */
const nodeFieldMethods = { stats: 'tasks.stats', types: 'tasks.types', recurring: 'tasks.recurring' } as const;

/** The Tasks view: one node's queue, filtered; its counts and throughput; one task's detail; the submit form. */
export const useTasksStore = create<TasksStoreState & TasksStoreActions>()((set, get) => {
  /** Every `tasks.*` call goes to the node shown. */
  const call = <M extends MethodName>(client: FleetdeckClient, method: M, params: RpcParams<M>) =>
    callOn(client, get().memberId, method, params);

  const fetchNodeField = async (client: FleetdeckClient, field: keyof typeof nodeFieldMethods) => {
    const asked = nodeGeneration;
    try {
      const params = field === 'stats' ? { windowMs: get().statsRangeMs } : {};
      const value = await call(client, nodeFieldMethods[field], params);
      if (asked === nodeGeneration) set({ [field]: value, [`${field}Error`]: null });
    } catch (error) {
      if (asked === nodeGeneration) set({ [`${field}Error`]: messageOf(error) });
    }
  };

  const fetchList = foldCalls(async (client: FleetdeckClient) => {
    const asked = listGeneration;
    try {
      const page = await call(client, 'tasks.list', listQueryOf(get().filter));
      if (asked !== listGeneration) return;
      set((state) => {
        const tasks = pagedGeneration === asked ? withFirstPage(state.tasks, page) : page;
        const listed = new Set(tasks.map((task) => task.id));
        return {
          tasks,
          listLoadedAt: Date.now(),
          listError: null,
          olderLeft: tasks.length === page.length ? page.length === taskPageSize : state.olderLeft,
          checkedIds: state.checkedIds.filter((id) => listed.has(id)),
        };
      });
    } catch (error) {
      if (asked === listGeneration) set({ listError: messageOf(error) });
    }
  });

  const fetchStats = foldCalls((client: FleetdeckClient) => fetchNodeField(client, 'stats'));

  const fetchDetail = foldCalls(async (client: FleetdeckClient) => {
    const asked = detailGeneration;
    const id = get().selectedId;
    if (id === null) return;
    try {
      const detail = await call(client, 'tasks.get', { id });
      if (asked !== detailGeneration) return;
      // The detail is newer than the row: the list shows what the detail does.
      const { attempts: _attempts, logs: _logs, ...summary } = detail;
      set((state) => ({
        detail,
        detailError: null,
        tasks: state.tasks.map((task) => (task.id === id ? summary : task)),
      }));
    } catch (error) {
      if (asked === detailGeneration) set({ detailError: messageOf(error) });
    }
  });

  /** After an action on tasks: the list, the counts and the open detail are fetched again. */
  const refresh = (client: FleetdeckClient) => {
    void fetchList(client);
    void fetchStats(client);
    void fetchDetail(client);
  };

  const act = async (client: FleetdeckClient, method: 'tasks.cancel' | 'tasks.retry', id: string) => {
    const outcome = await outcomeOf(async () => (await call(client, method, { id })).state);
    refresh(client);
    return outcome;
  };

  return {
    ...initialTasksState,

    async load(client) {
      await Promise.all([fetchList(client), fetchStats(client)]);
    },

    loadStats: fetchStats,

    async selectStatsRange(client, statsRangeMs) {
      set({ statsRangeMs });
      await fetchStats(client);
    },

    loadTypes: (client) => fetchNodeField(client, 'types'),

    loadRecurring: (client) => fetchNodeField(client, 'recurring'),

    async selectMember(client, memberId) {
      if (memberId === get().memberId) return;
      listGeneration += 1;
      detailGeneration += 1;
      nodeGeneration += 1;
      set((state) => ({ ...initialTasksState, memberId, filter: state.filter, statsRangeMs: state.statsRangeMs }));
      // Fetches for the previous node may be under way: their answers are dropped, and these run after them.
      await Promise.all([get().load(client), get().loadTypes(client), get().loadRecurring(client)]);
    },

    async loadOlder(client) {
      const { tasks, filter, olderLoading } = get();
      const last = tasks.at(-1);
      if (last === undefined || olderLoading) return;
      const asked = listGeneration;
      set({ olderLoading: true });
      try {
        const page = await call(client, 'tasks.list', { ...listQueryOf(filter), before: last.id });
        if (asked !== listGeneration) return;
        pagedGeneration = asked;
        set((state) => {
          const listed = new Set(state.tasks.map((task) => task.id));
          return {
            tasks: [...state.tasks, ...page.filter((task) => !listed.has(task.id))],
            olderLeft: page.length === taskPageSize,
            listError: null,
          };
        });
      } catch (error) {
        if (asked === listGeneration) set({ listError: messageOf(error) });
      } finally {
        set({ olderLoading: false });
      }
    },

    async setFilter(client, change) {
      listGeneration += 1;
      set((state) => ({ filter: { ...state.filter, ...change }, checkedIds: [], olderLeft: false }));
      await fetchList(client);
    },

    async select(client, id) {
      if (id === get().selectedId) return;
      detailGeneration += 1;
      set({ selectedId: id, detail: null, detailError: null, submitOpen: false });
      await fetchDetail(client);
    },

    loadDetail: fetchDetail,

    taskChanged(client, change) {
      // Events are this node's; another member's tasks arrive with the view's polling.
      if (get().memberId !== null) return;
      const { tasks, listLoadedAt, filter, selectedId } = get();
      const row = tasks.find((task) => task.id === change.id);
      if (row) {
        const { id, ...fields } = change;
        set({ tasks: tasks.map((task) => (task.id === id ? { ...task, ...fields } : task)) });
      } else if (listLoadedAt !== null && mayMatch(filter, change)) {
        void fetchList(client);
      }
      if (listLoadedAt !== null && row?.state !== change.state) void fetchStats(client);
      if (selectedId === change.id) void fetchDetail(client);
    },

    async submit(client, request) {
      const outcome = await outcomeOf(() => call(client, 'tasks.submit', request));
      if (!outcome.ok) return outcome;
      set({ submitOpen: false });
      void fetchList(client);
      void fetchStats(client);
      await get().select(client, outcome.value.id);
      return outcome;
    },

    cancel: (client, id) => act(client, 'tasks.cancel', id),

    retry: (client, id) => act(client, 'tasks.retry', id),

    async bulk(client, action) {
      const ids = get().checkedIds;
      if (ids.length === 0) return;
      const outcome = await outcomeOf(() => call(client, 'tasks.bulk', { action, ids }));
      if (!outcome.ok) {
        set({ bulkProblems: [outcome.message] });
      } else {
        const failed = outcome.value.outcomes.filter((o) => o.error !== null);
        set({
          checkedIds: failed.map((o) => o.id),
          bulkProblems: failed.map((o) => `${o.id}: ${o.error}`),
        });
      }
      refresh(client);
    },

    setChecked(ids, checked) {
      set((state) => {
        const rest = state.checkedIds.filter((id) => !ids.includes(id));
        return { checkedIds: checked ? [...rest, ...ids] : rest, bulkProblems: [] };
      });
    },

    openSubmit(open) {
      set({ submitOpen: open });
    },

    reset() {
      fetchList.forgetAgain();
      fetchStats.forgetAgain();
      fetchDetail.forgetAgain();
      listGeneration += 1;
      detailGeneration += 1;
      nodeGeneration += 1;
      set(initialTasksState);
    },
  };
});

export const tasksSelectors = fieldSelectors(initialTasksState);
