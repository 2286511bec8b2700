import { create } from 'zustand';
import type { CheckTemplate } from '../../shared/check-templates.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { FleetConfigKind } from '../../shared/node.js';
import { messageOf, outcomeOf, type Outcome } from '../client/outcome.js';
import { editedEntry, editorWithout, type EntryEditor, type FleetEntry } from './fleet-entries.js';

/** The kind `fleetConfig.changed` and member config errors name for check templates. */
export const checkTemplatesKind = FleetConfigKind.enum['check-templates'];

/** A template stored for the whole fleet; a malformed stored value comes with its problem instead. */
export type TemplateEntry = FleetEntry<CheckTemplate>;

export type TemplateEditor = EntryEditor;

export interface CheckTemplatesStoreState {
  templates: TemplateEntry[];
  /** Local time the list last arrived; null until the first answer. */
  receivedAt: number | null;
  error: string | null;
  editor: TemplateEditor;
}

export interface CheckTemplatesStoreActions {
  load(client: FleetdeckClient): Promise<void>;
  openEditor(editor: TemplateEditor): void;
  /** Saves a template for every agent (`fleet.checkTemplates.put`); each adds its check to matching services. */
  save(client: FleetdeckClient, template: CheckTemplate): Promise<Outcome<string>>;
  remove(client: FleetdeckClient, id: string): Promise<Outcome>;
  /** A pushed `fleetConfig.changed`: refetches the list when it was about templates. */
  fleetConfigChanged(client: FleetdeckClient, kind: string): void;
  reset(): void;
}

export const initialCheckTemplatesState: CheckTemplatesStoreState = {
  templates: [],
  receivedAt: null,
  error: null,
  editor: null,
};

/** Check templates saved for the whole fleet, and the template editor of the Services view. */
export const useCheckTemplatesStore = create<CheckTemplatesStoreState & CheckTemplatesStoreActions>()((set, get) => ({
  ...initialCheckTemplatesState,

  async load(client) {
    try {
      const templates = await client.call('fleet.checkTemplates.list', {});
      set({ templates, receivedAt: Date.now(), error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },

  openEditor: (editor) => set({ editor }),

  save: (client, template) =>
    outcomeOf(async () => {
      const { revision } = await client.call('fleet.checkTemplates.put', { value: template });
      set((state) => ({
        editor: null,
        templates: [
          ...state.templates.filter((entry) => entry.id !== template.id),
          { id: template.id, value: template, problem: null },
        ],
      }));
      void get().load(client);
      return revision;
    }),

  remove: (client, id) =>
    outcomeOf(async () => {
      await client.call('fleet.checkTemplates.remove', { id });
      set((state) => ({
        templates: state.templates.filter((entry) => entry.id !== id),
        editor: editorWithout(state.editor, id),
      }));
      void get().load(client);
    }),

  fleetConfigChanged(client, kind) {
    if (kind === checkTemplatesKind) void get().load(client);
  },

  reset: () => set(initialCheckTemplatesState),
}));

export const checkTemplatesSelectors = {
  templates: (state: CheckTemplatesStoreState) => state.templates,
  receivedAt: (state: CheckTemplatesStoreState) => state.receivedAt,
  error: (state: CheckTemplatesStoreState) => state.error,
  editor: (state: CheckTemplatesStoreState) => state.editor,
  editing: (state: CheckTemplatesStoreState) => editedEntry(state.editor, state.templates),
};
