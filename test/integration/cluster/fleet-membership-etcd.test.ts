import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EtcdBackend } from '../../../electron/cluster/etcd/etcd-backend.js';
import { FleetMembership } from '../../../electron/cluster/fleet-membership.js';
import { systemClock, type Clock } from '../../../electron/core/clock.js';
import { FleetFacts } from '../../../shared/node.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { nodeSummary } from '../../support/node-summary.js';
import { waitFor } from '../../support/poll.js';
import { offsetWallClock } from '../../support/offset-wall-clock.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from '../../unit/cluster/coordination-contract.js';

const TTL_SECONDS = 3;
const SUMMARY_INTERVAL_MS = 200;

describe('fleet membership on etcd', () => {
  let etcd: EtcdCluster;
  let fleet = 0;
  let cluster: string;
  const { logger, lines } = memoryLogger();
  const memberships: FleetMembership[] = [];
  const stops: Array<() => void> = [];

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
  });
  afterAll(async () => etcd?.stop());
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    for (const membership of memberships.splice(0)) await membership.leave();
  });
  const nextFleet = () => (cluster = `membership-${++fleet}`);

  const backend = (clock: Clock = systemClock) =>
    new EtcdBackend({ endpoints: etcd.endpoints, cluster, clock, logger });
  const join = async (id: string, clock: Clock = systemClock) => {
    const membership = new FleetMembership({
      backend: backend(clock),
      record: memberRecord(id),
      ttlSeconds: TTL_SECONDS,
      campaign: true,
      clock,
      logger,
      summaryIntervalMs: SUMMARY_INTERVAL_MS,
    });
    memberships.push(membership);
    await membership.join();
    return membership;
  };
  /** Publishes a new summary (a changing CPU reading, as on a live host) every interval. */
  const keepPublishing = (membership: FleetMembership, clock: Clock = systemClock) => {
    let cpu = 0;
    const timer = setInterval(
      () => membership.publishSummary(nodeSummary(clock.now(), { cpuPercent: (cpu = (cpu + 7) % 100) })),
      SUMMARY_INTERVAL_MS,
    );
    stops.push(() => clearInterval(timer));
  };

  it('writes fleet facts only when they change, not on every member summary', async () => {
    nextFleet();
    const watcher = backend();
    await watcher.connect();
    stops.push(() => void watcher.close());
    const writes: FleetFacts[] = [];
    watcher.watch('fleet/facts', (event) => {
      if (event.type === 'put') writes.push(FleetFacts.parse(JSON.parse(event.entry.value)));
    });
    const a = await join('a');
    const b = await join('b');
    keepPublishing(a);
    keepPublishing(b);
    await waitFor('facts naming both members', () => writes.at(-1)?.membersUp === 2);
    const settled = writes.length;
    const summariesSeen = () => b.members().find((m) => m.id === 'a')?.summary?.cpuPercent;
    const firstSeen = summariesSeen();

    // A quiet fleet for a while: summaries change every 200 ms, the facts do not.
    const until = performance.now() + 3000;
    await waitFor('the quiet window', () => performance.now() >= until, { timeoutMs: 5000 });
    expect(summariesSeen()).not.toBe(firstSeen);
    expect(writes.slice(settled)).toEqual([]);

    // A real change is written, once.
    const leaving = a.leadership() ? b : a;
    const staying = leaving === a ? b : a;
    memberships.splice(memberships.indexOf(leaving), 1);
    await leaving.leave();
    await waitFor('facts without the member that left', () => writes.at(-1)?.membersUp === 1);
    const afterLeave = writes.length;
    const quietUntil = performance.now() + 1500;
    await waitFor('another quiet window', () => performance.now() >= quietUntil, { timeoutMs: 5000 });
    expect(writes.length).toBe(afterLeave);
    // A graceful leave: gone, not down.
    expect(writes.at(-1)!.membersDown).toEqual([]);
    expect(staying.factsNow()?.membersUp).toBe(1);
  });

  it("estimates a member's clock skew from its records: one agent's clock 30 s ahead is seen by the others", async () => {
    nextFleet();
    const ahead = offsetWallClock(systemClock, () => 30_000);
    const a = await join('a');
    const b = await join('b');
    const c = await join('c', ahead);
    keepPublishing(a);
    keepPublishing(b);
    keepPublishing(c, ahead);
    const skewOf = (viewer: FleetMembership, id: string) => viewer.members().find((m) => m.id === id)?.clockSkewMs;
    const near = (value: number | undefined, expected: number) =>
      value !== undefined && Math.abs(value - expected) < 1000;

    await waitFor(
      'every agent to estimate the others',
      () =>
        near(skewOf(a, 'c'), 30_000) &&
        near(skewOf(b, 'c'), 30_000) &&
        near(skewOf(c, 'a'), -30_000) &&
        near(skewOf(c, 'b'), -30_000) &&
        near(skewOf(a, 'b'), 0) &&
        near(skewOf(b, 'a'), 0),
    );
    const warned = lines.filter((line) => line.msg === "a member's clock is off from ours");
    expect(warned.map((line) => line.memberId).sort()).toEqual(['a', 'b', 'c', 'c']);
    // Nobody estimates itself.
    for (const [viewer, id] of [
      [a, 'a'],
      [b, 'b'],
      [c, 'c'],
    ] as const) {
      expect(skewOf(viewer, id)).toBeUndefined();
    }
  });
});
