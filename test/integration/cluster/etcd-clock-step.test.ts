import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, Registration } from '../../../electron/cluster/coordination-backend.js';
import { EtcdBackend } from '../../../electron/cluster/etcd/etcd-backend.js';
import { systemClock } from '../../../electron/core/clock.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { offsetWallClock } from '../../support/offset-wall-clock.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from '../../unit/cluster/coordination-contract.js';

const TTL_SECONDS = 3;

interface Candidate {
  id: string;
  backend: EtcdBackend;
  registration: Registration;
  campaign: Campaign;
  lost: string[];
  /** What the wall clock of this candidate is moved by. */
  wall: { offsetMs: number };
}

describe('a wall-clock step on the leader (3-member etcd, TTL 3 s)', () => {
  let etcd: EtcdCluster;
  const { logger } = memoryLogger();
  const candidates: Candidate[] = [];

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 3 });
  });
  afterAll(async () => {
    for (const candidate of candidates) await candidate.backend.close();
    await etcd?.stop();
  });

  const candidate = async (id: string): Promise<Candidate> => {
    const wall = { offsetMs: 0 };
    const clock = offsetWallClock(systemClock, () => wall.offsetMs);
    const backend = new EtcdBackend({ endpoints: etcd.endpoints, cluster: 'clock-step', clock, logger });
    await backend.connect();
    const registration = await backend.register(memberRecord(id), TTL_SECONDS);
    const lost: string[] = [];
    registration.onLost((reason) => lost.push(reason));
    const created = { id, backend, registration, campaign: backend.campaign(id, registration), lost, wall };
    candidates.push(created);
    return created;
  };

  it('keeps the lease and the leadership when the leader’s clock steps back 10 s, and forward again', async () => {
    const all = [await candidate('a'), await candidate('b'), await candidate('c')];
    const leader = await waitFor('a leader', () => all.find((c) => c.campaign.current() !== null));
    const token = leader.campaign.current();
    const holders: string[][] = [];
    const timer = setInterval(
      () => holders.push(all.filter((c) => c.campaign.current() !== null).map((c) => c.id)),
      50,
    );

    // Two TTLs and more after each step: every keepalive sent after it must count, or the lease runs out.
    const observe = async () => {
      const until = performance.now() + TTL_SECONDS * 2000 + 1000;
      await waitFor('the observation window', () => performance.now() >= until, { timeoutMs: 10_000 });
    };
    leader.wall.offsetMs = -10_000; // an NTP correction
    await observe();
    leader.wall.offsetMs = 0; // and back: a forward step must not end the fence early either
    await observe();
    clearInterval(timer);

    expect(leader.lost).toEqual([]);
    expect(leader.registration.leaseId).toBe(token!.leaseId);
    expect(leader.campaign.current()).toEqual(token);
    expect(holders.length).toBeGreaterThan(TTL_SECONDS * 4 * 10);
    // Never without a leader, never a different one.
    expect(holders.filter((ids) => ids.join() !== leader.id)).toEqual([]);
  });
});
