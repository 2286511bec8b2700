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

  const join = async (id: string) => {
    const backend = new LocalBackend({ coordinator, ownsCoordinator: false, cluster: 'unit', clock, logger });
    const membership = new FleetMembership({
      backend,
      record: memberRecord(id),
      ttlSeconds: 3,
      campaign: true,
      clock,
      logger,
      summaryIntervalMs: 2000,
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
});
