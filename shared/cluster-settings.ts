import { z } from 'zod';
import { EtcdBackendConfig, LocalBackendConfig } from './config.js';

/**
 * A backend as the Settings page sends it (`cluster.configure`, `cluster.testConnection`). The one difference
 * from `BackendConfig`: the etcd password may be left out to keep the one this node already uses, because the
 * agent never sends its password to a UI.
 */
export const BackendUpdate = z.discriminatedUnion('kind', [
  LocalBackendConfig,
  EtcdBackendConfig.extend({
    auth: z
      .object({ username: z.string().min(1), password: z.string().min(1).optional() })
      .strict()
      .optional(),
  }),
]);
export type BackendUpdate = z.infer<typeof BackendUpdate>;

/** A backend as the agent shows it to a UI: everything but the etcd password, which is only said to be there. */
export const RedactedBackend = z.discriminatedUnion('kind', [
  LocalBackendConfig,
  EtcdBackendConfig.extend({
    auth: z
      .object({ username: z.string(), passwordSaved: z.literal(true) })
      .strict()
      .optional(),
  }),
]);
export type RedactedBackend = z.infer<typeof RedactedBackend>;

/** `cluster.settings`: the backend this node runs with, and whether Settings may change it. */
export const ClusterSettings = z.object({
  backend: RedactedBackend,
  /** The flag or environment variable that sets the backend (then `cluster.configure` is refused); else null. */
  pinnedBy: z.string().nullable(),
  /** Where a backend saved from Settings is kept on the agent's machine; null where it cannot be changed at run time. */
  savedFile: z.string().nullable(),
  /** That file exists and was layered in (flags named in `pinnedBy` may override parts of it). */
  saved: z.boolean(),
});
export type ClusterSettings = z.infer<typeof ClusterSettings>;

/** `cluster.configure`: saved, and the agent restarted on it (reachable or not: see `cluster.status`). */
export const ConfigureResult = z.object({
  applied: z.literal(true),
  backend: z.enum(['local', 'etcd']),
  savedFile: z.string(),
});
export type ConfigureResult = z.infer<typeof ConfigureResult>;
