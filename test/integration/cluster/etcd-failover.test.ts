import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, MemberEntry, Registration } from '../../../electron/cluster/coordination-backend.js';
import { EtcdBackend } from '../../../electron/cluster/etcd/etcd-backend.js';
import { fleetKeys } from '../../../electron/cluster/fleet-keys.js';
import { systemClock } from '../../../electron/core/clock.js';
import type { LeaderInfo } from '../../../shared/node.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from '../../unit/cluster/coordination-contract.js';

const TTL_SECONDS = 3;

interface Candidate {
  id: string;
  backend: EtcdBackend;
  registration: Registration;
  campaign: Campaign;
}

describe('etcd backend on a 3-member cluster', () => {
  let etcd: EtcdCluster;
  let fleet = 0;
  let cluster: string;
  const { logger, lines } = memoryLogger();
  const backends: EtcdBackend[] = [];
  const stopSampling: Array<() => void> = [];

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 3 });
  });
  afterAll(async () => etcd?.stop());
  afterEach(async () => {
    for (const stop of stopSampling.splice(0)) stop();
    for (const backend of backends.splice(0)) await backend.close();
    // Members killed by a test come back for the next one.
    for (const member of etcd.members) if (!member.running) await member.restart();
  });
  const nextFleet = () => (cluster = `failover-${++fleet}`);

  const backend = async (endpoints = etcd.endpoints) => {
    const created = new EtcdBackend({ endpoints, cluster, clock: systemClock, logger });
    backends.push(created);
    await created.connect();
    return created;
  };
  const candidate = async (id: string, endpoints = etcd.endpoints): Promise<Candidate> => {
    const created = await backend(endpoints);
    const registration = await created.register(memberRecord(id), TTL_SECONDS);
    return { id, backend: created, registration, campaign: created.campaign(id, registration) };
  };
  const leaderOf = (candidates: Candidate[]) => candidates.find((c) => c.campaign.current() !== null);
  const awaitLeader = (candidates: Candidate[], what = 'a leader', timeoutMs = 10_000) =>
    waitFor(what, () => leaderOf(candidates), { timeoutMs, intervalMs: 10 });

  /** Every 50 ms: how many candidates hold a token at once. Never more than one. */
  const sampleTokens = (candidates: Candidate[]) => {
    const samples: number[] = [];
    const timer = setInterval(() => {
      samples.push(candidates.filter((c) => c.campaign.current() !== null).length);
    }, 50);
    stopSampling.push(() => clearInterval(timer));
    return samples;
  };

  it('replaces a crashed leader within TTL + 2 s, and never has two leaders at once', async () => {
    nextFleet();
    const candidates = [await candidate('a'), await candidate('b'), await candidate('c')];
    const samples = sampleTokens(candidates);
    const first = await awaitLeader(candidates);
    const others = candidates.filter((c) => c !== first);

    const crashedAt = Date.now();
    await first.backend.close(); // no revoke: the keepalives just stop, as after kill -9
    const second = await awaitLeader(others, 'a new leader', TTL_SECONDS * 1000 + 2000);
    const failoverMs = Date.now() - crashedAt;
    await new Promise((resolve) => setTimeout(resolve, 500)); // a few more samples under the new leader

    console.info(`[etcd failover] crashed leader replaced in ${failoverMs} ms (TTL ${TTL_SECONDS} s)`);
    expect(failoverMs).toBeLessThan(TTL_SECONDS * 1000 + 2000);
    expect(second.campaign.current()!.id).not.toBe(first.id);
    expect(samples.length).toBeGreaterThan(TTL_SECONDS * 10);
    expect(Math.max(...samples)).toBe(1);
  });

  it('fences a leader cut off from etcd before anybody else is elected', async () => {
    nextFleet();
    const [reachable] = etcd.members;
    // The leader talks to one etcd member only: killing that member cuts it off while the cluster goes on.
    const isolated = await candidate('a', [reachable!.clientUrl]);
    await awaitLeader([isolated]);
    const candidates = [isolated, await candidate('b'), await candidate('c')];
    let steppedDownAt: number | null = null;
    let electedAt: number | null = null;
    const overlaps: number[] = [];
    const timer = setInterval(() => {
      const holders = candidates.filter((c) => c.campaign.current() !== null);
      overlaps.push(holders.length);
      if (steppedDownAt === null && isolated.campaign.current() === null) steppedDownAt = Date.now();
      if (electedAt === null && holders.some((c) => c !== isolated)) electedAt = Date.now();
    }, 10);
    stopSampling.push(() => clearInterval(timer));

    const cutAt = Date.now();
    await reachable!.kill();
    await awaitLeader(candidates.slice(1), 'another leader', TTL_SECONDS * 1000 + 3000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.info(
      `[etcd failover] cut-off leader stopped acting after ${steppedDownAt! - cutAt} ms, ` +
        `another was elected after ${electedAt! - cutAt} ms (TTL ${TTL_SECONDS} s)`,
    );
    expect(steppedDownAt! - cutAt).toBeLessThan(TTL_SECONDS * 1000);
    expect(steppedDownAt!).toBeLessThan(electedAt!);
    expect(Math.max(...overlaps)).toBe(1);
  });

  it('hands leadership over on resign in well under a second', async () => {
    nextFleet();
    const candidates = [await candidate('a'), await candidate('b'), await candidate('c')];
    const samples = sampleTokens(candidates);
    const times: number[] = [];
    let remaining = candidates;
    for (let round = 0; round < 2; round++) {
      const leader = await awaitLeader(remaining);
      remaining = remaining.filter((c) => c !== leader);
      const started = performance.now();
      await leader.campaign.resign();
      await awaitLeader(remaining, 'the next leader');
      times.push(performance.now() - started);
    }
    console.info(`[etcd failover] resign hand-over: ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')}`);
    expect(Math.max(...times)).toBeLessThan(1000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(1);
  });

  it('keeps leadership and membership when one etcd member (the raft leader) dies', async () => {
    nextFleet();
    const candidates = [await candidate('a'), await candidate('b'), await candidate('c')];
    const leader = await awaitLeader(candidates);
    const token = leader.campaign.current()!;
    const observer = await backend();
    const views: MemberEntry[][] = [];
    const observed: Array<LeaderInfo | null> = [];
    observer.watchMembers((members) => views.push(members));
    observer.observeLeader((l) => observed.push(l));
    await waitFor(
      'the observer to see everyone',
      () => views.at(-1)?.length === 3 && observed.at(-1)?.id === leader.id,
    );
    const samples = sampleTokens(candidates);
    const stepDowns: Array<LeaderInfo | null> = [];
    leader.campaign.onChange((leadership) => stepDowns.push(leadership));

    const raftLeader = await raftLeaderMember(etcd);
    await raftLeader.kill();
    // Longer than a TTL: every lease must have been kept alive through the raft election.
    await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 1000));

    expect(leader.campaign.current()).toEqual(token);
    expect(observed.filter((l) => l?.id !== leader.id)).toEqual([]);
    expect(
      views
        .at(-1)!
        .map((m) => m.record.id)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(views.every((view) => view.length === 3)).toBe(true);
    expect(Math.max(...samples)).toBe(1);
    const missing = samples.filter((count) => count === 0).length;
    console.info(`[etcd failover] raft leader killed: ${missing} of ${samples.length} samples without a token`);
    expect(stepDowns.filter((l) => l === null).length).toBeLessThanOrEqual(1);
    await raftLeader.restart();
  });

  it('skips garbage written under the members prefix by another tool, with a log line', async () => {
    nextFleet();
    const a = await candidate('a');
    const observer = await backend();
    const views: MemberEntry[][] = [];
    observer.watchMembers((members) => views.push(members));
    await waitFor('a listed', () => views.at(-1)?.length === 1);

    const garbageKey = fleetKeys(cluster).member('garbage');
    // Bound to a lease: a record without one is skipped before it is even parsed.
    const lease = /lease ([0-9a-f]+) granted/.exec((await etcd.etcdctl(['lease', 'grant', '60'])).stdout)?.[1];
    const put = await etcd.etcdctl(['put', `--lease=${lease}`, garbageKey, '{"id": "not a member"']);
    expect(put.code).toBe(0);
    await a.registration.update({ ...memberRecord('a'), name: 'after the garbage' });
    await waitFor('the update after the garbage', () => views.at(-1)?.[0]?.record.name === 'after the garbage');

    expect(views.every((view) => view.map((m) => m.record.id).join() === 'a')).toBe(true);
    expect((await observer.listMembers()).map((m) => m.record.id)).toEqual(['a']);
    const warnings = lines.filter((line) => line.level === 40 && line.key === garbageKey);
    expect(warnings.map((line) => line.msg)).toContain('skipping a value that is not JSON');
  });

  it('re-lists a members watch cut off while etcd was compacted, losing and duplicating nothing', async () => {
    nextFleet();
    const [first, ...rest] = etcd.members;
    // The watcher talks to one member only, so killing that member cuts its watch for sure.
    const watcher = await backend([first!.clientUrl]);
    const views: MemberEntry[][] = [];
    watcher.watchMembers((members) => views.push(members));
    const a = await candidate('a');
    const b = await candidate('b');
    await waitFor('a and b listed', () => views.at(-1)?.length === 2);

    await first!.kill();
    await b.registration.revoke();
    await candidate('c');
    await a.registration.update({ ...memberRecord('a'), name: 'renamed while cut off' });
    const others = { endpoints: rest.map((member) => member.clientUrl) };
    for (let i = 0; i < 20; i++) await etcd.etcdctl(['put', 'fleetdeck/noise', `${i}`], others);
    const revision = await currentRevision(etcd, rest[0]!.clientUrl);
    const compact = await etcd.etcdctl(['compact', revision], others);
    expect(compact.code, compact.stderr).toBe(0);
    await first!.restart();

    const ids = (view: MemberEntry[] | undefined) => (view ?? []).map((m) => m.record.id).join();
    await waitFor('the watch to catch up', () => ids(views.at(-1)) === 'a,c');
    expect(views.at(-1)![0]!.record.name).toBe('renamed while cut off');
    for (const view of views) expect(new Set(view.map((m) => m.record.id)).size).toBe(view.length);
    expect(lines.some((line) => line.msg === 'listing again and re-watching')).toBe(true);
  });
});

async function raftLeaderMember(etcd: EtcdCluster) {
  const status = await etcd.etcdctl(['endpoint', 'status', '-w', 'json']);
  // One entry per endpoint. Member ids are 64-bit: read them as strings, JSON numbers would lose digits.
  for (const entry of status.stdout.split('{"Endpoint":').slice(1)) {
    const endpoint = /^"([^"]+)"/.exec(entry)?.[1];
    const own = /"member_id":(\d+)/.exec(entry)?.[1];
    const leader = /"leader":(\d+)/.exec(entry)?.[1];
    const member = etcd.members.find((m) => m.clientUrl === endpoint);
    if (member && own && own === leader) return member;
  }
  throw new Error(`no etcd member says it is the raft leader: ${status.stdout} ${status.stderr}`);
}

async function currentRevision(etcd: EtcdCluster, endpoint: string): Promise<string> {
  const status = await etcd.etcdctl(['endpoint', 'status', '-w', 'json'], { endpoints: [endpoint] });
  const revision = /"revision":(\d+)/.exec(status.stdout)?.[1];
  if (!revision) throw new Error(`no revision in ${status.stdout} ${status.stderr}`);
  return revision;
}
