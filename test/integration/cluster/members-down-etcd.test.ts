import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../../shared/client.js';
import type { DownMember } from '../../../shared/node.js';
import { startAgentFleet, type AgentFleet } from '../../support/agent-fleet.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { waitFor } from '../../support/poll.js';

const ids = ['n1', 'n2', 'n3', 'n4'] as const;
type NodeId = (typeof ids)[number];
/** n4 holds a long lease: stopped (SIGSTOP), it stays registered long after it looks stale. */
const LONG_LEASE_SECONDS = 30;
const poll = { timeoutMs: 30_000, intervalMs: 100 };

/**
 * Members down and stale on a real etcd with four agent processes: a node killed with SIGKILL stays in every node's
 * fleet facts as down with its last record until it returns or is forgotten (from any node, through the leader), a
 * node stopped with SIGTERM is not down, the list outlives the leader, and a frozen node (SIGSTOP) looks stale before
 * its lease ends.
 */
describe('members down and stale on etcd (4 agent processes)', () => {
  let etcd: EtcdCluster;
  let fleet: AgentFleet<NodeId>;
  /** The member killed and listed as down by the second test, forgotten by the third. */
  let killed: NodeId;

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    fleet = await startAgentFleet({
      etcd,
      cluster: 'members-down',
      ids,
      configOf: (id) => ({
        name: `Node ${id}`,
        labels: { zone: `zone-${id}` },
        resources: { intervalMs: 500 },
        // Stale after 3 missed heartbeats: 3 s.
        members: { heartbeatSeconds: 1 },
      }),
      leaseTtlOf: (id) => (id === 'n4' ? LONG_LEASE_SECONDS : 3),
    });
    await waitFor(
      'every node seeing every node with a summary',
      async () => {
        const lists = await Promise.all(fleet.live().map(([, n]) => n.client.call('cluster.members', {})));
        return lists.every((members) => members.length === ids.length && members.every((m) => m.summary));
      },
      poll,
    );
  }, 60_000);

  afterAll(async () => {
    await fleet?.stopAll();
    await etcd?.stop();
  });

  const downOn = async (client: FleetdeckClient): Promise<DownMember[]> =>
    (await client.call('cluster.status', {})).facts?.membersDown ?? [];
  /** Waits until every live node's facts list exactly `expected` as down; returns the list of the first. */
  const everyNodeLists = (expected: NodeId[]) =>
    waitFor(
      `every live node listing [${expected.join(', ')}] as down`,
      async () => {
        const lists = await Promise.all(fleet.live().map(([, n]) => downOn(n.client)));
        const agreed = lists.every((list) => JSON.stringify(list.map((m) => m.id)) === JSON.stringify(expected));
        return agreed ? lists[0] : undefined;
      },
      poll,
    );
  const otherThan = async (...excluded: NodeId[]) => {
    const leader = await fleet.leaderId();
    return fleet
      .live()
      .map(([id]) => id)
      .filter((id) => id !== leader && id !== 'n4' && !excluded.includes(id));
  };

  it('marks a frozen member stale on the others before its lease ends, and fresh once it runs again', async () => {
    const frozen = fleet.node('n4').process.child;
    const staleOn = async (client: FleetdeckClient) =>
      (await client.call('cluster.members', {})).find((m) => m.id === 'n4')?.stale === true;
    expect(await staleOn(fleet.node('n1').client)).toBe(false);

    frozen.kill('SIGSTOP');
    try {
      const stoppedAt = performance.now();
      const others = ['n1', 'n2', 'n3'] as const;
      await waitFor(
        'n4 stale on n1, n2 and n3',
        async () => (await Promise.all(others.map((id) => staleOn(fleet.node(id).client)))).every(Boolean),
        poll,
      );
      // Well before its lease ends: n4 is still a registered member, not down.
      expect(performance.now() - stoppedAt).toBeLessThan(LONG_LEASE_SECONDS * 1000);
      const members = await fleet.node('n1').client.call('cluster.members', {});
      expect(members.map((m) => m.id)).toEqual([...ids]);
      expect(await downOn(fleet.node('n1').client)).toEqual([]);
    } finally {
      frozen.kill('SIGCONT');
    }
    await waitFor('n4 fresh again', async () => !(await staleOn(fleet.node('n1').client)), poll);
  }, 60_000);

  it('keeps a killed member as down with its last record, not one stopped gracefully', async () => {
    const [victim, stopped] = await otherThan();
    killed = victim!;
    const before = (await fleet.node(killed).client.call('cluster.members', {})).find((m) => m.id === killed)!;
    const killedAt = Date.now();
    await fleet.stop(killed, 'SIGKILL');
    expect(await fleet.stop(stopped!, 'SIGTERM')).toBe(0);

    const [down] = await everyNodeLists([killed]);
    expect(down).toMatchObject({
      id: killed,
      name: `Node ${killed}`,
      role: 'agent',
      labels: { zone: `zone-${killed}` },
      version: before.version,
      summary: { health: before.summary!.health },
    });
    expect(down!.summary?.cpuPercent).not.toBeNull();
    expect(down!.lastSeen).toBeLessThanOrEqual(killedAt);
    expect(down!.downSince).toBeGreaterThanOrEqual(killedAt);

    await fleet.restart(stopped!);
  }, 60_000);

  it('forgets it from any node through the leader, and records who did it', async () => {
    const leader = await fleet.leaderId();
    const [elsewhere] = await otherThan();
    const client = fleet.node(elsewhere!).client;

    const refused = await client.call('cluster.members.forget', { id: killed }).catch((error: unknown) => error);
    expect(String(refused)).toContain('only the leader forgets members');
    const answer = await client.call('cluster.call', {
      memberId: leader,
      method: 'cluster.members.forget',
      params: { id: killed },
    });
    expect(answer).toEqual({ forgotten: true });
    await everyNodeLists([]);
    const [audited] = await fleet.node(leader).client.call('audit.list', { methodPrefix: 'cluster.members.forget' });
    expect(audited).toMatchObject({ method: 'cluster.members.forget', outcome: 'ok', params: { id: killed } });

    await fleet.restart(killed);
  }, 60_000);

  it('drops a member that comes back', async () => {
    const [victim] = await otherThan();
    await fleet.stop(victim!, 'SIGKILL');
    await everyNodeLists([victim!]);
    await fleet.restart(victim!);
    await everyNodeLists([]);
  }, 60_000);

  it('keeps the list when the leader is killed: the new leader lists it and the old leader', async () => {
    const [victim] = await otherThan();
    await fleet.stop(victim!, 'SIGKILL');
    await everyNodeLists([victim!]);
    const oldLeader = await fleet.leaderId();
    await fleet.stop(oldLeader, 'SIGKILL');
    const newLeader = await fleet.leaderId();
    expect(newLeader).not.toBe(oldLeader);
    const listed = await everyNodeLists([victim!, oldLeader].sort());
    expect((await fleet.node(newLeader).client.call('cluster.status', {})).facts?.leaderId).toBe(newLeader);
    expect(listed.find((m) => m.id === victim)?.name).toBe(`Node ${victim}`);
  }, 60_000);
});
