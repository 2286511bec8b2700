import { create } from 'zustand';
import { defaultTimeRangeMs } from '../components/time-ranges.js';
import type { FleetdeckClient } from '../../shared/client.js';
import {
  statusSeverity,
  type CheckResult,
  type CheckState,
  type CheckStatus,
  type HistoryPoint,
  type ServiceDefinition,
  type ServiceState,
  type SupervisorState,
} from '../../shared/services.js';
import { messageOf, outcomeOf, type Outcome } from '../client/outcome.js';
import type { EntryEditor } from './fleet-entries.js';
import { foldCalls } from './fold-calls.js';
import { fieldSelectors } from './field-selectors.js';

const dayMs = 86_400_000;

/** Each check's last results the list brings along, for the rows' heartbeat strips. */
export const RECENT_RESULTS = 30;

/** The results of one check over the last day, grown incrementally so a refresh fetches only what is new. */
export interface CheckHistory {
  points: HistoryPoint[];
  /** Local time of the last successful fetch. */
  loadedAt: number | null;
  error: string | null;
}

/** The last "Run now" of one check. */
export interface CheckRun {
  running: boolean;
  result: CheckResult | null;
  error: string | null;
}

/** What the right-hand pane shows instead of the selected service's details. */
export type ServiceEditor = EntryEditor;

/** Where a service is saved: on this node (`services.upsert`) or once for every agent (`fleet.services.put`). */
export type ServiceScope = 'node' | 'fleet';

export interface ServicesStoreState {
  services: ServiceState[];
  /** Local time the list last arrived; null until the first answer. */
  receivedAt: number | null;
  loading: boolean;
  error: string | null;
  selectedId: string | null;
  editor: ServiceEditor;
  /** Keyed by `checkKey(serviceId, check)`. */
  histories: Record<string, CheckHistory>;
  runs: Record<string, CheckRun>;
  /** The span the checks' latency charts show (one of the time ranges). */
  latencyRangeMs: number;
  /**
   * A service just saved for the whole fleet that this node has not listed yet: agents apply fleet services
   * from their watch, a moment after the put, and one that cannot be applied here never shows.
   */
  awaitingFleetId: string | null;
}

export interface ServicesStoreActions {
  /** Fetches `services.list`; calls made while one is under way are folded into one more fetch after it. */
  load(client: FleetdeckClient): Promise<void>;
  select(id: string | null): void;
  openEditor(editor: ServiceEditor): void;
  save(client: FleetdeckClient, service: ServiceDefinition): Promise<Outcome<ServiceState>>;
  /** Saves the service for every agent; it is selected here once this node has applied it. */
  saveForFleet(client: FleetdeckClient, service: ServiceDefinition): Promise<Outcome<string>>;
  remove(client: FleetdeckClient, id: string): Promise<Outcome>;
  /** Removes a fleet service from every agent, this one included. */
  removeFromFleet(client: FleetdeckClient, id: string): Promise<Outcome>;
  removeDemo(client: FleetdeckClient): Promise<Outcome<number>>;
  importYaml(client: FleetdeckClient, yaml: string): Promise<Outcome<string[]>>;
  exportYaml(client: FleetdeckClient): Promise<Outcome<string>>;
  /** Fetches what is new in a check's last day of results (all of it the first time). */
  loadHistory(client: FleetdeckClient, serviceId: string, check: string): Promise<void>;
  runNow(client: FleetdeckClient, serviceId: string, check: string): Promise<void>;
  selectLatencyRange(rangeMs: number): void;
  /** A pushed status change, applied as it came; results of runs that changed nothing arrive with the view's poll. */
  checkChanged(serviceId: string, check: CheckState): void;
  supervisorChanged(serviceId: string, supervisor: SupervisorState): void;
  reset(): void;
}

export const initialServicesState: ServicesStoreState = {
  services: [],
  receivedAt: null,
  loading: false,
  error: null,
  selectedId: null,
  editor: null,
  histories: {},
  runs: {},
  latencyRangeMs: defaultTimeRangeMs,
  awaitingFleetId: null,
};

export const checkKey = (serviceId: string, check: string) => `${serviceId}/${check}`;

/** A service shows the worst status of its checks; one without checks has nothing to report. */
export function worstStatus(checks: readonly { status: CheckStatus }[]): CheckStatus {
  if (checks.length === 0) return 'unknown';
  return checks.reduce<CheckStatus>(
    (worst, check) => (statusSeverity[check.status] > statusSeverity[worst] ? check.status : worst),
    'passing',
  );
}

const historyInFlight = new Set<string>();

