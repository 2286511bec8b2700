import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import { repoRoot, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const screenshotPath = join(repoRoot, 'test/artifacts/services-view.png');
const fleetFormScreenshotPath = join(repoRoot, 'test/artifacts/services-fleet-form.png');
const fleetScreenshotPath = join(repoRoot, 'test/artifacts/services-fleet.png');
const serviceId = 'upstream';
const checkName = 'health';
const fleetServiceId = 'fleet-upstream';

/** A real loopback HTTP service whose health the test flips. */
async function startUpstream(): Promise<{ server: Server; url: string; setHealthy(healthy: boolean): void }> {
  let healthy = true;
  const server = createServer((_request, response) => {
    response.writeHead(healthy ? 200 : 500, { 'content-type': 'text/plain' }).end(healthy ? 'ok' : 'broken');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/health`, setHealthy: (value) => (healthy = value) };
}

/** "rgb(21, 128, 61)" → [21, 128, 61] */
const rgbOf = (css: string) => (css.match(/\d+/g) ?? []).slice(0, 3).map(Number) as [number, number, number];

describe('the Services view drives health checks on a real agent', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess | undefined;
  let upstream: Awaited<ReturnType<typeof startUpstream>> | undefined;
  let client: FleetdeckClient;
  let page: Page;
  let problems: string[];
  let row: Locator;
  let pill: Locator;

  const pillStatus = () => pill.getAttribute('data-status');
  const pillColour = async () =>
    rgbOf(await pill.evaluate((element) => element.ownerDocument.defaultView!.getComputedStyle(element).color));

  beforeAll(async () => {
    upstream = await startUpstream();
    session = await startUiSession({ command: 'agent', config: { resources: { intervalMs: 500 } } });
    ({ agent, client, page, problems } = session);
    row = page.getByTestId(`service-${serviceId}`);
    pill = row.locator('.status-pill');
  });

  afterAll(async () => {
    await session?.stop();
    await new Promise((resolve) => upstream?.server.close(resolve));
  });

  it('opens the Services view from the sidebar', async () => {
    await page.goto(agent!.url);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Services', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Services', exact: true }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'On this node' }).waitFor();
  });

  it('adds a service with an HTTP check through the form', async () => {
    await page.getByRole('toolbar', { name: 'Service actions' }).getByRole('button', { name: 'Add service' }).click();
    const form = page.getByRole('form', { name: 'Add service' });
    await form.getByLabel('ID', { exact: true }).fill(serviceId);
    await form.getByLabel('Name', { exact: true }).fill('Upstream');
    await form.getByLabel('Tags').fill('e2e, loopback');

    const check = form.getByRole('group', { name: /^Check 1/ });
    expect(await check.getByLabel('Type').inputValue()).toBe('http');
    // The contract's defaults are shown before anything is typed.
    expect(await check.getByLabel('Interval', { exact: true }).inputValue()).toBe('10s');
    expect(await check.getByLabel('Timeout', { exact: true }).inputValue()).toBe('5s');
    await check.getByLabel('Check name').fill(checkName);
    await check.getByLabel('URL').fill(upstream!.url);
    await check.getByLabel('Interval', { exact: true }).fill('1s');

    // Validated on the client with the shared schema: a 5 s timeout cannot fit a 1 s interval.
    await form.getByRole('button', { name: 'Save service' }).click();
    const timeout = check.getByLabel('Timeout', { exact: true });
    await waitFor(
      'the timeout field to be marked invalid',
      async () => (await timeout.getAttribute('aria-invalid')) === 'true',
    );
    expect(await check.getByText('Must not be longer than the interval').count()).toBe(1);
    await timeout.fill('500ms');
    await form.getByRole('button', { name: 'Save service' }).click();

    await row.waitFor();
    const [saved] = (await client.call('services.list', {})).filter((s) => s.definition.id === serviceId);
    expect(saved?.source).toBe('api');
    expect(saved?.definition.tags).toEqual(['e2e', 'loopback']);
    expect(saved?.definition.checks).toMatchObject([
      { name: checkName, type: 'http', url: upstream!.url, intervalMs: 1000, timeoutMs: 500, method: 'GET' },
    ]);
  });

  it('shows it passing, in green', async () => {
    await waitFor('the service to turn passing', async () => (await pillStatus()) === 'passing', { timeoutMs: 15_000 });
    const [red, green, blue] = await pillColour();
    expect(green).toBeGreaterThan(red);
    expect(green).toBeGreaterThan(blue);
    const details = page.getByTestId('service-details');
    expect(await details.getByRole('heading', { level: 2 }).textContent()).toBe('Upstream');
    await waitFor('the last result to show HTTP 200', async () =>
      /\b200\b/.test((await details.getByTestId(`last-result-${checkName}`).textContent()) ?? ''),
    );
  });

  it('turns critical, in red, once the upstream answers 500', async () => {
    upstream!.setHealthy(false);
    await waitFor('the service to turn critical', async () => (await pillStatus()) === 'critical', {
      timeoutMs: 15_000,
    });
    const [red, green, blue] = await pillColour();
    expect(red).toBeGreaterThan(green);
    expect(red).toBeGreaterThan(blue);
    expect(await page.getByTestId(`check-status-${checkName}`).getAttribute('data-status')).toBe('critical');
  });

  it('runs the check now and shows the HTTP 500 result', async () => {
    const card = page.getByTestId(`check-${checkName}`);
    await card.getByRole('button', { name: 'Run now' }).click();
    const result = card.getByTestId(`run-result-${checkName}`);
    await waitFor('the run result to show HTTP 500', async () => /\b500\b/.test((await result.textContent()) ?? ''));
    expect(await result.locator('[data-status]').getAttribute('data-status')).toBe('critical');
    // The charts are drawn from checks.history once results exist.
    await card.getByRole('img', { name: `Latency of ${checkName} over the last hour` }).waitFor();
    await card.getByRole('img', { name: /^Results over the last 24 hours: .*critical/ }).waitFor();
    // The latency chart's range: a week is asked of the agent (rolled up), and holds these results too.
    const ranges = card.getByRole('group', { name: `Latency range of ${checkName}` });
    await ranges.getByRole('button', { name: '7 d' }).click();
    await card.getByRole('img', { name: `Latency of ${checkName} over the last 7 days` }).waitFor();
    expect(await ranges.getByRole('button', { name: '7 d' }).getAttribute('aria-pressed')).toBe('true');
    expect(await card.getByText('No results in the last 7 days').count()).toBe(0);
    await ranges.getByRole('button', { name: '15 m' }).click();
    await card.getByRole('img', { name: `Latency of ${checkName} over the last 15 minutes` }).waitFor();
    await ranges.getByRole('button', { name: '1 h' }).click();

    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    // Clicking scrolled the page; from the top, the sticky sidebar sits where it belongs in a full-page shot.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: screenshotPath, fullPage: true });
  });

  it('removes the service after confirmation', async () => {
    await page.getByTestId('service-details').getByRole('button', { name: 'Remove service' }).click();
    await page
      .getByRole('group', { name: 'Confirm removal' })
      .getByRole('button', { name: `Remove ${serviceId}` })
      .click();
    await waitFor('the row to disappear', async () => (await row.count()) === 0);
    const remaining = await client.call('services.list', {});
    expect(remaining.map((s) => s.definition.id)).not.toContain(serviceId);
  });

  it('adds a service for the whole fleet through the form', async () => {
    upstream!.setHealthy(true);
    await page.getByRole('toolbar', { name: 'Service actions' }).getByRole('button', { name: 'Add service' }).click();
    const form = page.getByRole('form', { name: 'Add service' });
    const scope = form.getByRole('group', { name: 'Save for' });
    expect(await scope.getByRole('radio', { name: 'This node' }).isChecked()).toBe(true);
    await scope.getByRole('radio', { name: 'The whole fleet' }).check();
    await scope.getByText('an agent that lacks one reports a config error').waitFor();

    await form.getByLabel('ID', { exact: true }).fill(fleetServiceId);
    await form.getByLabel('Name', { exact: true }).fill('Fleet upstream');
    const check = form.getByRole('group', { name: /^Check 1/ });
    await check.getByLabel('Check name').fill(checkName);
    await check.getByLabel('URL').fill(upstream!.url);
    await check.getByLabel('Interval', { exact: true }).fill('1s');
    await check.getByLabel('Timeout', { exact: true }).fill('500ms');
    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await form.screenshot({ path: fleetFormScreenshotPath });
    await form.getByRole('button', { name: 'Save for the whole fleet' }).click();

    // Stored once for the fleet, then applied by this agent like every other one.
    const fleetRow = page.getByTestId(`service-${fleetServiceId}`);
    await fleetRow.waitFor();
    expect(await fleetRow.locator('.source-badge').textContent()).toBe('Fleet');
    const stored = await client.call('fleet.services.list', {});
    expect(stored).toMatchObject([
      { id: fleetServiceId, problem: null, service: { checks: [{ name: checkName, url: upstream!.url }] } },
    ]);
    const [applied] = (await client.call('services.list', {})).filter((s) => s.definition.id === fleetServiceId);
    expect(applied?.source).toBe('fleet');
  });

  it('runs the fleet service’s check on this node, which cannot edit it locally', async () => {
    const details = page.getByTestId('service-details');
    await waitFor(
      'the fleet service to be shown',
      async () => (await details.getByRole('heading', { level: 2 }).textContent()) === 'Fleet upstream',
    );
    expect(await details.locator('.source-badge').textContent()).toBe('Fleet');
    expect(await details.getByRole('button', { name: 'Edit service' }).count()).toBe(0);
    expect(await details.getByRole('button', { name: 'Remove service' }).count()).toBe(0);

    const card = page.getByTestId(`check-${checkName}`);
    await card.getByRole('button', { name: 'Run now' }).click();
    const result = card.getByTestId(`run-result-${checkName}`);
    await waitFor('the run result to show HTTP 200', async () => /\b200\b/.test((await result.textContent()) ?? ''));
    expect(await result.locator('[data-status]').getAttribute('data-status')).toBe('passing');
    const fleetPill = page.getByTestId(`service-${fleetServiceId}`).locator('.status-pill');
    await waitFor(
      'the fleet service to turn passing',
      async () => (await fleetPill.getAttribute('data-status')) === 'passing',
      {
        timeoutMs: 15_000,
      },
    );
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: fleetScreenshotPath, fullPage: true });
  });

  it('edits it for the whole fleet', async () => {
    await page.getByTestId('service-details').getByRole('button', { name: 'Edit for the whole fleet' }).click();
    const form = page.getByRole('form', { name: 'Edit Fleet upstream for the whole fleet' });
    await form.getByLabel('Name', { exact: true }).fill('Fleet upstream, edited');
    await form.getByRole('button', { name: 'Save changes' }).click();
    const heading = page.getByTestId('service-details').getByRole('heading', { level: 2 });
    await waitFor(
      'the edited name to be shown',
      async () => (await heading.textContent()) === 'Fleet upstream, edited',
    );
    const [stored] = await client.call('fleet.services.list', {});
    expect(stored?.service?.name).toBe('Fleet upstream, edited');
  });

  it('removes it from the whole fleet after confirmation', async () => {
    await page.getByTestId('service-details').getByRole('button', { name: 'Remove from the whole fleet' }).click();
    await page
      .getByRole('group', { name: 'Confirm removal from the whole fleet' })
      .getByRole('button', { name: `Remove ${fleetServiceId} everywhere` })
      .click();
    await waitFor(
      'the fleet row to disappear',
      async () => (await page.getByTestId(`service-${fleetServiceId}`).count()) === 0,
    );
    expect(await client.call('fleet.services.list', {})).toEqual([]);
    await waitFor('this agent to withdraw it', async () =>
      (await client.call('services.list', {})).every((s) => s.definition.id !== fleetServiceId),
    );
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
