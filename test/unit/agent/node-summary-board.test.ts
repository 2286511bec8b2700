import { describe, expect, it } from 'vitest';
import { NodeSummaryBoard } from '../../../electron/agent/node-summary-board.js';
import type { NodeSummary } from '../../../shared/node.js';
import { ManualClock } from '../../support/manual-clock.js';
import { memoryLogger } from '../../support/test-logger.js';

const parts = (openCritical: () => number) => [
  { name: 'cluster', summary: () => ({ leaderClaim: { leaseId: '7', revision: '42' } }) },
  { name: 'fleet-config', summary: () => ({ configErrors: [] }) },
  {
    name: 'services',
    summary: () => ({
      health: 'warning' as const,
      services: 2,
      checks: { passing: 1, warning: 1, critical: 0, flapping: 0, unknown: 0 },
    }),
  },
  { name: 'logs' },
  { name: 'alerts', summary: () => ({ openAlerts: { info: 0, warning: 0, critical: openCritical(), emergency: 0 } }) },
  { name: 'node', summary: () => ({ cpuPercent: 12, memoryPercent: 50, diskPercent: 80 }) },
];

describe('NodeSummaryBoard', () => {
  it("gives its listeners one summary made of every capability's piece, stamped with the clock", async () => {
    const clock = new ManualClock(1_000);
    const board = new NodeSummaryBoard(clock, memoryLogger().logger);
    let critical = 0;
    board.compose(parts(() => critical));
    const heard: Array<{ summary: NodeSummary; urgent: boolean }> = [];
    board.onChanged((change) => heard.push(change));

    board.changed();
    critical = 1;
    await clock.advance(500);
    board.changed(true);

    expect(heard).toEqual([
      {
        urgent: false,
        summary: {
          health: 'warning',
          services: 2,
          checks: { passing: 1, warning: 1, critical: 0, flapping: 0, unknown: 0 },
          cpuPercent: 12,
          memoryPercent: 50,
          diskPercent: 80,
          leaderClaim: { leaseId: '7', revision: '42' },
          configErrors: [],
          openAlerts: { info: 0, warning: 0, critical: 0, emergency: 0 },
          tasks: { waiting: 0, running: 0 },
          publishedAt: 1_000,
        },
      },
      expect.objectContaining({ urgent: true }),
    ]);
    expect(heard[1]?.summary).toMatchObject({ openAlerts: { critical: 1 }, publishedAt: 1_500 });
  });

  it('refuses a summary a capability left incomplete, rather than publish it to the fleet', () => {
    const board = new NodeSummaryBoard(new ManualClock(0), memoryLogger().logger);
    board.compose(parts(() => 0).filter((part) => part.name !== 'node'));
    board.onChanged(() => {});
    expect(() => board.changed()).toThrow(/cpuPercent/);
  });
});
