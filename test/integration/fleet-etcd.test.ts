import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import type { NodeStatus } from '../../shared/node.js';
import { startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

const TTL_SECONDS = 3;

interface Node {
  id: string;
  process: AgentProcess;
  client: FleetdeckClient;
  alive: boolean;
}

/**
 * The coordination spine end to end: a 3-member etcd on loopback and four agents as separate processes.
 * The tests run in order and share the fleet, as an operator's day would: a member of etcd dies, the leader
 * is killed, the next one leaves cleanly, and etcd disappears for a while.
 */
describe('a fleet of agent processes on a 3-member etcd', () => {
  let etcd: EtcdCluster;
  const nodes: Node[] = [];

  const live = () => nodes.filter((n) => n.alive);
  const statuses = async () =>
    Promise.all(
      live().map(async (n) => ({ id: n.id, status: await n.client.call('node.status', {}).catch(() => null) })),
    );
  const actingLeaders = async () =>
    (await statuses()).filter((s) => (s.status as NodeStatus | null)?.leader).map((s) => s.id);
  const memberIds = async (node: Node) => (await node.client.call('cluster.members', {})).map((m) => m.id).sort();
  const converged = async () => {
    const expected = live()
      .map((n) => n.id)
      .sort()
      .join();
    for (const node of live()) if ((await memberIds(node)).join() !== expected) return false;
    return true;
  };

  /** Samples every 50 ms until stopped, remembering the most nodes that acted as leader at once. */
  const sampleLeaders = () => {
    let most = 0;
    let running = true;
    const done = (async () => {
      while (running) {
        most = Math.max(most, (await actingLeaders()).length);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    return {
      stop: async () => {
        running = false;
        await done;
        return most;
      },
    };
  };

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 3 });
    for (const id of ['n1', 'n2', 'n3', 'n4']) {
      const process = await startAgentProcess({
        args: [
          ...['--backend', 'etcd', '--etcd-endpoints', etcd.endpoints.join(',')],
          ...['--cluster', 'it', '--lease-ttl', String(TTL_SECONDS), '--node-id', id],
        ],
        config: { resources: { intervalMs: 500 } },
      });
      const client = clientFor(process.url);
      nodes.push({ id, process, client, alive: true });
    }
  }, 90_000);

  afterAll(async () => {
    for (const node of nodes) await node.process.stop('SIGKILL');
    await etcd?.stop();
  });

  it('converges: every agent sees all four members and the same single leader', async () => {
    await waitFor('members converge', converged, { timeoutMs: 10_000 });
    await waitFor('one acting leader', async () => (await actingLeaders()).length === 1, { timeoutMs: 10_000 });
    const leaders = await Promise.all(live().map((n) => n.client.call('cluster.leader', {})));
    expect(new Set(leaders.map((l) => l?.id)).size).toBe(1);
    expect(await nodes[0]!.client.call('cluster.status', {})).toMatchObject({ backend: 'etcd', state: 'connected' });
  });

  it('keeps membership and leadership when one etcd member dies (quorum holds)', async () => {
    const [leader] = await actingLeaders();
    await etcd.members[0]!.kill('SIGKILL');
    try {
      const sampler = sampleLeaders();
      // Longer than the TTL: leases must keep being renewed through the remaining members.
      const until = Date.now() + (TTL_SECONDS + 1) * 1000;
      while (Date.now() < until) {
        expect(await converged()).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(await sampler.stop()).toBe(1);
      expect(await actingLeaders()).toEqual([leader]);
    } finally {
      await etcd.members[0]!.restart();
    }
  });

  it('elects a new acting leader within TTL + 2 s of kill -9, never two at once', async () => {
    const [leaderId] = await actingLeaders();
    const leader = nodes.find((n) => n.id === leaderId)!;
    const sampler = sampleLeaders();
    const killedAt = Date.now();
    await leader.process.stop('SIGKILL');
    leader.alive = false;
    await waitFor('a new acting leader', async () => (await actingLeaders()).length === 1, {
      timeoutMs: (TTL_SECONDS + 2) * 1000,
      intervalMs: 50,
    });
    const failoverMs = Date.now() - killedAt;
    expect(await sampler.stop()).toBeLessThanOrEqual(1);
    expect(failoverMs).toBeLessThanOrEqual((TTL_SECONDS + 2) * 1000);
    await waitFor('the dead leader leaves every view', converged, { timeoutMs: (TTL_SECONDS + 2) * 1000 });
  });

  it('hands leadership over in well under a second when the leader stops gracefully', async () => {
    const [leaderId] = await actingLeaders();
    const leader = nodes.find((n) => n.id === leaderId)!;
    const stopping = leader.process.stop('SIGTERM');
    leader.alive = false;
    const started = Date.now();
    const newLeader = await waitFor(
      'the hand-over',
      async () => {
        const acting = await actingLeaders();
        return acting.length === 1 ? acting[0] : undefined;
      },
      { timeoutMs: 3000, intervalMs: 20 },
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(newLeader).not.toBe(leaderId);
    expect(await stopping).toBe(0);
  });

  it('keeps working locally while etcd is gone longer than the TTL, then rejoins with nothing lost', async () => {
    const [worker] = live();
    await worker!.client.call('services.upsert', {
      service: {
        id: 'local-work',
        name: 'Local work',
        checks: [{ name: 'ttl', type: 'ttl', ttlMs: 1000, intervalMs: 500, timeoutMs: 100 }],
      },
    });
    await etcd.stopAll();
    const lostAt = Date.now();
    for (const node of live()) {
      await waitFor(`${node.id} shows coordination lost`, async () => {
        const status = await node.client.call('cluster.status', {});
        return status.state === 'lost' && status.lastError !== null;
      });
    }
    // Fencing: no node may go on acting as leader once its lease can no longer be confirmed.
    await waitFor('no acting leader', async () => (await actingLeaders()).length === 0, {
      timeoutMs: TTL_SECONDS * 1000,
    });
    expect(Date.now() - lostAt).toBeLessThan(TTL_SECONDS * 1000 + 2000);
    await new Promise((resolve) => setTimeout(resolve, (TTL_SECONDS + 1) * 1000)); // etcd stays down past the TTL
    for (const node of live()) expect((await fetch(`${node.process.url}/health/ready`)).status).toBe(200);
    const during = await worker!.client.call('checks.history', {
      serviceId: 'local-work',
      check: 'ttl',
      fromMs: lostAt,
      toMs: Date.now(),
    });
    expect(during.points.length).toBeGreaterThan(0); // checks kept running locally

    await etcd.startAll();
    await waitFor(
      'every node reconnected',
      async () => {
        for (const node of live())
          if ((await node.client.call('cluster.status', {})).state !== 'connected') return false;
        return true;
      },
      { timeoutMs: 20_000 },
    );
    await waitFor('members re-registered', converged, { timeoutMs: 20_000 });
    await waitFor('a leader again', async () => (await actingLeaders()).length === 1, { timeoutMs: 20_000 });
    const after = await worker!.client.call('checks.history', {
      serviceId: 'local-work',
      check: 'ttl',
      fromMs: lostAt - 60_000,
      toMs: Date.now(),
    });
    expect(after.points.length).toBeGreaterThanOrEqual(during.points.length);
    expect((await worker!.client.call('services.list', {})).some((s) => s.definition.id === 'local-work')).toBe(true);
  }, 60_000);
});
