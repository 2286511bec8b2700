import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Etcd3, type Lease } from 'etcd3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberRecord } from '../../shared/node.js';
import { etcdFleetArgs, repoRoot, startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { openTestPage, type TestPage } from '../support/browser.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { memberRecords, putMemberRecords } from '../support/member-records.js';
import { waitFor } from '../support/poll.js';

const CLUSTER = 'e2e-nodes-table';
const SEEDED = 2000;
/** The console and the agent, registered on their own beside the seeded records. */
const TOTAL = SEEDED + 2;
const artifacts = join(repoRoot, 'test/artifacts');
const quiet = { FLEETDECK_LOG_LEVEL: 'warn' };

/** Every mounted cell (and header) whose content is wider than the cell: what an ellipsis would hide. */
const truncatedCells = (page: Page) =>
  page
    .getByTestId('fleet-table')
    .evaluate((table) =>
      [...table.querySelectorAll('th, tbody tr[data-member-id] td')]
        .filter((cell) => cell.scrollWidth > cell.clientWidth)
        .map(
          (cell) =>
            `${cell.closest('tr')?.getAttribute('data-member-id') ?? 'header'}: "${cell.textContent}" ` +
            `(${cell.scrollWidth} px in ${cell.clientWidth})`,
        ),
    );

/** Rows in the DOM, and rows at least partly inside the scrolling viewport. */
const rowCounts = (page: Page) =>
  page.getByTestId('fleet-table').evaluate((table) => {
    const viewport = table.parentElement!.getBoundingClientRect();
    const head = table.querySelector('thead')!.getBoundingClientRect();
    const rows = [...table.querySelectorAll('tbody tr[data-member-id]')];
    const visible = rows.filter((row) => {
      const box = row.getBoundingClientRect();
      return box.bottom > head.bottom && box.top < viewport.bottom;
    });
    return { mounted: rows.length, visible: visible.length };
  });

describe('the Nodes view with a fleet of 2,002 members', () => {
  let etcd: EtcdCluster | undefined;
  let etcdClient: Etcd3 | undefined;
  let lease: Lease | undefined;
  let records: MemberRecord[];
  let consoleAgent: AgentProcess | undefined;
  let agent: AgentProcess | undefined;
  let testPage: TestPage | undefined;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    etcdClient = new Etcd3({ hosts: etcd.endpoints });
    records = memberRecords(SEEDED);
    lease = await putMemberRecords(etcdClient, CLUSTER, records);
    consoleAgent = await startAgentProcess({
      args: [...etcdFleetArgs(etcd.endpoints[0]!, CLUSTER, 'e2e-console'), '--role', 'console'],
      env: quiet,
    });
    agent = await startAgentProcess({
      args: etcdFleetArgs(etcd.endpoints[0]!, CLUSTER, 'e2e-agent'),
      env: quiet,
    });
    ({ page, problems } = testPage = await openTestPage({ width: 1440, height: 900 }));
    await page.goto(`${consoleAgent.url}/#/nodes`);
    await waitFor(
      'every member in the table',
      async () => (await page.getByTestId('fleet-count').textContent())?.startsWith('2,002 members'),
      { timeoutMs: 30_000 },
    );
  }, 120_000);

  afterAll(async () => {
    await testPage?.close();
    await agent?.stop();
    await consoleAgent?.stop();
    await lease?.revoke();
    etcdClient?.close();
    await etcd?.stop();
  });

  it('shows the fleet table first, above this node’s card and charts', async () => {
    const tableTop = (await page.getByRole('table', { name: 'Cluster members' }).boundingBox())!.y;
    const thisNodeTop = (await page.getByRole('region', { name: 'This node' }).boundingBox())!.y;
    expect(tableTop).toBeLessThan(thisNodeTop);
    expect(tableTop).toBeLessThan(900);
  });

  it('fits 1440 px without truncating a cell, whichever column it is sorted by', async () => {
    const table = page.getByRole('table', { name: 'Cluster members' });
    const scroller = page.locator('.fleet-scroll');
    const widths = await scroller.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(await truncatedCells(page)).toEqual([]);
    // The widest cells: the worst status with config errors, the busiest queues, the most alerts, this node's tag.
    for (const header of ['Status', 'Alerts', 'Tasks', 'Role']) {
      await table
        .getByRole('columnheader', { name: new RegExp(`^${header}`) })
        .getByRole('button')
        .click();
      expect(await truncatedCells(page)).toEqual([]);
    }
    await page.getByLabel('Search members').fill('e2e-');
    await waitFor('the two real members', async () => (await rowCounts(page)).mounted === 2);
    expect(await truncatedCells(page)).toEqual([]);
    await page.getByLabel('Search members').fill('');
    await table.getByRole('columnheader', { name: /^Name/ }).getByRole('button').click();
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'nodes-table.png') });
  });

  it('mounts at most twice the rows in view, and the right ones as it scrolls', async () => {
    const scroller = page.getByRole('region', { name: 'Cluster members, scrollable' });
    for (const scrollTop of [0, 40_000, 1e9]) {
      await scroller.evaluate((element, top) => element.scrollTo({ top }), scrollTop);
      await waitFor('the rows of the new position', async () => {
        const { mounted, visible } = await rowCounts(page);
        return visible > 0 && mounted <= 2 * visible;
      });
    }
    // At the bottom: the last rows of the name order, numbered among all 2,003 rows (the header is row 1).
    const lastRow = page.locator('tbody tr[data-member-id]').last();
    expect(await lastRow.getAttribute('aria-rowindex')).toBe(String(TOTAL + 1));
    const lastName = [...records.map((record) => record.name), 'e2e-agent', 'e2e-console'].sort().at(-1);
    expect(await lastRow.locator('td').first().textContent()).toBe(lastName);
    await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
  });

  it('sorts by CPU and filters by label', async () => {
    const table = page.getByRole('table', { name: 'Cluster members' });
    const cpuHeader = table.getByRole('columnheader', { name: /^CPU/ });
    await cpuHeader.getByRole('button').click();
    expect(await cpuHeader.getAttribute('aria-sort')).toBe('descending');
    const busiest = Math.max(...records.map((record) => record.summary!.cpuPercent!));
    // The real agents' CPU may top the seeded ones: the column reads from the top down, highest first.
    const cpuColumn = async () =>
      (await table.locator('tbody tr[data-member-id] td:nth-child(4)').allTextContents()).map((text) =>
        Number.parseInt(text, 10),
      );
    await waitFor('the busiest members first', async () => {
      const cpu = await cpuColumn();
      return cpu[0]! >= Math.round(busiest) && cpu.every((value, i) => i === 0 || value <= cpu[i - 1]!);
    });
    await page.getByLabel('Labels').fill('zone=us-2, tier=db');
    const matching = records.filter((r) => r.labels.zone === 'us-2' && r.labels.tier === 'db').length;
    await waitFor('only the matching members', async () =>
      (await page.getByTestId('fleet-count').textContent())?.startsWith(`Showing ${matching} of 2,002`),
    );
    await page.getByLabel('Labels').fill('');
    await table.getByRole('columnheader', { name: /^Name/ }).getByRole('button').click();
  });

  it('opens a member’s details from its row, with the resources its own agent reports', async () => {
    const self = await clientFor(agent!.url).call('node.status', {});
    await page.getByLabel('Search members').fill('e2e-agent');
    await page.locator(`tr[data-member-id="${self.id}"] td`).nth(4).click();
    const details = page.getByTestId('member-details');
    await details.waitFor();
    expect(await page.getByRole('complementary', { name: 'e2e-agent' }).count()).toBe(1);
    expect(await details.locator('.node-id').textContent()).toBe(self.id);
    expect(await details.getByText(self.version, { exact: true }).count()).toBe(1);
    // Asked from e2e-agent through cluster.call: its data directory's filesystem, which the console does not have.
    const disks = details.getByRole('table', { name: 'Disks' });
    await disks.waitFor({ timeout: 15_000 });
    expect(await disks.locator('tbody tr').count()).toBe(self.resources?.disks.length);
    expect(await details.getByTestId('node-cpu').textContent()).toMatch(/^\d+\.\d %$/);
    await page.screenshot({ path: join(artifacts, 'nodes-member-details.png') });

    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    // The keyboard way in: the name is a button.
    await page.getByRole('button', { name: 'e2e-agent', exact: true }).focus();
    await page.keyboard.press('Enter');
    await details.waitFor();
    await details.getByRole('button', { name: 'Close' }).click();
    await page.getByLabel('Search members').fill('');
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});

