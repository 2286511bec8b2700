import { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectOptions, MemberEntry } from '../../../electron/cluster/coordination-backend.js';
import { EtcdBackend } from '../../../electron/cluster/etcd/etcd-backend.js';
import { fleetKeys } from '../../../electron/cluster/fleet-keys.js';
import { FleetMembership } from '../../../electron/cluster/fleet-membership.js';
import { systemClock } from '../../../electron/core/clock.js';
import type { LeaderInfo } from '../../../shared/node.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from '../../unit/cluster/coordination-contract.js';

const TTL_SECONDS = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * connect() told the lease TTL grants the lease of the coming registration, so that register() is one put into
 * a live lease. The lease must behave exactly like one register() grants: kept alive, replaced when lost before
 * it is used, lost and fenced like any other once it holds the registration, revoked at once on leave.
 */
describe('etcd backend: the lease granted while connecting', () => {
  let etcd: EtcdCluster;
  let raw: Etcd3;
  let fleet = 0;
  let cluster: string;
  const { logger, lines } = memoryLogger();
  const backends: EtcdBackend[] = [];
  const memberships: FleetMembership[] = [];

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    raw = new Etcd3({ hosts: etcd.endpoints });
  });
  afterAll(async () => {
    raw?.close();
    await etcd?.stop();
  });
  afterEach(async () => {
    for (const membership of memberships.splice(0)) await membership.leave().catch(() => {});
    for (const backend of backends.splice(0)) await backend.close();
  });

  const nextFleet = () => (cluster = `ahead-${++fleet}`);
  const backend = async (options?: ConnectOptions) => {
    const created = new EtcdBackend({ endpoints: etcd.endpoints, cluster, clock: systemClock, logger });
    backends.push(created);
    await created.connect(options);
    return created;
  };
  const leases = async () => new Set((await raw.leaseClient.leaseLeases()).leases.map((lease) => String(lease.ID)));
  /** The leases granted since `before`. */
  const newLeases = async (before: Set<string>) => [...(await leases())].filter((id) => !before.has(id));
  const memberLease = async (id: string) => {
    const response = await raw.kv.range({ key: Buffer.from(fleetKeys(cluster).member(id)) });
    return response.kvs[0] ? String(response.kvs[0].lease) : null;
  };

  it('grants the lease while connecting, keeps it alive, and register() binds the record to it', async () => {
    nextFleet();
    const before = await leases();
    const node = await backend({ leaseTtlSeconds: TTL_SECONDS });
    const granted = await newLeases(before);
    expect(granted).toHaveLength(1);
    const lease = granted[0]!;
    const ttl = await raw.leaseClient.leaseTimeToLive({ ID: lease });
    expect(ttl.grantedTTL).toBe(String(TTL_SECONDS));

    // Unused for longer than its TTL: the keepalive holds it.
    await sleep(TTL_SECONDS * 1000 + 500);
    expect(await leases()).toContain(lease);

    const registration = await node.register(memberRecord('a'), TTL_SECONDS);
    expect(registration.leaseId).toBe(lease);
    expect(await memberLease('a')).toBe(lease);
    expect(await newLeases(before)).toEqual([lease]); // register() granted nothing more

    await sleep(TTL_SECONDS * 1000 + 500);
    expect((await node.listMembers()).map((m) => m.record.id)).toEqual(['a']);

    await registration.revoke(); // a graceful leave: gone at once, not after the TTL
    expect(await memberLease('a')).toBeNull();
    expect(await leases()).not.toContain(lease);
  });

  it('registers on a new lease when the one granted ahead was revoked just before register()', async () => {
    nextFleet();
    const before = await leases();
    const node = await backend({ leaseTtlSeconds: TTL_SECONDS });
    const [ahead] = await newLeases(before);
    // Revoked behind our back between two keepalives (the first goes out right after the grant, the next one
    // TTL / 3 later): the backend cannot know yet, so its put into the lease fails.
    await sleep(200);
    await raw.leaseClient.leaseRevoke({ ID: ahead! });

    const registration = await node.register(memberRecord('b'), TTL_SECONDS);
    expect(registration.leaseId).not.toBe(ahead);
    expect(await memberLease('b')).toBe(registration.leaseId);
    const replaced = (line: Record<string, unknown>) =>
      line.leaseId === ahead && line.msg === 'the lease granted ahead is gone; registering on a new one';
    expect(lines.some(replaced)).toBe(true);
    await sleep(TTL_SECONDS * 1000 + 500);
    expect(await memberLease('b')).toBe(registration.leaseId); // the replacement is kept alive
  });

  it('replaces a lease granted ahead that was lost while waiting, and gives up one of another TTL', async () => {
    nextFleet();
    const before = await leases();
    const node = await backend({ leaseTtlSeconds: TTL_SECONDS });
    const [lost] = await newLeases(before);
    await raw.leaseClient.leaseRevoke({ ID: lost! });
    // The next keepalive answer (every TTL / 3) says the lease is gone.
    await waitFor('the loss noticed', () =>
      lines.some(
        (line) => line.leaseId === lost && line.msg === 'the lease granted ahead was lost; register() grants another',
      ),
    );
    const registration = await node.register(memberRecord('c'), TTL_SECONDS);
    expect(registration.leaseId).not.toBe(lost);
    expect(await memberLease('c')).toBe(registration.leaseId);

    const other = await backend({ leaseTtlSeconds: TTL_SECONDS });
    const [unused] = (await newLeases(before)).filter((id) => id !== registration.leaseId);
    const longer = await other.register(memberRecord('d'), TTL_SECONDS + 1);
    expect(longer.leaseId).not.toBe(unused);
    expect((await raw.leaseClient.leaseTimeToLive({ ID: longer.leaseId })).grantedTTL).toBe(String(TTL_SECONDS + 1));
    await waitFor('the unused lease revoked', async () => !(await leases()).has(unused!));
  });

  it('loses and fences a registration on a lease granted ahead like any other', async () => {
    nextFleet();
    const node = await backend({ leaseTtlSeconds: TTL_SECONDS });
    const registration = await node.register(memberRecord('e'), TTL_SECONDS);
    const campaign = node.campaign('e', registration);
    await waitFor('leadership', () => campaign.current() ?? false);
    const lost: string[] = [];
    registration.onLost((reason) => lost.push(reason));

    await raw.leaseClient.leaseRevoke({ ID: registration.leaseId });
    await waitFor('the loss', () => lost.length > 0, { timeoutMs: TTL_SECONDS * 1000 });
    expect(campaign.current()).toBeNull();
  });

  it('FleetMembership registers on the lease its connect granted, and rejoins on a new one when it is lost', async () => {
    nextFleet();
    const observer = await backend();
    const views: MemberEntry[][] = [];
    observer.watchMembers((members) => views.push(members));
    const before = await leases();
    const membership = new FleetMembership({
      backend: new EtcdBackend({ endpoints: etcd.endpoints, cluster, clock: systemClock, logger }),
      record: memberRecord('f'),
      ttlSeconds: TTL_SECONDS,
      campaign: true,
      clock: systemClock,
      logger,
      rejoinDelayMs: 100,
    });
    memberships.push(membership);
    const leadership: Array<LeaderInfo | null> = [];
    membership.onLeadership((l) => leadership.push(l));
    await membership.join();
    const granted = await newLeases(before);
    expect(granted).toHaveLength(1); // the one granted while connecting, which the registration uses
    expect(await memberLease('f')).toBe(granted[0]);
    await waitFor('leadership', () => leadership.at(-1)?.leaseId === granted[0]);

    await raw.leaseClient.leaseRevoke({ ID: granted[0]! });
    await waitFor('the step-down', () => leadership.includes(null), { timeoutMs: TTL_SECONDS * 1000 });
    const rejoined = await waitFor('re-registered on a new lease', async () => {
      const lease = await memberLease('f');
      return lease !== null && lease !== granted[0] ? lease : false;
    });
    await waitFor('leadership again', () => leadership.at(-1)?.leaseId === rejoined);
    await waitFor(
      'the observer to see f',
      () =>
        views
          .at(-1)
          ?.map((m) => m.record.id)
          .join() === 'f',
    );

    await membership.leave();
    memberships.splice(0);
    expect(await memberLease('f')).toBeNull();
    expect(await leases()).not.toContain(rejoined);
  });
});
