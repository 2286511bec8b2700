import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import type { Member, NodeStatus } from '../../shared/node.js';
import { repoRoot, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const viewNames = ['Topology', 'Services', 'Alerts', 'Log patterns', 'Tasks', 'Nodes', 'Settings'];
/** A view's sidebar link, with or without a firing badge (the demo's payment outage fires an alert). */
const viewLink = (name: string) => new RegExp(`^${name}( \\d+ firing)?$`);
const screenshotPath = join(repoRoot, 'test/artifacts/nodes-view.png');

/** The value next to a label in a facts list (`<div><dt>label</dt><dd>value</dd></div>`). */
const fact = (scope: Locator, label: string) =>
  scope.locator('div', { has: scope.page().locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');

describe('the demo agent serves a working UI', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess | undefined;
  let page: Page;
  let problems: string[];
  let self: NodeStatus;
  let members: Member[];
  let client: FleetdeckClient;

  beforeAll(async () => {
    session = await startUiSession({ command: 'demo', config: { resources: { intervalMs: 500 } } });
    ({ agent, client, page, problems } = session);
    self = await client.call('node.status', {});
    members = await client.call('cluster.members', {});
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('opens on the Topology view with live events flowing', async () => {
    await page.goto(agent!.url);
    await page.getByRole('heading', { level: 1, name: 'Topology', exact: true }).waitFor();
    const connection = page.getByTestId('connection-state');
    await waitFor('the connection to go live', async () => (await connection.textContent()) === 'Live');
  });

  it('reaches every view from the sidebar', async () => {
    const nav = page.getByRole('navigation', { name: 'Views' });
    for (const name of viewNames) {
      const link = nav.getByRole('link', { name: viewLink(name) });
      await link.click();
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      expect(await page.getByRole('heading', { level: 1 }).allTextContents()).toEqual([name]);
      expect(await link.getAttribute('aria-current')).toBe('page');
    }
    // Settings is the last view visited: it names the transport a browser uses.
    expect(await page.getByTestId('settings-transport').textContent()).toMatch(/^HTTP/);
  });

  it('fits every view in a 1280 px window: wide tables scroll inside their card', async () => {
    const nav = page.getByRole('navigation', { name: 'Views' });
    // A string, as the tests' tsconfig has no DOM types: how far the page is wider than the window.
    const pageWidth = () =>
      page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    for (const name of viewNames) {
      await nav.getByRole('link', { name: viewLink(name) }).click();
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      if (name === 'Nodes') await page.getByTestId('fleet-table').waitFor();
      expect({ view: name, overflow: await pageWidth() }).toEqual({ view: name, overflow: 0 });
    }
  });

  it('shows this node as leader, with resources and uptime updating live', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Nodes', exact: true }).click();
    const card = page.getByRole('region', { name: 'This node' });
    await card.waitFor();
    expect(await card.getByRole('heading', { level: 2 }).textContent()).toBe(self.name);
    expect(await card.getByText(self.id, { exact: true }).count()).toBe(1);
    expect(await fact(card, 'Role').textContent()).toBe(self.role);
    expect(await fact(card, 'Version').textContent()).toBe(self.version);
    expect(await card.getByTestId('leader-badge').textContent()).toBe('Leader');

    const cpu = page.getByTestId('node-cpu');
    await cpu.waitFor();
    const firstCpu = await cpu.textContent();
    expect(firstCpu).toMatch(/^\d{1,3}\.\d %$/);
    await waitFor('the CPU figure to change from a new sample', async () => (await cpu.textContent()) !== firstCpu, {
      timeoutMs: 20_000,
    });

    const uptime = page.getByTestId('node-uptime');
    const firstUptime = await uptime.textContent();
    await waitFor('the uptime to tick', async () => (await uptime.textContent()) !== firstUptime);
  });

  it('shows load averages and network throughput tiles', async () => {
    const card = page.getByRole('region', { name: 'This node' });
    expect(await card.getByTestId('node-load').textContent()).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/);
    expect(await card.getByRole('meter', { name: 'Load' }).count()).toBe(1);
    const rate = /^\d+(\.\d)? (B|KiB|MiB|GiB)\/s$/;
    expect(await card.getByTestId('node-network-rx').textContent()).toMatch(rate);
    expect(await card.getByTestId('node-network-tx').textContent()).toMatch(rate);
    for (const chart of ['Load average', 'Network received', 'Network sent']) {
      await page.getByRole('img', { name: `${chart} over the last hour` }).waitFor();
    }
  });

  it('lists every disk the agent reports, with its usage', async () => {
    const { resources } = await waitFor('a resource sample', async () => {
      const status = await client.call('node.status', {});
      return status.resources ? status : undefined;
    });
    const table = page.getByRole('table', { name: 'Disks' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await waitFor(
      'one row per reported disk',
      async () => (await rows.count()) === resources!.disks.length && resources!.disks.length > 0,
    );
    const first = resources!.disks[0]!;
    const [mount, fs, used, usage] = await rows.first().getByRole('cell').allTextContents();
    expect(mount!.replace(/data dir$/, '')).toBe(first.mount);
    expect(fs).toBe(first.fs);
    expect(used).toMatch(/^\d+(\.\d)? (B|KiB|MiB|GiB|TiB|PiB) \/ \d+(\.\d)? (B|KiB|MiB|GiB|TiB|PiB)$/);
    expect(usage).toMatch(/^\d{1,3} %$/);
    expect(await table.getByRole('meter', { name: `Usage of ${first.mount}` }).count()).toBe(1);
  });

  it('lists this node, leading, in the members table', async () => {
    const table = page.getByRole('table', { name: 'Cluster members' });
    const row = table.locator(`tr[data-member-id="${self.id}"]`);
    await row.waitFor();
    expect(members.map((member) => member.id)).toContain(self.id);
    const [name, , role] = await row.getByRole('cell').allTextContents();
    expect(name).toBe(`${self.name}★this node`);
    expect(role).toBe(self.role);
    expect(await row.getByRole('img', { name: 'Leader' }).count()).toBe(1);

    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
  });

  it('removes the demo data with its rules and patterns: none left in the Alerts and Log patterns views', async () => {
    const nav = page.getByRole('navigation', { name: 'Views' });
    const show = async (name: string | RegExp, heading: string) => {
      await nav.getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
    };
    /** Rows of the demo's rules, patterns and their alerts in the view shown. */
    const demoRows = page.locator(
      ['rule', 'open-alert', 'node-pattern', 'fleet-pattern']
        .map((kind) => `[data-testid^="${kind}-demo-"]`)
        .join(', '),
    );

    // Before: the demo's rules and patterns are there, saved for the fleet.
    await show(viewLink('Alerts'), 'Alerts');
    await page.locator('[data-testid="rule-demo-payments-down"]').first().waitFor();
    await show('Log patterns', 'Log patterns');
    await page.getByTestId('fleet-pattern-demo-upstream-errors').waitFor();

    await show('Services', 'Services');
    await page.getByRole('button', { name: 'Remove demo data' }).click();
    await page
      .getByRole('group', { name: 'Confirm removing demo data' })
      .getByRole('button', { name: 'Remove demo services' })
      .click();
    await waitFor('no demo service left', async () => (await client.call('services.list', {})).length === 0);

    await show(viewLink('Alerts'), 'Alerts');
    await page.getByTestId('rule-default-cpu-high').first().waitFor();
    await waitFor('no demo rule or alert in the Alerts view', async () => (await demoRows.count()) === 0);
    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test/artifacts/demo-removed-alerts.png'), fullPage: true });
    await show('Log patterns', 'Log patterns');
    await page.getByTestId('fleet-patterns').waitFor();
    await waitFor('no demo pattern in the Log patterns view', async () => (await demoRows.count()) === 0);
    const left = await Promise.all([
      client.call('fleet.alertRules.list', {}),
      client.call('fleet.logPatterns.list', {}),
      client.call('alerts.list', { state: 'open' }),
    ]);
    expect(left.flat().filter((entry) => ('ruleId' in entry ? entry.ruleId : entry.id).startsWith('demo-'))).toEqual(
      [],
    );
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