describe('down and stale members in the Nodes table', () => {
  const cluster = 'e2e-nodes-down';
  // Records rewritten every second, so one 3 s overdue is stale; the same on every member.
  const config = { members: { heartbeatSeconds: 1 } };
  const poll = { timeoutMs: 30_000, intervalMs: 100 };
  let etcd: EtcdCluster | undefined;
  let etcdClient: Etcd3 | undefined;
  let lease: Lease | undefined;
  let seeded: MemberRecord[];
  const agents = new Map<string, AgentProcess>();
  let consoleAgent: AgentProcess | undefined;
  let testPage: TestPage | undefined;
  let page: Page;

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    etcdClient = new Etcd3({ hosts: etcd.endpoints });
    // Written once and never again: overdue from the start, stale three heartbeats later.
    seeded = memberRecords(3);
    lease = await putMemberRecords(etcdClient, cluster, seeded);
    for (const name of ['e2e-one', 'e2e-two']) {
      agents.set(
        name,
        await startAgentProcess({ args: etcdFleetArgs(etcd.endpoints[0]!, cluster, name), config, env: quiet }),
      );
    }
    consoleAgent = await startAgentProcess({
      args: [...etcdFleetArgs(etcd.endpoints[0]!, cluster, 'e2e-console'), '--role', 'console'],
      config,
      env: quiet,
    });
    ({ page } = testPage = await openTestPage({ width: 1440, height: 900 }));
    await page.goto(`${consoleAgent.url}/#/nodes`);
  }, 60_000);

  afterAll(async () => {
    await testPage?.close();
    for (const agent of agents.values()) await agent.stop();
    await consoleAgent?.stop();
    await lease?.revoke();
    etcdClient?.close();
    await etcd?.stop();
  });

  it('marks the members whose records are overdue as stale, the others not', async () => {
    const state = (id: string) => page.locator(`tbody tr[data-member-id="${id}"]`).getAttribute('data-state');
    for (const record of seeded)
      await waitFor(`${record.name} stale`, async () => (await state(record.id)) === 'stale', poll);
    const stalePills = page.locator('tbody tr[data-state="stale"]').getByText('Stale', { exact: true });
    expect(await stalePills.count()).toBe(seeded.length);
    expect(await page.locator('tbody tr[data-state="up"]').count()).toBe(3);
    await page.screenshot({ path: join(artifacts, 'nodes-stale.png') });
  });

  it('lists a killed member as down, opens what was last seen of it, and forgets it', async () => {
    const consoleClient = clientFor(consoleAgent!.url);
    const leaderId = await waitFor('a leader', async () => (await consoleClient.call('cluster.status', {})).leader?.id);
    const nodeIds = new Map<string, string>();
    for (const [name, agent] of agents) nodeIds.set(name, (await clientFor(agent.url).call('node.status', {})).id);
    const [victimName, victim] = [...agents].find(([name]) => nodeIds.get(name) !== leaderId)!;
    const victimId = nodeIds.get(victimName)!;
    await victim.stop('SIGKILL');
    agents.delete(victimName);

    const row = page.locator(`tbody tr[data-member-id="${victimId}"]`);
    await waitFor('the killed member down', async () => (await row.getAttribute('data-state')) === 'down', poll);
    expect(await row.getByText('Down', { exact: true }).count()).toBe(1);
    expect(await page.getByTestId('fleet-count').textContent()).toContain('1 down');
    await row.locator('td').nth(2).click();
    const details = page.getByTestId('member-details');
    expect(await page.getByRole('complementary', { name: victimName }).count()).toBe(1);
    expect(await details.getByText('Down since', { exact: true }).count()).toBe(1);
    await page.screenshot({ path: join(artifacts, 'nodes-down.png') });
    await page.keyboard.press('Escape');
    expect(await truncatedCells(page)).toEqual([]);

    // Asked through the leader (this console does not lead), from the row's own button.
    await row.getByRole('button', { name: `Forget ${victimName}` }).click();
    await row.waitFor({ state: 'detached' });
    expect(await page.getByTestId('fleet-count').textContent()).not.toContain('down');
    const { facts } = await consoleClient.call('cluster.status', {});
    expect(facts?.membersDown.map((member) => member.id)).not.toContain(victimId);
    expect(testPage!.problems).toEqual([]);
  }, 60_000);
});
