import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapStatusIndex } from '../../renderer/views/topology/map-status.js';
import { startAgentFleet, type AgentFleet } from '../support/agent-fleet.js';
import { repoRoot } from '../support/agent-process.js';
import { openTestPage, type TestPage } from '../support/browser.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { waitFor } from '../support/poll.js';

const artifacts = join(repoRoot, 'test/artifacts');
const ids = ['n1', 'n2', 'n3'] as const;
type NodeId = (typeof ids)[number];
const poll = { timeoutMs: 30_000, intervalMs: 100 };

type PageGlobal = { __fleetdeckTopologyStats?: { nodes: number; byStatus: number[] } };
const downOnMap = (page: Page) =>
  page.evaluate(
    (index) => (globalThis as PageGlobal).__fleetdeckTopologyStats?.byStatus[index] ?? -1,
    mapStatusIndex.down,
  );

/**
 * A killed member stays visible (issue 12, point 1): three agents on a real etcd, the console page on one that does
 * not lead; another is killed with SIGKILL. The Topology keeps drawing it, as down, and counts it; the Nodes table
 * lists it as down with when it was last seen and since when it is down; Forget on its Topology card (sent to the
 * leader) removes it, and so does the table's Forget once it has come back and been killed again.
 */
describe('a killed member in the console', () => {
  let etcd: EtcdCluster;
  let fleet: AgentFleet<NodeId>;
  let testPage: TestPage;
  let page: Page;
  let victim: NodeId;
  const nav = () => page.getByRole('navigation', { name: 'Views' });

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    fleet = await startAgentFleet({
      etcd,
      cluster: 'member-down-ui',
      ids,
      configOf: (id) => ({ name: `Node ${id}`, labels: { zone: `zone-${id}` }, resources: { intervalMs: 500 } }),
    });
    testPage = await openTestPage({ width: 1440, height: 900 });
    ({ page } = testPage);
  }, 60_000);

  afterAll(async () => {
    await testPage?.close();
    await fleet?.stopAll();
    await etcd?.stop();
  });

  it('keeps drawing it on the Topology, as down, and counts it', async () => {
    const leader = await fleet.leaderId();
    const [watching, killed] = ids.filter((id) => id !== leader);
    victim = killed!;
    await page.goto(fleet.node(watching!).process.url);
    await nav().getByRole('link', { name: 'Topology', exact: true }).click();
    const count = page.getByTestId('topology-count');
    await waitFor('the three nodes', async () => (await count.textContent()) === 'Showing 3 of 3 nodes', poll);

    await fleet.stop(victim, 'SIGKILL');
    await waitFor('the killed node drawn as down', async () => (await downOnMap(page)) === 1, poll);
    expect(await count.textContent()).toBe('Showing 3 of 3 nodes');
    expect(await page.getByTestId('topology-canvas').getAttribute('aria-label')).toContain(`1 down: Node ${victim}`);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'member-down-topology.png') });
  }, 60_000);

  it('lists it as down in the Nodes table with when it was last seen and since when it is down', async () => {
    await nav().getByRole('link', { name: 'Nodes', exact: true }).click();
    const row = page.locator(`tbody tr[data-member-id="${victim}"]`);
    await waitFor('the down row', async () => (await row.getAttribute('data-state')) === 'down', poll);
    expect(await row.getByText('Down', { exact: true }).count()).toBe(1);
    const { membersDown } = (await fleet.client().call('cluster.status', {})).facts!;
    const [down] = membersDown;
    expect(down?.id).toBe(victim);
    expect(await row.getByTestId('last-seen').getAttribute('datetime')).toBe(new Date(down!.lastSeen).toISOString());
    expect(await row.getByTestId('down-since').getAttribute('datetime')).toBe(new Date(down!.downSince!).toISOString());
    expect(await page.getByTestId('fleet-count').textContent()).toContain('1 down');
    await page.screenshot({ path: join(artifacts, 'member-down-nodes.png') });
  });

  it('forgets it from the Topology (the leader forgets it): gone from the map, the table and the fleet facts', async () => {
    await nav().getByRole('link', { name: 'Topology', exact: true }).click();
    const search = page.getByLabel('Search nodes');
    await search.fill(`Node ${victim}`);
    await search.press('Enter');
    const selected = page.getByTestId('topology-selected');
    await waitFor('its card, as down', async () => (await selected.getAttribute('data-status')) === 'down', poll);
    await selected.getByRole('button', { name: 'Forget', exact: true }).click();
    const count = page.getByTestId('topology-count');
    await waitFor('two nodes left', async () => (await count.textContent()) === 'Showing 2 of 2 nodes', poll);
    expect(await downOnMap(page)).toBe(0);
    expect((await fleet.client().call('cluster.status', {})).facts?.membersDown).toEqual([]);
    await search.fill('');

    await nav().getByRole('link', { name: 'Nodes', exact: true }).click();
    await page.locator('tbody tr[data-member-id]').first().waitFor();
    expect(await page.locator(`tbody tr[data-member-id="${victim}"]`).count()).toBe(0);
    expect(await page.getByTestId('fleet-count').textContent()).not.toContain('down');
  }, 60_000);

  it('shows it up again when it comes back, and forgets it from the Nodes table once it is killed again', async () => {
    await fleet.restart(victim);
    const row = page.locator(`tbody tr[data-member-id="${victim}"]`);
    await waitFor('its row, up', async () => (await row.getAttribute('data-state').catch(() => null)) === 'up', poll);

    await fleet.stop(victim, 'SIGKILL');
    await waitFor('its row, down', async () => (await row.getAttribute('data-state')) === 'down', poll);
    await row.getByRole('button', { name: `Forget Node ${victim}`, exact: true }).click();
    await row.waitFor({ state: 'detached', timeout: 15_000 });
    expect((await fleet.client().call('cluster.status', {})).facts?.membersDown).toEqual([]);
  }, 60_000);

  it('reports no console errors and no CSP violations', () => {
    expect(testPage.problems).toEqual([]);
  });
});
