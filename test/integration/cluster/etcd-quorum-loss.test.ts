import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdBackend } from '../../../electron/cluster/etcd/etcd-backend.js';
import { FleetMembership } from '../../../electron/cluster/fleet-membership.js';
import { systemClock } from '../../../electron/core/clock.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from '../../unit/cluster/coordination-contract.js';

const TTL_SECONDS = 3;

/** What `cluster.leader`, `cluster.status` and `cluster.members` say about the leader on one agent. */
const leaderViews = (membership: FleetMembership) => [
  membership.leader()?.id ?? null,
  membership.status().leader?.id ?? null,
  ...membership
    .members()
    .filter((member) => member.leader)
    .map((member) => member.id),
];

describe('an etcd quorum loss (3 agents, 3-member etcd, TTL 3 s)', () => {
  let etcd: EtcdCluster;
  const { logger } = memoryLogger();
  const agents: FleetMembership[] = [];

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 3 });
  });
  afterAll(async () => {
    for (const agent of agents) await agent.leave().catch(() => {});
    await etcd?.stop();
  });

  it('clears the leader everywhere within the TTL, reports "no quorum", and elects one leader when it is back', async () => {
    for (const id of ['a', 'b', 'c']) {
      const agent = new FleetMembership({
        backend: new EtcdBackend({ endpoints: etcd.endpoints, cluster: 'quorum', clock: systemClock, logger }),
        record: memberRecord(id),
        ttlSeconds: TTL_SECONDS,
        campaign: true,
        clock: systemClock,
        logger,
      });
      await agent.join();
      agents.push(agent);
    }
    const leader = await waitFor('one leader seen by all', () => {
      const holder = agents.find((agent) => agent.leadership() !== null);
      const id = holder?.leadership()?.id;
      return id && agents.every((agent) => leaderViews(agent).join() === [id, id, id].join()) ? holder : undefined;
    });
    let steppedDownAt: number | null = null;
    leader.onLeadership((leadership) => {
      if (leadership === null) steppedDownAt ??= performance.now();
    });

    const [first, second] = etcd.members;
    const cutAt = performance.now();
    await first!.kill();
    await second!.kill();

    await waitFor('the leader to step down', () => steppedDownAt !== null, { timeoutMs: TTL_SECONDS * 1000 });
    await waitFor('no agent to name a leader', () => agents.every((agent) => leaderViews(agent).join() === ','), {
      timeoutMs: TTL_SECONDS * 1000,
      intervalMs: 20,
    });
    const clearedAt = performance.now();
    console.info(
      `[quorum loss] leader stepped down after ${(steppedDownAt! - cutAt).toFixed(0)} ms, ` +
        `every agent's leader view cleared after ${(clearedAt - cutAt).toFixed(0)} ms (TTL ${TTL_SECONDS} s)`,
    );
    expect(clearedAt - steppedDownAt!).toBeLessThan(TTL_SECONDS * 1000);

    await waitFor(
      'every agent to report the lost quorum',
      () => agents.every((agent) => /^no quorum: /.test(agent.status().lastError ?? '')),
      { timeoutMs: 15_000 },
    );
    for (const agent of agents) {
      expect(agent.status().state).toBe('lost');
      expect(agent.status().lastError).toContain('has no raft leader (2 of 3 endpoints unreachable)');
      expect(agent.leadership()).toBeNull();
    }

    await first!.restart();
    await second!.restart();
    // Alone this takes a few seconds (raft elects, each agent registers again and campaigns); the full suite on two
    // cores once took longer than 15 s, so the bound is generous: what is asserted is that one leader comes back.
    await waitFor(
      'one leader seen by all again',
      () => {
        const holders = agents.filter((agent) => agent.leadership() !== null);
        const id = holders[0]?.leadership()?.id;
        return holders.length === 1 && agents.every((agent) => leaderViews(agent).join() === [id, id, id].join());
      },
      { timeoutMs: 40_000 },
    );
    expect(agents.map((agent) => agent.status().state)).toEqual(['connected', 'connected', 'connected']);
  }, 90_000);
});
