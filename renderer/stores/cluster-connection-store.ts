import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import {
  BackendUpdate,
  type ClusterSettings,
  type ConfigureResult,
  type RedactedBackend,
} from '../../shared/cluster-settings.js';
import type { ConnectionTestResult } from '../../shared/node.js';
import type { RpcIssue } from '../../shared/rpc.js';
import { issuesOf, messageOf } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';

/** The form as typed: strings throughout, turned into a `BackendUpdate` only when it validates. */
export interface ClusterConnectionDraft {
  kind: 'local' | 'etcd';
  /** Comma- or line-separated URLs. */
  endpoints: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  username: string;
  password: string;
  /** Empty: the schema's default. */
  dialTimeoutMs: string;
}

export type DraftField = keyof ClusterConnectionDraft | 'form';
export type FieldErrors = Partial<Record<DraftField, string>>;

export interface ClusterConnectionStoreState {
  draft: ClusterConnectionDraft;
  fieldErrors: FieldErrors;
  testing: boolean;
  /** The agent's answer to the last test; null before the first. */
  result: ConnectionTestResult | null;
  /** The configuration the result is about (it may have been edited since). */
  tested: BackendUpdate | null;
  testedAt: number | null;
  /** The test could not be asked at all (agent unreachable, request refused). */
  error: string | null;
  /** The backend the agent runs with (`cluster.settings`); null until it answered. */
  settings: ClusterSettings | null;
  settingsError: string | null;
  /** The operator changed the form since it was filled from the agent's backend, so a reload leaves it alone. */
  edited: boolean;
  saving: boolean;
  /** The agent's answer to the last "Save and reconnect"; null before the first or after a failure. */
  saved: ConfigureResult | null;
  savedAt: number | null;
  /** Why the last save was refused or failed; nothing was changed then. */
  saveError: string | null;
}

export interface ClusterConnectionStoreActions {
  edit(patch: Partial<ClusterConnectionDraft>): void;
  /** Validates the draft with the shared schema, then asks the agent to try it (`cluster.testConnection`). */
  test(client: FleetdeckClient): Promise<void>;
  /** Reads the agent's backend (`cluster.settings`) and fills the form with it unless the operator is editing. */
  loadSettings(client: FleetdeckClient): Promise<void>;
  /** Validates the draft, then has the agent save it and reconnect on it (`cluster.configure`). */
  save(client: FleetdeckClient): Promise<void>;
  reset(): void;
}

export const initialDraft: ClusterConnectionDraft = {
  kind: 'etcd',
  endpoints: '',
  caFile: '',
  certFile: '',
  keyFile: '',
  username: '',
  password: '',
  dialTimeoutMs: '',
};

export const initialClusterConnectionState: ClusterConnectionStoreState = {
  draft: initialDraft,
  fieldErrors: {},
  testing: false,
  result: null,
  tested: null,
  testedAt: null,
  error: null,
  settings: null,
  settingsError: null,
  edited: false,
  saving: false,
  saved: null,
  savedAt: null,
  saveError: null,
};

/** The form filled with the agent's backend; the password stays empty (the agent never sends it). */
export function draftFromBackend(backend: RedactedBackend): ClusterConnectionDraft {
  if (backend.kind === 'local') return { ...initialDraft, kind: 'local' };
  return {
    kind: 'etcd',
    endpoints: backend.endpoints.join('\n'),
    caFile: backend.tls?.caFile ?? '',
    certFile: backend.tls?.certFile ?? '',
    keyFile: backend.tls?.keyFile ?? '',
    username: backend.auth?.username ?? '',
    password: '',
    dialTimeoutMs: String(backend.dialTimeoutMs),
  };
}

/** The agent holds an etcd password that an empty password field keeps. */
export const hasSavedPassword = (settings: ClusterSettings | null): boolean =>
  settings?.backend.kind === 'etcd' && settings.backend.auth?.passwordSaved === true;

export const splitEndpoints = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((endpoint) => endpoint.trim())
    .filter(Boolean);

/** Which form field a schema path (`endpoints.1`, `tls.caFile`, `auth.password`) belongs to. */
function fieldOf(path: readonly PropertyKey[]): DraftField {
  const [first, second] = path;
  if (first === 'endpoints') return 'endpoints';
  if (first === 'tls' && (second === 'caFile' || second === 'certFile' || second === 'keyFile')) return second;
  if (first === 'auth' && (second === 'username' || second === 'password')) return second;
  if (first === 'dialTimeoutMs') return 'dialTimeoutMs';
  if (first === 'kind') return 'kind';
  return 'form';
}

/** The schema's wording where it speaks in field names rather than the form's labels. */
function friendly(message: string): string {
  if (/expected string to have >=1 characters/.test(message)) return 'Required';
  if (/certFile and keyFile go together/.test(message)) return 'The client certificate and its key go together';
  return message;
}

function errorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[], endpoints: string[]) {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    const index = issue.path[0] === 'endpoints' ? issue.path[1] : undefined;
    const message =
      typeof index === 'number'
        ? `"${endpoints[index] ?? ''}" ${issue.message}`
        : field === 'endpoints' && /too small/i.test(issue.message)
          ? 'Enter at least one endpoint'
          : friendly(issue.message);
    // Every bad endpoint is named, not only the first; other fields show their first problem.
    errors[field] =
      field === 'endpoints' && errors.endpoints ? `${errors.endpoints}; ${message}` : (errors[field] ?? message);
  }
  return errors;
}

/**
 * The draft as a `BackendUpdate`, or the fields that are wrong, named as the form names them. With
 * `keepPassword` an empty password is left out, which asks the agent to keep the one it has.
 */
export function backendFromDraft(
  draft: ClusterConnectionDraft,
  keepPassword = false,
): { ok: true; backend: BackendUpdate } | { ok: false; errors: FieldErrors } {
  const endpoints = splitEndpoints(draft.endpoints);
  const candidate =
    draft.kind === 'local'
      ? { kind: 'local' }
      : {
          kind: 'etcd',
          endpoints,
          ...(draft.caFile.trim() || draft.certFile.trim() || draft.keyFile.trim()
            ? {
                tls: {
                  caFile: draft.caFile.trim(),
                  ...(draft.certFile.trim() ? { certFile: draft.certFile.trim() } : {}),
                  ...(draft.keyFile.trim() ? { keyFile: draft.keyFile.trim() } : {}),
                },
              }
            : {}),
          ...(draft.username || draft.password
            ? {
                auth: {
                  username: draft.username,
                  ...(draft.password || !keepPassword ? { password: draft.password } : {}),
                },
              }
            : {}),
          ...(draft.dialTimeoutMs.trim() ? { dialTimeoutMs: Number(draft.dialTimeoutMs.trim()) } : {}),
        };
  const parsed = BackendUpdate.safeParse(candidate);
  if (parsed.success) return { ok: true, backend: parsed.data };
  return { ok: false, errors: errorsOf(parsed.error.issues, endpoints) };
}

/** The agent's issues (`backend.endpoints.0`) mapped onto the form's fields. */
const errorsFromRpc = (issues: readonly RpcIssue[], endpoints: string[]) =>
  errorsOf(
    issues.map((issue) => ({
      path: issue.path
        .split('.')
        .slice(issue.path.startsWith('backend.') ? 1 : 0)
        .map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      message: issue.message,
    })),
    endpoints,
  );

/** Settings → Cluster connection: a coordination backend to try, and what trying it found. */
export const useClusterConnectionStore = create<ClusterConnectionStoreState & ClusterConnectionStoreActions>()(
  (set, get) => ({
    ...initialClusterConnectionState,

    edit: (patch) => set((state) => ({ draft: { ...state.draft, ...patch }, edited: true })),

    async test(client) {
      const { draft, testing, settings } = get();
      if (testing) return;
      const built = backendFromDraft(draft, hasSavedPassword(settings));
      if (!built.ok) {
        set({ fieldErrors: built.errors });
        return;
      }
      set({ fieldErrors: {}, testing: true, error: null });
      try {
        const result = await client.call('cluster.testConnection', { backend: built.backend });
        set({ testing: false, result, tested: built.backend, testedAt: Date.now() });
      } catch (error) {
        set({
          testing: false,
          result: null,
          tested: null,
          error: messageOf(error),
          fieldErrors: errorsFromRpc(issuesOf(error), splitEndpoints(draft.endpoints)),
        });
      }
    },

    async loadSettings(client) {
      try {
        const settings = await client.call('cluster.settings', {});
        set((state) => ({
          settings,
          settingsError: null,
          ...(state.edited ? {} : { draft: draftFromBackend(settings.backend), fieldErrors: {} }),
        }));
      } catch (error) {
        set({ settingsError: messageOf(error) });
      }
    },

    async save(client) {
      const { draft, saving, settings } = get();
      if (saving || settings?.pinnedBy) return;
      const built = backendFromDraft(draft, hasSavedPassword(settings));
      if (!built.ok) {
        set({ fieldErrors: built.errors, saved: null, saveError: 'Correct the marked fields.' });
        return;
      }
      set({ fieldErrors: {}, saving: true, saveError: null, saved: null });
      try {
        const saved = await client.call('cluster.configure', { backend: built.backend });
        set({ saving: false, saved, savedAt: Date.now(), edited: false });
        await get().loadSettings(client);
      } catch (error) {
        set({
          saving: false,
          saveError: messageOf(error),
          fieldErrors: errorsFromRpc(issuesOf(error), splitEndpoints(draft.endpoints)),
        });
      }
    },

    reset: () => set(initialClusterConnectionState),
  }),
);

export const clusterConnectionSelectors = {
  ...fieldSelectors(initialClusterConnectionState),
  /** The flag or variable that sets the backend; Settings cannot save then. */
  pinnedBy: (state: ClusterConnectionStoreState) => state.settings?.pinnedBy ?? null,
  passwordSaved: (state: ClusterConnectionStoreState) => hasSavedPassword(state.settings),
};