/** The services of the connected agent with their checks, plus the histories and runs the Services view asked for. */
export const useServicesStore = create<ServicesStoreState & ServicesStoreActions>()((set, get) => {
  const fetchList = async (client: FleetdeckClient) => {
    set({ loading: true });
    try {
      const services = await client.call('services.list', { recentResults: RECENT_RESULTS });
      const keys = new Set(services.flatMap((s) => s.checks.map((c) => checkKey(s.definition.id, c.name))));
      const keep = <T>(record: Record<string, T>) =>
        Object.fromEntries(Object.entries(record).filter(([key]) => keys.has(key)));
      const { selectedId, editor, histories, runs, awaitingFleetId } = get();
      const ids = new Set(services.map((s) => s.definition.id));
      const arrived = awaitingFleetId !== null && ids.has(awaitingFleetId);
      set({
        services,
        receivedAt: Date.now(),
        loading: false,
        error: null,
        selectedId: arrived
          ? awaitingFleetId
          : selectedId !== null && (ids.has(selectedId) || selectedId === awaitingFleetId)
            ? selectedId
            : (services[0]?.definition.id ?? null),
        awaitingFleetId: arrived ? null : awaitingFleetId,
        // Someone else removed the service being edited: there is nothing left to edit.
        editor: editor?.mode === 'edit' && !ids.has(editor.id) ? null : editor,
        histories: keep(histories),
        runs: keep(runs),
      });
    } catch (error) {
      set({ loading: false, error: messageOf(error) });
    }
  };

  const foldedFetchList = foldCalls(fetchList);

  const patchService = (id: string, patch: (service: ServiceState) => ServiceState) =>
    set((state) => ({ services: state.services.map((s) => (s.definition.id === id ? patch(s) : s)) }));

  return {
    ...initialServicesState,

    load: foldedFetchList,

    select: (id) => set({ selectedId: id, editor: null, awaitingFleetId: null }),
    openEditor: (editor) => set({ editor }),

    save: (client, service) =>
      outcomeOf(async () => {
        const saved = await client.call('services.upsert', { service });
        set((state) => ({
          services: state.services.some((s) => s.definition.id === saved.definition.id)
            ? state.services.map((s) => (s.definition.id === saved.definition.id ? saved : s))
            : [...state.services, saved],
          selectedId: saved.definition.id,
          editor: null,
        }));
        void get().load(client);
        return saved;
      }),

    saveForFleet: (client, service) =>
      outcomeOf(async () => {
        const { revision } = await client.call('fleet.services.put', { service });
        set({ selectedId: service.id, editor: null, awaitingFleetId: service.id });
        void get().load(client);
        return revision;
      }),

    remove: (client, id) =>
      outcomeOf(async () => {
        await client.call('services.remove', { id });
        set((state) => ({
          services: state.services.filter((s) => s.definition.id !== id),
          selectedId: state.selectedId === id ? null : state.selectedId,
        }));
        void get().load(client);
      }),

    removeFromFleet: (client, id) =>
      outcomeOf(async () => {
        await client.call('fleet.services.remove', { id });
        set((state) => ({
          services: state.services.filter((s) => !(s.definition.id === id && s.source === 'fleet')),
          selectedId: state.selectedId === id ? null : state.selectedId,
          awaitingFleetId: state.awaitingFleetId === id ? null : state.awaitingFleetId,
        }));
        void get().load(client);
      }),

    removeDemo: (client) =>
      outcomeOf(async () => {
        const { removed } = await client.call('services.removeDemo', {});
        set((state) => ({ services: state.services.filter((s) => s.source !== 'demo') }));
        void get().load(client);
        return removed;
      }),

    importYaml: (client, yaml) =>
      outcomeOf(async () => {
        const { imported } = await client.call('services.import', { yaml });
        void get().load(client);
        return imported;
      }),

    exportYaml: (client) => outcomeOf(async () => (await client.call('services.export', {})).yaml),

    async loadHistory(client, serviceId, check) {
      const key = checkKey(serviceId, check);
      if (historyInFlight.has(key)) return;
      historyInFlight.add(key);
      const toMs = Date.now();
      const known = get().histories[key]?.points ?? [];
      const lastAt = known.at(-1)?.at;
      const fromMs = lastAt === undefined ? toMs - dayMs : Math.min(lastAt + 1, toMs);
      try {
        const { points } = await client.call('checks.history', { serviceId, check, fromMs, toMs });
        set((state) => {
          const current = state.histories[key]?.points ?? [];
          const newest = current.at(-1)?.at ?? -1;
          const merged = [...current, ...points.filter((p) => p.at > newest)].filter((p) => p.at >= toMs - dayMs);
          return { histories: { ...state.histories, [key]: { points: merged, loadedAt: Date.now(), error: null } } };
        });
      } catch (error) {
        set((state) => ({
          histories: {
            ...state.histories,
            [key]: {
              points: state.histories[key]?.points ?? [],
              loadedAt: state.histories[key]?.loadedAt ?? null,
              error: messageOf(error),
            },
          },
        }));
      } finally {
        historyInFlight.delete(key);
      }
    },

    async runNow(client, serviceId, check) {
      const key = checkKey(serviceId, check);
      const setRun = (run: CheckRun) => set((state) => ({ runs: { ...state.runs, [key]: run } }));
      setRun({ running: true, result: get().runs[key]?.result ?? null, error: null });
      try {
        const result = await client.call('checks.runNow', { serviceId, check });
        setRun({ running: false, result, error: null });
        void get().load(client);
        void get().loadHistory(client, serviceId, check);
      } catch (error) {
        setRun({ running: false, result: null, error: messageOf(error) });
      }
    },

    selectLatencyRange: (latencyRangeMs) => set({ latencyRangeMs }),

    checkChanged: (serviceId, check) =>
      patchService(serviceId, (service) => {
        // A pushed state carries no recent results: the strip keeps the last ones until the next list.
        const checks = service.checks.map((c) =>
          c.name === check.name ? { ...check, recent: check.recent ?? c.recent } : c,
        );
        return { ...service, checks, status: worstStatus(checks) };
      }),

    supervisorChanged: (serviceId, supervisor) => patchService(serviceId, (service) => ({ ...service, supervisor })),

    reset() {
      foldedFetchList.forgetAgain();
      set(initialServicesState);
    },
  };
});

export const servicesSelectors = {
  ...fieldSelectors(initialServicesState),
  selected: (state: ServicesStoreState) => state.services.find((s) => s.definition.id === state.selectedId) ?? null,
  hasDemo: (state: ServicesStoreState) => state.services.some((s) => s.source === 'demo'),
  history: (serviceId: string, check: string) => (state: ServicesStoreState) =>
    state.histories[checkKey(serviceId, check)] ?? null,
  run: (serviceId: string, check: string) => (state: ServicesStoreState) =>
    state.runs[checkKey(serviceId, check)] ?? null,
};
