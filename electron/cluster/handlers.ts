import type { BackendUpdate, ClusterSettings, ConfigureResult } from '../../shared/cluster-settings.js';
import type { ClusterStatus, ConnectionTestResult, LeaderInfo, Member } from '../../shared/node.js';
import type { CallerContext } from '../../shared/rpc.js';
import type { clusterMethods } from '../../shared/rpc/cluster.js';
import type { Handlers } from '../api/handler-table.js';

export interface ClusterHandlerDeps {
  members(): Member[];
  /** Drops a member down from the fleet facts; only on the leader. */
  forget(id: string): Promise<boolean>;
  leader(): LeaderInfo | null;
  status(): ClusterStatus;
  testConnection(backend: BackendUpdate): Promise<ConnectionTestResult>;
  settings(): ClusterSettings;
  /** Saves the backend and restarts the agent on it. */
  configure(backend: BackendUpdate): Promise<ConfigureResult>;
  call(memberId: string, method: string, params: unknown, caller: CallerContext): Promise<unknown>;
}

export const clusterHandlers = (cluster: ClusterHandlerDeps): Handlers<keyof typeof clusterMethods> => ({
  'cluster.members': () => cluster.members(),
  'cluster.members.forget': async ({ id }) => ({ forgotten: await cluster.forget(id) }),
  'cluster.leader': () => cluster.leader(),
  'cluster.status': () => cluster.status(),
  'cluster.testConnection': ({ backend }) => cluster.testConnection(backend),
  'cluster.settings': () => cluster.settings(),
  'cluster.configure': ({ backend }) => cluster.configure(backend),
  'cluster.call': ({ memberId, method, params }, caller) => cluster.call(memberId, method, params, caller),
});
