import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdBackend } from '../../electron/cluster/etcd/etcd-backend.js';
import { FleetMembership } from '../../electron/cluster/fleet-membership.js';
import { systemClock } from '../../electron/core/clock.js';
import { etcdFleetArgs, startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { openTestPage, type TestPage } from '../support/browser.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { nodeSummary } from '../support/node-summary.js';
import { offsetWallClock } from '../support/offset-wall-clock.js';
import { memoryLogger } from '../support/test-logger.js';
import { memberRecord } from '../unit/cluster/coordination-contract.js';

const CLUSTER = 'e2e-skew';

describe('the Nodes view warns about a member whose clock is off', () => {
  let etcd: EtcdCluster | undefined;
  let agent: AgentProcess | undefined;
  let skewed: FleetMembership | undefined;
  let stopPublishing = () => {};
  let testPage: TestPage | undefined;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    agent = await startAgentProcess({ args: etcdFleetArgs(etcd.endpoints[0]!, CLUSTER, 'e2e-viewer') });
    // The other member: a fleet membership in this process whose wall clock runs 30 s ahead.
    const ahead = offsetWallClock(systemClock, () => 30_000);
    const { logger } = memoryLogger();
    skewed = new FleetMembership({
      backend: new EtcdBackend({ endpoints: etcd.endpoints, cluster: CLUSTER, clock: ahead, logger }),
      record: { ...memberRecord('skewed'), name: 'e2e-skewed' },
      ttlSeconds: 3,
      campaign: false,
      clock: ahead,
      logger,
      summaryIntervalMs: 200,
    });
    await skewed.join();
    let cpuPercent = 0;
    const timer = setInterval(() => {
      cpuPercent = (cpuPercent + 7) % 100;
      skewed!.publishSummary(nodeSummary(ahead.now(), { cpuPercent }));
    }, 200);
    stopPublishing = () => clearInterval(timer);
    ({ page, problems } = testPage = await openTestPage());
  });

  afterAll(async () => {
    stopPublishing();
    await testPage?.close();
    await skewed?.leave();
    await agent?.stop();
    await etcd?.stop();
  });

  it('shows the skew on the member’s row and in a banner', async () => {
    await page.goto(`${agent!.url}/#/nodes`);
    await page.getByRole('heading', { level: 1, name: 'Nodes', exact: true }).waitFor();
    const banner = page.getByTestId('clock-skew-banner');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/e2e-skewed's clock is (29|30|31) s ahead of this node's/);
    const row = page.locator('tr[data-member-id="skewed"]');
    expect(await row.getByTestId('clock-skew-badge').textContent()).toMatch(/^clock (29|30|31) s ahead$/);
    // The viewer itself has no badge.
    expect(await page.locator('tr.is-self').getByTestId('clock-skew-badge').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
