import type { BackendUpdate, ClusterSettings, ConfigureResult } from '../../shared/cluster-settings.js';
import type { BackendConfig } from '../../shared/config.js';
import { redactBackend } from '../config/backend-settings.js';
import { CodedError } from '../core/coded-error.js';

/** `cluster.settings` and `cluster.configure`: what runs the agent decides, since switching means replacing it. */
export interface BackendControl {
  settings(): ClusterSettings;
  configure(update: BackendUpdate): Promise<ConfigureResult>;
}

/** For an agent opened on its own, with nothing around it to restart it: it shows its backend and keeps it. */
export const fixedBackendControl = (backend: BackendConfig): BackendControl => ({
  settings: () => ({ backend: redactBackend(backend), pinnedBy: null, savedFile: null, saved: false }),
  configure: async () => {
    throw new CodedError('unavailable', 'this agent cannot change its coordination backend while it runs');
  },
});
