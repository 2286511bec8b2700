import { afterEach, describe, expect, it } from 'vitest';
import { FleetMembership } from '../../../electron/cluster/fleet-membership.js';
import { LocalBackend } from '../../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../../electron/cluster/local/local-coordinator.js';
import { CodedError } from '../../../electron/core/coded-error.js';
import { ManualClock } from '../../support/manual-clock.js';
import { nodeSummary } from '../../support/node-summary.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from './coordination-contract.js';

const TTL_SECONDS = 3;
const DAY_MS = 24 * 3_600_000;

/** Memberships on one embedded coordinator with a manual clock: the leader's fleet facts, as every node reads them. */
function fleet({ downRetentionMs = 7 * DAY_MS } = {}) {
  const clock = new ManualClock();
  const coordinator = new LocalCoordinator(clock);
  const { logger } = memoryLogger();
  const nodes: Array<{ id: string; membership: FleetMembership; backend: LocalBackend; gone: boolean }> = [];

  const join = async (id: string, role: 'agent' | 'console' = 'agent') => {
    const backend = new LocalBackend({ coordinator, ownsCoordinator: false, cluster: 'unit', clock, logger });
    const record = { ...memberRecord(id), role, labels: { zone: `zone-${id}` }, startedAt: clock.now() };
    const membership = new FleetMembership({
      backend,
      record,
      ttlSeconds: TTL_SECONDS,
      campaign: role === 'agent',
      clock,
      logger,
      downRetentionMs,
    });
    await membership.join();
    membership.publishSummary(nodeSummary(clock.now(), { cpuPercent: 40 + id.length }), true);
    const node = { id, membership, backend, gone: false };
    nodes.push(node);
    await clock.advance(0);
    return node;
  };
  type Node = Awaited<ReturnType<typeof join>>;
  const down = (node: Node) => node.membership.factsNow()?.membersDown ?? [];

  return {
    clock,
    join,
    down,
    downIds: (node: Node) => down(node).map((member) => member.id),
    /** The process dies: no leave marker, keepalives stop, its lease expires by itself. */
    crash: async (node: Node) => {
      node.gone = true;
      await node.backend.close();
    },
    leave: async (node: Node) => {
      node.gone = true;
      await node.membership.leave();
    },
    /** Long enough for a lease to expire and the leader to write what follows. */
    settle: () => clock.advance(TTL_SECONDS * 1000 + 6000),
    leaderOf: () => nodes.find((node) => !node.gone && node.membership.leadership())!,
    close: async () => {
      for (const node of nodes) if (!node.gone) await node.backend.close();
    },
  };
}
type Fleet = ReturnType<typeof fleet>;

describe('members down in the fleet facts', () => {
  let current: Fleet | null = null;
  afterEach(async () => {
    await current?.close();
    current = null;
  });

  it('lists an agent gone without a leave with its last record, not one that left gracefully', async () => {
    const f = (current = fleet());
    const a = await f.join('a');
    const b = await f.join('b');
    const c = await f.join('c');
    await f.clock.advance(2000);
    const crashedAt = f.clock.now();
    await f.crash(b);
    await f.leave(c);
    await f.settle();

    expect(f.down(a)).toEqual([
      {
        id: 'b',
        name: 'Node b',
        role: 'agent',
        labels: { zone: 'zone-b' },
        version: '0.1.0',
        summary: expect.objectContaining({ cpuPercent: 41 }),
        lastSeen: expect.any(Number),
        downSince: expect.any(Number),
      },
    ]);
    const [b1] = f.down(a);
    expect(b1!.lastSeen).toBeLessThanOrEqual(crashedAt);
    expect(b1!.downSince).toBeGreaterThan(crashedAt);
    expect(a.membership.factsNow()?.membersUp).toBe(1);
  });

  it('does not list a console that goes away: it comes and goes with its desktop', async () => {
    const f = (current = fleet());
    const a = await f.join('a');
    await f.crash(await f.join('desk', 'console'));
    await f.settle();
    expect(f.downIds(a)).toEqual([]);
  });

  it('drops a member that comes back', async () => {
    const f = (current = fleet());
    const a = await f.join('a');
    await f.crash(await f.join('b'));
    await f.settle();
    expect(f.downIds(a)).toEqual(['b']);

    await f.join('b');
    await f.clock.advance(1000);
    expect(f.downIds(a)).toEqual([]);
  });

  it('forgets a member on the leader only, and it stays forgotten after a failover', async () => {
    const f = (current = fleet());
    const a = await f.join('a');
    const b = await f.join('b');
    await f.crash(await f.join('c'));
    await f.settle();
    expect(f.downIds(b)).toEqual(['c']);

    const refused = await b.membership.forget('c').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CodedError);
    expect(refused).toMatchObject({ code: 'conflict' });
    const forgetting = a.membership.forget('c');
    await f.clock.advance(0);
    await expect(forgetting).resolves.toBe(true);
    expect(f.downIds(b)).toEqual([]);
    const again = a.membership.forget('c');
    await f.clock.advance(0);
    await expect(again).resolves.toBe(false);

    // b saw c go too, but c was forgotten: leading now, b lists only the old leader.
    await f.crash(a);
    await f.settle();
    expect(f.leaderOf()).toBe(b);
    expect(f.downIds(b)).toEqual(['a']);
  });

  it('keeps the list across a failover and for a node that starts later', async () => {
    const f = (current = fleet());
    const a = await f.join('a');
    const b = await f.join('b');
    await f.crash(await f.join('c'));
    await f.settle();
    const [c] = f.down(b);

    await f.crash(a);
    await f.settle();
    expect(f.leaderOf()).toBe(b);
    expect(f.down(b)).toEqual([expect.objectContaining({ id: 'a', name: 'Node a' }), c]);

    // A node that never saw either of them reads the list, and carries it on when it leads.
    const d = await f.join('d');
    expect(f.downIds(d)).toEqual(['a', 'c']);
    await f.crash(b);
    await f.settle();
    expect(f.leaderOf()).toBe(d);
    expect(f.downIds(d)).toEqual(['a', 'b', 'c']);
  });

  it('drops a member once the retention has passed since it went down, for good', async () => {
    const f = (current = fleet({ downRetentionMs: DAY_MS }));
    const a = await f.join('a');
    const b = await f.join('b');
    await f.crash(await f.join('c'));
    await f.settle();
    expect(f.downIds(a)).toEqual(['c']);

    // The retention runs against the wall clock (`downSince` is an epoch stamp kept from leader to leader).
    f.clock.stepWall(DAY_MS - 30_000);
    await f.clock.advance(6000);
    expect(f.downIds(a)).toEqual(['c']);
    f.clock.stepWall(30_000);
    await f.clock.advance(6000);
    expect(f.downIds(a)).toEqual([]);

    await f.crash(a);
    await f.settle();
    expect(f.leaderOf()).toBe(b);
    expect(f.downIds(b)).toEqual(['a']);
  });
});
