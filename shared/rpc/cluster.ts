import { z } from 'zod';
import { NodeId } from '../ids.js';
import { BackendUpdate, ClusterSettings, ConfigureResult } from '../cluster-settings.js';
import { ClusterStatus, ConnectionTestResult, LeaderInfo, Member } from '../node.js';
import { method, NoParams } from './method.js';

/** The fleet as this node sees it through the coordination backend, and the backend itself. */
export const clusterMethods = {
  'cluster.members': method(NoParams, z.array(Member), 'Every registered member of the fleet.'),
  'cluster.members.forget': method(
    z.object({ id: NodeId }).strict(),
    z.object({ forgotten: z.boolean() }),
    "Drops a member down from the fleet facts (forgotten: whether it was listed). The leader's alone: another node " +
      'refuses (conflict), so call it on the leader through cluster.call.',
  ),
  'cluster.leader': method(NoParams, LeaderInfo.nullable(), 'The current leader with its fencing token, or null.'),
  'cluster.status': method(
    NoParams,
    ClusterStatus,
    'Coordination backend, connection state and last error, leader, and the fleet facts the leader computed.',
  ),
  'cluster.testConnection': method(
    z.object({ backend: BackendUpdate }).strict(),
    ConnectionTestResult,
    'Tries a backend configuration without changing this node: reachable, auth, cluster id, member count.',
  ),
  'cluster.settings': method(
    NoParams,
    ClusterSettings,
    'The backend this node runs with (etcd password left out), where Settings saves it, and the flag that pins it.',
  ),
  'cluster.configure': method(
    z.object({ backend: BackendUpdate }).strict(),
    ConfigureResult,
    'Saves the backend in the data dir and restarts the agent on it in place; refused (conflict) when a flag sets it.',
  ),
  'cluster.call': method(
    z.object({ memberId: NodeId, method: z.string().min(1).max(100), params: z.unknown().optional() }).strict(),
    z.unknown(),
    "Calls an RPC method on another member through its API address (drill-down into what summaries don't carry).",
  ),
} as const;
