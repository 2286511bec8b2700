import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendStatus, Campaign, Registration } from '../../../electron/cluster/coordination-backend.js';
import { EtcdBackend } from '../../../electron/cluster/etcd/etcd-backend.js';
import { systemClock } from '../../../electron/core/clock.js';
import type { LeaderInfo } from '../../../shared/node.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from '../../unit/cluster/coordination-contract.js';

const TTL_SECONDS = 2;

/** A member that re-registers and campaigns again whenever its lease is lost, as FleetMembership does. */
interface Node {
  id: string;
  backend: EtcdBackend;
  registration: Registration;
  campaign: Campaign;
  lostReasons: string[];
  registrations: number;
}

describe('etcd backend through an etcd outage longer than the TTL', () => {
  let etcd: EtcdCluster;
  const { logger } = memoryLogger();
  const nodes: Node[] = [];

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
  });
  afterAll(async () => {
    for (const node of nodes) await node.backend.close();
    await etcd?.stop();
  });

  const startNode = async (id: string): Promise<Node> => {
    const backend = new EtcdBackend({ endpoints: etcd.endpoints, cluster: 'outage', clock: systemClock, logger });
    await backend.connect();
    const node = { id, backend, lostReasons: [], registrations: 0 } as unknown as Node;
    const register = async () => {
      node.registration = await backend.register(memberRecord(id), TTL_SECONDS);
      node.registrations++;
      node.campaign = backend.campaign(id, node.registration);
      node.registration.onLost((reason) => {
        node.lostReasons.push(reason);
        const retry = () =>
          register().catch(() => {
            setTimeout(retry, 300);
          });
        retry();
      });
    };
    await register();
    nodes.push(node);
    return node;
  };

  it('goes lost and fences the leader before the TTL, then reconnects, re-registers and elects again', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')];
    const statuses: BackendStatus[] = [];
    a.backend.onStatus((status) => statuses.push(status));
    const observed: Array<LeaderInfo | null> = [];
    b.backend.observeLeader((leader) => observed.push(leader));
    const leader = await waitFor('a leader', () => [a, b].find((n) => n.campaign.current() !== null));
    const follower = leader === a ? b : a;
    const oldCampaign = leader.campaign;

    // Sample the fence: when did the leader stop holding a token?
    let steppedDownAt: number | null = null;
    const sampler = setInterval(() => {
      if (steppedDownAt === null && oldCampaign.current() === null) steppedDownAt = Date.now();
    }, 10);
    const downAt = Date.now();
    await etcd.stopAll();

    await waitFor('status lost', () => statuses.at(-1)?.state === 'lost');
    expect(a.backend.status().lastError).toMatch(/^etcd unreachable at http:\/\/127\.0\.0\.1:\d+/);
    await waitFor('both leases lost', () => a.lostReasons.length > 0 && b.lostReasons.length > 0, {
      timeoutMs: TTL_SECONDS * 1000 + 2000,
    });
    clearInterval(sampler);
    expect(steppedDownAt).not.toBeNull();
    const fencedAfterMs = steppedDownAt! - downAt;
    console.info(`[etcd outage] leader stopped acting ${fencedAfterMs} ms after etcd went down (TTL ${TTL_SECONDS} s)`);
    expect(fencedAfterMs).toBeLessThan(TTL_SECONDS * 1000);
    expect(leader.lostReasons[0]).toMatch(/no keepalive of lease \d+ confirmed within its 2 s TTL \(etcd unreachable/);
    expect(follower.campaign.current()).toBeNull();

    // Down for longer than the TTL, then back.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, downAt + TTL_SECONDS * 1000 + 1000 - Date.now())));
    const backAt = Date.now();
    await etcd.startAll();
    await waitFor(
      'status connected',
      () => a.backend.status().state === 'connected' && b.backend.status().state === 'connected',
    );
    await waitFor('both registered again', () => a.registrations === 2 && b.registrations === 2);
    const newLeader = await waitFor('a leader again', () => [a, b].find((n) => n.campaign.current() !== null));
    console.info(`[etcd outage] leader elected ${Date.now() - backAt} ms after etcd was started again`);
    expect(oldCampaign.current()).toBeNull();
    expect([a, b].filter((n) => n.campaign.current() !== null)).toHaveLength(1);
    await waitFor(
      'the observer to see the new leader',
      () => observed.at(-1)?.leaseId === newLeader.registration.leaseId,
    );
    expect((await a.backend.listMembers()).map((m) => m.record.id).sort()).toEqual(['a', 'b']);
    expect(statuses.map((s) => s.state)).toEqual(expect.arrayContaining(['lost', 'connected']));
  });
});
