import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeStatus } from '../../shared/node.js';
import { etcdFleetArgs, repoRoot, startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { openTestPage, type TestPage } from '../support/browser.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';
import { mapStatuses, mapStatusIndex } from '../../renderer/views/topology/map-status.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const artifacts = join(repoRoot, 'test/artifacts');
const viewport = { width: 1400, height: 900 };

/** What the renderer publishes on `window.__fleetdeckTopologyStats` (this file has Node's typings, no `window`). */
interface TopologyStats {
  frames: number;
  nodes: number;
  visible: number;
  highlighted: number;
  /** Nodes by status, indexed like `mapStatuses`. */
  byStatus: number[];
  animating: boolean;
}
type PageGlobal = { __fleetdeckTopologyStats?: TopologyStats };

const topologyStats = (page: Page) =>
  page.evaluate(() => {
    const stats = (globalThis as PageGlobal).__fleetdeckTopologyStats;
    return stats
      ? {
          frames: stats.frames,
          nodes: stats.nodes,
          visible: stats.visible,
          highlighted: stats.highlighted,
          byStatus: [...stats.byStatus],
          animating: stats.animating,
        }
      : null;
  });

async function openTopology(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Topology', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Topology', exact: true }).waitFor();
  await page.getByTestId('topology-canvas').waitFor();
}

/** Clicks whatever is drawn at the centre of the map once the camera has stopped gliding. */
async function clickMapCentre(page: Page, framesBefore: number) {
  await waitFor('the map to settle on the node', async () => {
    const stats = await topologyStats(page);
    return stats !== null && stats.frames > framesBefore + 1 && !stats.animating;
  });
  await page.getByTestId('topology-canvas').click();
}

