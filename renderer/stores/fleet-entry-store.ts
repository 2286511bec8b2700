import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { Member } from '../../shared/node.js';
import { messageOf, outcomeOf, type Outcome } from '../client/outcome.js';
import { fleetConfigErrors, type MemberConfigError } from '../fleet/config-errors.js';
import { fieldSelectors } from './field-selectors.js';
import { editedEntry, editorWithout, type EntryEditor, type FleetEntry } from './fleet-entries.js';
import { foldCalls } from './fold-calls.js';

/** `fleet.<kind>.list|put|remove` of one kind, bound to its method names. */
export interface FleetEntryCalls<T> {
  list(client: FleetdeckClient): Promise<FleetEntry<T>[]>;
  put(client: FleetdeckClient, value: T): Promise<{ revision: string }>;
  remove(client: FleetdeckClient, id: string): Promise<unknown>;
}

export interface FleetEntryStoreState<T> {
  /** As stored, in the agent's order; null until the first answer. */
  entries: FleetEntry<T>[] | null;
  /** Local time the list last arrived. */
  receivedAt: number | null;
  error: string | null;
  editor: EntryEditor;
}

export interface FleetEntryStoreActions<T> {
  /** Fetches the list; calls made while one is under way fold into one more fetch after it. */
  load(client: FleetdeckClient): Promise<void>;
  openEditor(editor: EntryEditor): void;
  /**
   * Saves an entry for every agent and lists it at once; the agent's `fleetConfig.changed` that follows brings
   * the stored list.
   */
  put(client: FleetdeckClient, value: T & { id: string }): Promise<Outcome<string>>;
  remove(client: FleetdeckClient, id: string): Promise<Outcome>;
  reset(): void;
}

export type FleetEntryStore<T> = FleetEntryStoreState<T> & FleetEntryStoreActions<T>;

const initialState = {
  entries: null,
  receivedAt: null,
  error: null,
  editor: null,
} satisfies FleetEntryStoreState<unknown>;

/**
 * The store of one kind of entry saved for the whole fleet (alert rules, log patterns, check templates): the
 * list, its editor, put and remove, and which members refused which entry. `kind` is the `FleetConfigKind`
 * that `fleetConfig.changed` events and members' config errors name.
 */
export function createFleetEntryStore<T>(kind: string, calls: FleetEntryCalls<T>) {
  const useStore = create<FleetEntryStore<T>>()((set) => {
    const fetchList = foldCalls(async (client: FleetdeckClient) => {
      try {
        const entries = await calls.list(client);
        set({ entries, receivedAt: Date.now(), error: null });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    });
    return {
      ...initialState,
      load: fetchList,
      openEditor: (editor) => set({ editor }),
      put: (client, value) =>
        outcomeOf(async () => {
          const { revision } = await calls.put(client, value);
          set((state) => ({
            editor: null,
            entries: [
              ...(state.entries ?? []).filter((entry) => entry.id !== value.id),
              { id: value.id, value, problem: null },
            ],
          }));
          return revision;
        }),
      remove: (client, id) =>
        outcomeOf(async () => {
          await calls.remove(client, id);
          set((state) => ({
            entries: state.entries?.filter((entry) => entry.id !== id) ?? null,
            editor: editorWithout(state.editor, id),
          }));
        }),
      reset() {
        fetchList.forgetAgain();
        set(initialState);
      },
    };
  });

  const selectors = {
    ...fieldSelectors<FleetEntryStoreState<T>>(initialState),
    /** The stored entry the editor is open on, if it is listed. */
    editing: (state: FleetEntryStoreState<T>) => editedEntry(state.editor, state.entries),
  };

  return {
    kind,
    useStore,
    selectors,
    /** The entries of this kind each member could not apply, from their published summaries. */
    refusedBy: (members: readonly Member[]): MemberConfigError[] => fleetConfigErrors(members, kind),
    /** A `fleetConfig.changed` of this kind: the list is fetched again once something showed it. */
    changed(client: FleetdeckClient, changedKind: string) {
      if (changedKind === kind && useStore.getState().receivedAt !== null) void useStore.getState().load(client);
    },
  };
}

export type FleetEntryStoreOf<T> = ReturnType<typeof createFleetEntryStore<T>>;
