import { afterEach, describe, expect, it } from 'vitest';
import { FleetMembership } from '../../../electron/cluster/fleet-membership.js';
import { LocalBackend } from '../../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../../electron/cluster/local/local-coordinator.js';
import { ManualClock } from '../../support/manual-clock.js';
import { nodeSummary } from '../../support/node-summary.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from './coordination-contract.js';

const summary = (clock: ManualClock, cpuPercent: number) => nodeSummary(clock.now(), { cpuPercent });

describe('FleetMembership', () => {
  const clock = new ManualClock();
  const { logger } = memoryLogger();
  const coordinator = new LocalCoordinator(clock);
  const memberships: FleetMembership[] = [];
  afterEach(async () => {
    for (const membership of memberships.splice(0)) await membership.leave();
  });

  const join = async (id: string, options: { ttlSeconds?: number; heartbeatMs?: number } = {}) => {
    const backend = new LocalBackend({ coordinator, ownsCoordinator: false, cluster: 'unit', clock, logger });
    const membership = new FleetMembership({
      backend,
      record: memberRecord(id),
      ttlSeconds: 3,
      campaign: true,
      clock,
      logger,
      summaryIntervalMs: 2000,
      ...options,
    });
    memberships.push(membership);
    await membership.join();
    await clock.advance(0);
    return membership;
  };
  const published = (membership: FleetMembership, id: string) =>
    membership.members().find((m) => m.id === id)?.summary?.cpuPercent;

  it('keeps publishing summaries every interval after the wall clock steps back 10 s', async () => {
    const a = await join('a');
    a.publishSummary(summary(clock, 10));
    await clock.advance(2000);
    expect(published(a, 'a')).toBe(10);

    clock.stepWall(-10_000);
    a.publishSummary(summary(clock, 20));
    await clock.advance(2000);
    expect(published(a, 'a')).toBe(20);
  });

  it('marks a member stale once its record is 3 heartbeats overdue, before its lease ends, and fresh once it writes', async () => {
    const ttlSeconds = 30;
    const a = await join('a', { ttlSeconds, heartbeatMs: 1000 });
    // A quiet member: its summary never changes, only its heartbeat rewrites its record.
    await join('b', { ttlSeconds, heartbeatMs: 1000 });
    // A stuck one: its lease is kept alive, its record is not rewritten (a heartbeat of an hour stands in for that).
    const stuck = await join('stuck', { ttlSeconds, heartbeatMs: 3_600_000 });
    const told: string[][] = [];
    a.onMembers((members) => told.push(members.filter((m) => m.stale).map((m) => m.id)));
    const staleIds = () =>
      a
        .members()
        .filter((m) => m.stale)
        .map((m) => m.id);

    // Its last write was its first heartbeat, 1 s after it joined.
    await clock.advance(4000);
    expect(staleIds()).toEqual([]);
    await clock.advance(1000);
    expect(staleIds()).toEqual(['stuck']);
    expect(told.at(-1)).toEqual(['stuck']);
    await clock.advance(60_000);
    expect(staleIds()).toEqual(['stuck']);
    expect(a.members().map((m) => m.id)).toEqual(['a', 'b', 'stuck']);

    stuck.publishSummary(summary(clock, 30), true);
    await clock.advance(1000);
    expect(staleIds()).toEqual([]);
    expect(told.at(-1)).toEqual([]);
  });
});
