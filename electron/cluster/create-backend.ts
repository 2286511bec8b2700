import type { BackendConfig } from '../../shared/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { CoordinationBackend } from './coordination-backend.js';
import { EtcdBackend } from './etcd/etcd-backend.js';
import { LocalBackend } from './local/local-backend.js';
import { LocalCoordinator, type DurableKeys } from './local/local-coordinator.js';

export interface BackendContext {
  cluster: string;
  clock: Clock;
  logger: Logger;
  /** Where the `local` backend keeps keys that outlive the process (the node's database). */
  durableKeys?: DurableKeys;
}

/** Builds the adapter the config asks for. */
export function createBackend(config: BackendConfig, { durableKeys, ...context }: BackendContext): CoordinationBackend {
  switch (config.kind) {
    case 'local':
      return new LocalBackend({
        ...context,
        coordinator: new LocalCoordinator(context.clock, undefined, durableKeys ?? null),
        ownsCoordinator: true,
      });
    case 'etcd':
      return new EtcdBackend({
        ...context,
        endpoints: config.endpoints,
        tls: config.tls,
        auth: config.auth,
        dialTimeoutMs: config.dialTimeoutMs,
      });
  }
}
