import type { Etcd3 } from 'etcd3';
import { createEtcdClient, type EtcdConnectionOptions } from './etcd-client.js';

/** How long each member may take to answer the status request. */
const STATUS_DEADLINE_MS = 1000;

/**
 * Says "no quorum" when that is why etcd does not serve us: a failed request names whatever endpoint it last
 * tried ("connect ECONNREFUSED" on a dead member, or a deadline), while the members still running answer a
 * status request — served locally, without raft — with no raft leader (leader id 0: they lost their majority).
 * One client per endpoint, made on first use and without etcd auth: signing in is a raft write, which a cluster
 * without quorum cannot do.
 */
export class QuorumCheck {
  private clients: Array<{ endpoint: string; client: Etcd3 }> | null = null;

  constructor(private readonly options: EtcdConnectionOptions) {}

  /** A reason when some members answer and none has a leader; null when that is not what is wrong. */
  async diagnose(): Promise<string | null> {
    this.clients ??= this.options.endpoints.map((endpoint) => ({
      endpoint,
      client: createEtcdClient({
        endpoints: [endpoint],
        tls: this.options.tls,
        dialTimeoutMs: STATUS_DEADLINE_MS,
      }),
    }));
    const answers = await Promise.all(
      this.clients.map(async ({ endpoint, client }) => {
        try {
          return { endpoint, leader: (await client.maintenance.status()).leader };
        } catch {
          return null;
        }
      }),
    );
    const reachable = answers.filter((answer) => answer !== null);
    if (reachable.length === 0 || reachable.some((answer) => answer.leader !== '0')) return null;
    const total = this.options.endpoints.length;
    return (
      `no quorum: etcd at ${reachable.map((answer) => answer.endpoint).join(', ')} answers but has no raft leader ` +
      `(${total - reachable.length} of ${total} endpoints unreachable)`
    );
  }

  close(): void {
    for (const { client } of this.clients ?? []) client.close();
    this.clients = null;
  }
}
