import type { FleetdeckClient } from '../../shared/client.js';
import { startAgentProcess, tempDir, type AgentProcess, type StartAgentOptions } from './agent-process.js';
import type { EtcdCluster } from './etcd-cluster.js';
import { clientFor } from './http-client.js';
import { waitFor } from './poll.js';

export interface FleetNode {
  dataDir: string;
  process: AgentProcess;
  client: FleetdeckClient;
  /** False once the test stopped or killed it. */
  alive: boolean;
}

export interface AgentFleetOptions<Id extends string> {
  etcd: EtcdCluster;
  cluster: string;
  ids: readonly Id[];
  configOf(id: Id): StartAgentOptions['config'];
  /** A node's lease TTL in seconds; 3 unless said. */
  leaseTtlOf?(id: Id): number;
}

/**
 * Agent processes joined to one fleet on a real etcd (a 3 s lease, so a killed one is gone soon), each named by its
 * id, with a client for each and the leader they agree on.
 */
export async function startAgentFleet<Id extends string>({
  etcd,
  cluster,
  ids,
  configOf,
  leaseTtlOf = () => 3,
}: AgentFleetOptions<Id>) {
  const nodes = new Map<Id, FleetNode>();
  const start = async (id: Id, dataDir = tempDir()) => {
    const process = await startAgentProcess({
      dataDir,
      args: [
        ...['--backend', 'etcd', '--etcd-endpoints', etcd.endpoints.join(',')],
        ...['--cluster', cluster, '--lease-ttl', String(leaseTtlOf(id)), '--node-id', id],
      ],
      config: configOf(id),
    });
    nodes.set(id, { dataDir, process, client: clientFor(process.url), alive: true });
  };
  for (const id of ids) await start(id);
  const node = (id: Id) => nodes.get(id)!;
  const live = () => [...nodes.entries()].filter(([, n]) => n.alive);

  return {
    nodes,
    node,
    live,
    /** A client of a live node. */
    client: () => live()[0]![1].client,
    /** Starts the node again (on its data directory, to come back as itself). */
    restart: (id: Id) => start(id, node(id).dataDir),
    /** Stops a node with `signal`; resolves to its exit code. */
    stop: async (id: Id, signal: NodeJS.Signals) => {
      node(id).alive = false;
      return node(id).process.stop(signal);
    },
    /** The leader every live node agrees on (never a stopped one). */
    leaderId: (timeoutMs = 20_000) =>
      waitFor(
        'one leader every live node agrees on',
        async () => {
          const seen = await Promise.all(live().map(async ([, n]) => (await n.client.call('cluster.leader', {}))?.id));
          const agreed = live().some(([id]) => id === seen[0]) && seen.every((id) => id === seen[0]);
          return agreed ? (seen[0] as Id) : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      ),
    stopAll: () => Promise.all([...nodes.values()].map((n) => n.process.stop())),
  };
}
export type AgentFleet<Id extends string> = Awaited<ReturnType<typeof startAgentFleet<Id>>>;