describe('the Topology view on a single agent', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess | undefined;
  let page: Page;
  let problems: string[];
  let self: NodeStatus;
  let serviceNames: string[];

  beforeAll(async () => {
    session = await startUiSession({ command: 'demo', config: { labels: { zone: 'eu-1', tier: 'web' } } }, viewport);
    const { client } = session;
    ({ agent, page, problems } = session);
    self = await client.call('node.status', {});
    serviceNames = (await client.call('services.list', {})).map((service) => service.definition.name);
    expect(serviceNames.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('draws this node on the canvas and names it as the leader, with its fencing token', async () => {
    await openTopology(page, agent!.url);
    await waitFor('the canvas to draw this node', async () => {
      const stats = await topologyStats(page);
      return stats !== null && stats.nodes === 1 && stats.visible === 1 && stats.frames > 0;
    });
    const leader = page.getByTestId('topology-leader');
    await waitFor(
      'the leader panel to name this node',
      async () => (await leader.getAttribute('data-leader-id')) === self.id,
    );
    expect(await page.getByTestId('topology-leader-name').textContent()).toBe(self.name);
    expect(await page.getByTestId('topology-leader-id').textContent()).toBe(self.id);
    const info = await clientFor(agent!.url).call('cluster.leader', {});
    expect(info?.id).toBe(self.id);
    const text = await leader.textContent();
    expect(text).toContain(info!.leaseId);
    expect(text).toContain(info!.revision);
    expect(await page.getByTestId('topology-count').textContent()).toBe('Showing 1 of 1 node');
    expect(await page.getByTestId('topology-canvas').getAttribute('aria-label')).toContain(`${self.name} leads`);
  });

  it('finds a node by name or id, rings it, and centres it on Enter', async () => {
    const search = page.getByLabel('Search nodes');
    const count = page.getByTestId('topology-match-count');
    await search.fill(self.name.toUpperCase());
    await waitFor('one match by name', async () => (await count.textContent()) === '1 match');
    expect((await topologyStats(page))!.highlighted).toBe(1);

    await search.fill(self.id);
    await waitFor('one match by id', async () => (await count.textContent()) === '1 match');

    await search.fill('no-such-node-anywhere');
    await waitFor('no match', async () => (await count.textContent()) === 'No match');
    expect((await topologyStats(page))!.highlighted).toBe(0);

    await search.fill(self.name);
    await search.press('Enter');
    const selected = page.getByTestId('topology-selected');
    await selected.getByRole('heading', { level: 2, name: self.name, exact: true }).waitFor();
    await selected.getByRole('button', { name: 'Close', exact: true }).click();
    await selected.waitFor({ state: 'detached' });
    await search.fill('');
    await count.waitFor({ state: 'detached' });
  });

  it('filters the map by label', async () => {
    const filter = page.getByLabel('Label filter');
    const count = page.getByTestId('topology-count');
    await filter.fill('zone=eu-1');
    await waitFor('the node to stay', async () => (await count.textContent()) === 'Showing 1 of 1 node');
    await filter.fill('zone=eu-1, tier=db');
    await waitFor('the node to be filtered out', async () => (await count.textContent()) === 'Showing 0 of 1 node');
    await waitFor('the canvas to drop it', async () => (await topologyStats(page))!.nodes === 0);
    await filter.fill('zone');
    await page.getByText('"zone" is not key=value (e.g. zone=eu-1)').waitFor();
    expect(await filter.getAttribute('aria-invalid')).toBe('true');
    await filter.fill('');
    await waitFor('the whole fleet again', async () => (await count.textContent()) === 'Showing 1 of 1 node');
  });

  it('opens a clicked node with its details, its task queue and the services its agent reports', async () => {
    const { id: taskId } = await session!.client.call('tasks.submit', { type: 'sleep', payload: { ms: 120_000 } });
    const before = (await topologyStats(page))!.frames;
    await page.getByRole('button', { name: 'Show leader on the map' }).click();
    await clickMapCentre(page, before);

    const selected = page.getByTestId('topology-selected');
    await selected.getByRole('heading', { level: 2, name: self.name, exact: true }).waitFor();
    const details = await selected.textContent();
    expect(details).toContain(self.version);
    expect(details).toContain(agent!.url);
    const services = page.getByTestId('topology-services');
    await waitFor('every service of the node', async () => {
      const listed = await services.textContent().catch(() => '');
      return serviceNames.every((name) => listed?.includes(name));
    });
    expect(await services.getByRole('listitem').count()).toBe(serviceNames.length);
    await waitFor('the running task in the node summary', async () =>
      (await page.getByTestId('queue-length').textContent())?.includes('1 running'),
    );
    await session!.client.call('tasks.cancel', { id: taskId });

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'topology-single-node.png'), fullPage: true });
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});

describe('the Topology view of a node without services but with two firing alerts', () => {
  const cockpit = { width: 1440, height: 900 };
  let session: UiSession | undefined;
  let page: Page;
  let self: NodeStatus;

  beforeAll(async () => {
    session = await startUiSession({ command: 'agent', config: { resources: { intervalMs: 500 } } }, cockpit);
    ({ page } = session);
    const { client } = session;
    self = await client.call('node.status', {});
    expect(await client.call('services.list', {})).toEqual([]);
    for (const metric of ['memory', 'disk'] as const) {
      await client.call('fleet.alertRules.put', {
        value: {
          id: `e2e-topology-${metric}`,
          name: `${metric} in use`,
          severity: 'critical',
          signal: { kind: 'resource', metric },
          operator: 'above',
          threshold: 0,
        },
      });
    }
    await waitFor(
      'both alerts in the node summary',
      async () => (await client.call('cluster.members', {}))[0]?.summary?.openAlerts.critical === 2,
      { timeoutMs: 20_000 },
    );
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('draws it critical, not unknown, and its tooltip names the alerts and its load', async () => {
    await openTopology(page, session!.agent.url);
    await waitFor('the node drawn as critical', async () => {
      const stats = await topologyStats(page);
      return (
        stats !== null && stats.byStatus[mapStatusIndex.critical] === 1 && stats.byStatus[mapStatusIndex.unknown] === 0
      );
    });
    const before = (await topologyStats(page))!.frames;
    await page.getByRole('button', { name: 'Show leader on the map' }).click();
    await waitFor('the map to settle on the node', async () => {
      const stats = await topologyStats(page);
      return stats !== null && stats.frames > before + 1 && !stats.animating;
    });
    const box = (await page.getByTestId('topology-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = page.getByTestId('topology-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.getAttribute('data-node-id')).toBe(self.id);
    expect(await tooltip.getAttribute('data-status')).toBe('critical');
    const text = (await tooltip.textContent())!;
    expect(text).toContain(self.name);
    expect(text).toContain('Critical');
    expect(text).toContain('2 critical');
    expect(text).toMatch(/CPU · mem\d+ % · \d+ %/);

    await page.getByTestId('topology-canvas').click({ position: { x: box.width / 2, y: box.height / 2 } });
    const pill = page.getByTestId('topology-selected-health');
    await waitFor('the details to say critical', async () => (await pill.getAttribute('data-status')) === 'critical');
    expect(await page.getByTestId('open-alerts').textContent()).toBe('2 critical');

    await page.mouse.move(box.x + 5, box.y + 5);
    await tooltip.waitFor({ state: 'detached' });
    mkdirSync(artifacts, { recursive: true });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await tooltip.waitFor();
    await page.screenshot({ path: join(artifacts, 'topology-alert-colour.png') });
  });

  it('shows the whole legend without scrolling at 1440×900, with distinct marks for agent and unknown', async () => {
    // Page functions run in the browser; this file is typed with Node's globals, which have no window.
    expect(await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBe(0);
    const legend = page.getByRole('region', { name: 'Legend' });
    const bottom = await legend.evaluate((element) => element.getBoundingClientRect().bottom);
    expect(bottom).toBeLessThanOrEqual(cockpit.height);
    const mark = (testId: string) =>
      legend
        .getByTestId(testId)
        .locator('.legend-swatch')
        .evaluate((element) => {
          const style = element.ownerDocument.defaultView!.getComputedStyle(element);
          return { fill: style.backgroundColor, border: style.borderTopWidth };
        });
    const agent = await mark('legend-agent');
    const unknown = await mark('legend-unknown');
    // The agent's mark is an outline (a shape), the unknown one a filled dot (a colour).
    expect(agent.fill).toBe('rgba(0, 0, 0, 0)');
    expect(agent.border).not.toBe('0px');
    expect(unknown.fill).not.toBe('rgba(0, 0, 0, 0)');
    expect(unknown.border).toBe('0px');
    for (const status of mapStatuses) await legend.getByTestId(`legend-${status}`).waitFor();
    expect(await legend.getByTestId('legend-down').textContent()).toBe('Down');
    expect(await legend.getByTestId('legend-stale').textContent()).toBe('Stale');
  });

  it('reports no console errors and no CSP violations', () => {
    expect(session!.problems).toEqual([]);
  });
});

describe('the Topology view across a fleet on etcd', () => {
  let etcd: EtcdCluster | undefined;
  const agents: AgentProcess[] = [];
  const ids = new Map<AgentProcess, string>();
  let consoleAgent: AgentProcess | undefined;
  let testPage: TestPage | undefined;
  let page: Page;
  let problems: string[];

  const fleetArgs = (endpoint: string, name: string) => etcdFleetArgs(endpoint, 'e2e', name);

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    const endpoint = etcd.endpoints[0]!;
    agents.push(
      ...(await Promise.all(
        [0, 1, 2].map((i) =>
          startAgentProcess({ args: fleetArgs(endpoint, `e2e-agent-${i}`), readyTimeoutMs: 30_000 }),
        ),
      )),
    );
    for (const agent of agents) ids.set(agent, (await clientFor(agent.url).call('node.status', {})).id);
    consoleAgent = await startAgentProcess({
      args: [...fleetArgs(endpoint, 'e2e-console'), '--role', 'console'],
      readyTimeoutMs: 30_000,
    });

    testPage = await openTestPage(viewport);
    ({ page, problems } = testPage);
  });

  afterAll(async () => {
    await testPage?.close();
    await Promise.all([consoleAgent, ...agents].map((agent) => agent?.stop()));
    await etcd?.stop();
  });

  const shownLeader = () => page.getByTestId('topology-leader').getAttribute('data-leader-id');

  it('shows the three agents (and the console) with one of the agents as leader', async () => {
    await openTopology(page, consoleAgent!.url);
    const count = page.getByTestId('topology-count');
    await waitFor('three agents and the console', async () => (await count.textContent()) === 'Showing 4 of 4 nodes', {
      timeoutMs: 20_000,
    });
    const agentIds = [...ids.values()];
    const leaderId = await waitFor(
      'an agent to lead',
      async () => {
        const id = await shownLeader();
        return id && agentIds.includes(id) ? id : undefined;
      },
      { timeoutMs: 20_000 },
    );
    const leaderName = `e2e-agent-${agents.findIndex((agent) => ids.get(agent) === leaderId)}`;
    expect(await page.getByTestId('topology-leader-name').textContent()).toBe(leaderName);
    // An etcd lease id is a long number: it stays on one line rather than breaking mid-number.
    const { leaseId } = (await clientFor(consoleAgent!.url).call('cluster.leader', {}))!;
    expect(leaseId.length).toBeGreaterThan(10);
    const lease = page.getByTestId('topology-leader').locator('code', { hasText: leaseId });
    expect(await lease.evaluate((element) => element.getClientRects().length)).toBe(1);

    await page.getByLabel('Search nodes').fill('e2e-agent');
    await waitFor(
      'the three agents found',
      async () => (await page.getByTestId('topology-match-count').textContent()) === '3 matches',
    );
    await page.getByLabel('Search nodes').fill('');
    expect((await topologyStats(page))!.nodes).toBe(4);
  }, 60_000);

  it('sorts and filters the fleet-wide members table', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Nodes', exact: true }).click();
    const table = page.getByRole('table', { name: 'Cluster members' });
    const rows = table.locator('tbody tr[data-member-id]');
    await waitFor('every member in the table', async () => (await rows.count()) === 4);
    const names = () => rows.locator('.member-name-button').allTextContents();
    expect(await names()).toEqual(['e2e-agent-0', 'e2e-agent-1', 'e2e-agent-2', 'e2e-console']);
    const nameHeader = table.getByRole('columnheader', { name: /^Name/ });
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await nameHeader.getByRole('button').click();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await names()).toEqual(['e2e-console', 'e2e-agent-2', 'e2e-agent-1', 'e2e-agent-0']);
    expect(await rows.filter({ has: page.getByRole('img', { name: 'Leader' }) }).count()).toBe(1);

    await page.getByRole('group', { name: 'Filter members' }).getByLabel('Role').selectOption('console');
    await waitFor('only the console', async () => (await rows.count()) === 1);
    expect(await page.getByTestId('fleet-count').textContent()).toMatch(/^Showing 1 of 4 members/);
    await page.getByRole('group', { name: 'Filter members' }).getByLabel('Role').selectOption('all');
    await page.getByLabel('Search members').fill('agent-1');
    await waitFor('one agent by name', async () => (await names()).join() === 'e2e-agent-1');
    await page.getByLabel('Search members').fill('');
    await nameHeader.getByRole('button').click();
  });

  it('shows a fleet service that the agents cannot apply as a config error on every member', async () => {
    const console = clientFor(consoleAgent!.url);
    await console.call('fleet.services.put', {
      service: {
        id: 'needs-command',
        name: 'Needs a command',
        checks: [{ name: 'run', type: 'script', command: 'not-here', intervalMs: 1000, timeoutMs: 500 }],
      },
    });
    const badges = page.locator('tbody tr[data-member-id] .config-error-badge');
    await waitFor('every member reports it', async () => (await badges.count()) === 4, { timeoutMs: 15_000 });
    expect(await badges.first().getAttribute('title')).toContain('command "not-here" is not defined');
    await console.call('fleet.services.remove', { id: 'needs-command' });
    await waitFor('the errors clear', async () => (await badges.count()) === 0, { timeoutMs: 15_000 });
  });

  it('tests a cluster connection from Settings without switching to it', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings', exact: true }).click();
    expect(await page.getByTestId('settings-cluster-backend').textContent()).toBe('etcd');
    await waitFor(
      'the cluster state',
      async () => (await page.getByTestId('settings-cluster-state').getAttribute('data-state')) === 'connected',
    );
    const form = page.getByRole('form', { name: 'Coordination backend' });
    const endpoints = form.getByLabel('Endpoints');
    const result = page.getByTestId('cluster-test-result');
    // This console's backend comes from flags, which Settings cannot override: saving is off, and says why.
    const pinned = page.getByTestId('cluster-settings-pinned');
    await pinned.waitFor();
    expect(await pinned.textContent()).toContain('--backend, --etcd-endpoints');
    expect(await form.getByRole('button', { name: 'Save and reconnect' }).isDisabled()).toBe(true);
    expect(await endpoints.inputValue()).toBe(etcd!.endpoints[0]);

    await endpoints.fill('etcd.invalid:2379');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText('"etcd.invalid:2379" must be an http:// or https:// URL').waitFor();
    expect(await endpoints.getAttribute('aria-invalid')).toBe('true');

    await endpoints.fill(etcd!.endpoints[0]!);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await result.locator('[data-outcome="ok"]').waitFor();
    const answer = await result.textContent();
    expect(answer).toContain('Reachable.');
    expect(answer).toMatch(/Members\s*1/);
    expect(answer).toMatch(/Version\s*3\.\d+\.\d+/);

    // A port nobody listens on: the reason comes back from the agent.
    await endpoints.fill('http://127.0.0.1:1');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await result.locator('[data-outcome="failed"]').waitFor({ timeout: 15_000 });
    expect(await result.textContent()).toMatch(/^Failed: .*127\.0\.0\.1:1/);
    // The running backend is untouched.
    expect(await page.getByTestId('settings-cluster-state').getAttribute('data-state')).toBe('connected');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Topology', exact: true }).click();
    await page.getByTestId('topology-canvas').waitFor();
  }, 30_000);

  it('moves the leader badge to another agent when the leader is killed, and draws the killed one as down until forgotten', async () => {
    const oldLeader = (await shownLeader())!;
    const leaderAgent = agents.find((agent) => ids.get(agent) === oldLeader)!;
    const survivors = agents.filter((agent) => agent !== leaderAgent).map((agent) => ids.get(agent)!);
    await leaderAgent.stop('SIGKILL');

    const newLeader = await waitFor(
      'another agent to take over the leadership',
      async () => {
        const id = await shownLeader();
        return id && id !== oldLeader && survivors.includes(id) ? id : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(survivors).toContain(newLeader);
    // The dead agent's lease (3 s) runs out; it left without a graceful stop, so it stays on the map, as down.
    const count = page.getByTestId('topology-count');
    await waitFor(
      'the killed agent drawn as down',
      async () =>
        (await count.textContent()) === 'Showing 4 of 4 nodes' &&
        (await topologyStats(page))!.byStatus[mapStatusIndex.down] === 1,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const killedName = `e2e-agent-${agents.indexOf(leaderAgent)}`;
    expect(await page.getByTestId('topology-canvas').getAttribute('aria-label')).toContain(`1 down: ${killedName}`);

    const search = page.getByLabel('Search nodes');
    await search.fill(killedName);
    await search.press('Enter');
    const selected = page.getByTestId('topology-selected');
    await selected.getByRole('heading', { level: 2, name: killedName, exact: true }).waitFor();
    expect(await selected.getAttribute('data-status')).toBe('down');
    expect(await page.getByTestId('topology-selected-health').textContent()).toBe('Down');
    const { facts } = await clientFor(consoleAgent!.url).call('cluster.status', {});
    const down = facts!.membersDown.find((member) => member.id === oldLeader)!;
    expect(await selected.getByTestId('topology-down-last-seen').getAttribute('datetime')).toBe(
      new Date(down.lastSeen).toISOString(),
    );
    expect(await selected.getByTestId('topology-down-since').getAttribute('datetime')).toBe(
      new Date(down.downSince!).toISOString(),
    );
    await search.fill('');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'topology-view.png'), fullPage: true });

    await selected.getByRole('button', { name: 'Forget', exact: true }).click();
    await waitFor(
      'the forgotten agent to leave the map',
      async () => (await count.textContent()) === 'Showing 3 of 3 nodes',
      {
        timeoutMs: 15_000,
      },
    );
    await selected.waitFor({ state: 'detached' });
    expect((await topologyStats(page))!.byStatus[mapStatusIndex.down]).toBe(0);
  }, 90_000);

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
