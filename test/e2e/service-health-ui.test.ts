import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import { etcdFleetArgs, repoRoot, startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { openTestPage, type TestPage } from '../support/browser.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

const artifacts = join(repoRoot, 'test/artifacts');

/** A real loopback HTTP service whose answer the test flips between 200 and 500. */
async function startUpstream() {
  let healthy = true;
  const server: Server = createServer((_request, response) => {
    response.writeHead(healthy ? 200 : 500, { 'content-type': 'text/plain' }).end(healthy ? 'ok' : 'broken');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port, url: `http://127.0.0.1:${port}/health`, setHealthy: (value: boolean) => (healthy = value) };
}

describe('service health you can scan: heartbeat strips, data coverage, "No checks" and the fleet-wide table', () => {
  let etcd: EtcdCluster | undefined;
  let alpha: AgentProcess | undefined;
  let beta: AgentProcess | undefined;
  let upstream: Awaited<ReturnType<typeof startUpstream>> | undefined;
  let testPage: TestPage | undefined;
  let alphaClient: FleetdeckClient;
  let alphaId: string;
  let betaId: string;
  let page: Page;
  let problems: string[];

  const strip = () => page.getByTestId('heartbeats-upstream');
  const bars = (status: string) => strip().locator(`.beat[data-status="${status}"]`);

  beforeAll(async () => {
    upstream = await startUpstream();
    etcd = await startEtcdCluster({ members: 1 });
    const endpoint = etcd.endpoints[0]!;
    const idle = { argv: [process.execPath, '-e', 'setInterval(() => {}, 60_000)'] };
    [alpha, beta] = await Promise.all([
      startAgentProcess({
        args: etcdFleetArgs(endpoint, 'e2e-service-health', 'e2e-alpha'),
        config: { commands: { idle } },
        readyTimeoutMs: 30_000,
      }),
      startAgentProcess({ args: etcdFleetArgs(endpoint, 'e2e-service-health', 'e2e-beta'), readyTimeoutMs: 30_000 }),
    ]);
    alphaClient = clientFor(alpha.url);
    const betaClient = clientFor(beta.url);
    [alphaId, betaId] = await Promise.all([
      alphaClient.call('node.status', {}).then((s) => s.id),
      betaClient.call('node.status', {}).then((s) => s.id),
    ]);
    // A generous timeout: on a busy machine a slow answer must not read as a failure.
    const timing = { intervalMs: 1000, timeoutMs: 900 };
    await alphaClient.call('services.upsert', {
      service: {
        id: 'upstream',
        name: 'Upstream',
        checks: [{ name: 'health', type: 'http', url: upstream.url, ...timing }],
      },
    });
    await alphaClient.call('services.upsert', {
      service: { id: 'idle', name: 'Idle worker', supervise: { command: 'idle' } },
    });
    // Beta's check only opens a connection, so it keeps passing while the upstream answers 500.
    await betaClient.call('services.upsert', {
      service: {
        id: 'beta-port',
        name: 'Beta port',
        checks: [{ name: 'port', type: 'tcp', host: '127.0.0.1', port: upstream.port, ...timing }],
      },
    });
    testPage = await openTestPage({ width: 1440, height: 900 });
    ({ page, problems } = testPage);
  }, 90_000);

  afterAll(async () => {
    await testPage?.close();
    await Promise.all([alpha?.stop(), beta?.stop()]);
    await etcd?.stop();
    await new Promise((resolve) => upstream?.server.close(resolve));
  });

  it('shows a row’s last results as passing bars, newest right, with time, status and latency on each', async () => {
    await page.goto(`${alpha!.url}/#/services`);
    await page.getByRole('heading', { level: 2, name: 'On this node' }).waitFor();
    const newest = (count: number) =>
      strip()
        .locator('.beat')
        .evaluateAll((items, n) => items.slice(-n).map((item) => item.getAttribute('data-status')), count);
    await waitFor('the three newest bars to be passing', async () => (await newest(3)).every((s) => s === 'passing'), {
      timeoutMs: 20_000,
    });
    expect(await strip().getAttribute('aria-label')).toMatch(/^Last \d+ results: \d+ passing/);
    expect(await bars('passing').last().getAttribute('title')).toMatch(/^\d{1,2}:\d{2}:\d{2}.* · Passing · [\d.]+ ms$/);
    // Uptime says how much data it stands on: the check has run for seconds, not 24 hours.
    expect(await page.getByTestId('row-uptime-upstream').textContent()).toMatch(
      /^[\d.]+ % (over the last \d+ (s|min)|from the first result)$/,
    );
    expect(await page.getByTestId('row-latency-upstream').textContent()).toMatch(/^avg [\d.]+ ms$/);
  });

  it('turns the newest bars red once the upstream answers 500, and the figures say over how long', async () => {
    upstream!.setHealthy(false);
    await waitFor(
      'the newest bar to be critical',
      async () =>
        (await bars('critical').count()) >= 2 &&
        (await strip().locator('.beat').last().getAttribute('data-status')) === 'critical',
      { timeoutMs: 20_000 },
    );
    expect(await bars('passing').count()).toBeGreaterThan(0); // the older, passing results are still there, on the left
    expect(await bars('critical').last().getAttribute('title')).toMatch(/ · Critical · [\d.]+ ms$/);
    const rowUptime = (await page.getByTestId('row-uptime-upstream').textContent()) ?? '';
    expect(rowUptime).toMatch(/^\d+\.\d+ % over the last \d+ (s|min)$/);

    await page.getByTestId('service-upstream').getByRole('button').click();
    const details = page.getByTestId('service-details');
    await waitFor(
      'the details to show the critical check',
      async () => (await details.getByTestId('check-status-health').getAttribute('data-status')) === 'critical',
    );
    expect(await details.getByTestId('results-caption-health').textContent()).toMatch(
      /^Results, last 24 h: data for the last \d+ (s|min) only$/,
    );
    // One figure, not the same one three times as "24 h", "7 d" and "30 d".
    expect(await details.getByTestId('uptime-health').locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^\d+\.\d+ % over the last \d+ (s|min)$/),
    ]);
    mkdirSync(artifacts, { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(artifacts, 'services-heartbeats.png'), fullPage: true });
  });

  it('says "No checks" for a supervised service without checks, in the list and in the details', async () => {
    const [listed] = (await alphaClient.call('services.list', {})).filter((s) => s.definition.id === 'idle');
    expect(listed?.status).toBe('passing'); // what the agent counts a running process as
    const row = page.getByTestId('service-idle');
    expect(await row.locator('.status-pill').textContent()).toBe('No checks');
    expect(await row.getByTestId('heartbeats-idle').count()).toBe(0);
    await row.getByRole('button').click();
    const details = page.getByTestId('service-details');
    await waitFor(
      'the idle service’s details',
      async () => (await details.getByRole('heading', { level: 2 }).textContent()) === 'Idle worker',
    );
    expect(await details.getByTestId('service-status').textContent()).toBe('No checks');
    expect(await details.getByTestId('no-checks-note').textContent()).toMatch(/only knows whether its process runs/);
    expect(await details.getByText(/passing|unknown/i).count()).toBe(0);
    expect(await row.getByText(/passing/i).count()).toBe(0);
  });

  it('lists every node’s services in one table, service × node, the worst first', async () => {
    await waitFor(
      'both members in the fleet',
      async () => (await alphaClient.call('cluster.members', {})).length === 2,
      {
        timeoutMs: 20_000,
      },
    );
    await page
      .getByRole('group', { name: 'Show the services of' })
      .getByRole('button', { name: 'Whole fleet' })
      .click();
    const table = page.getByTestId('fleet-services');
    const rowsOf = () => table.locator('tbody tr');
    await waitFor('the services of both nodes', async () => (await rowsOf().count()) === 3, { timeoutMs: 20_000 });
    const keys = await rowsOf().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')));
    expect(keys).toEqual([
      `fleet-service-${alphaId}/upstream`,
      `fleet-service-${alphaId}/idle`,
      `fleet-service-${betaId}/beta-port`,
    ]);
    const cells = async (key: string) => page.getByTestId(`fleet-service-${key}`).locator('td').allTextContents();
    expect(await cells(`${alphaId}/upstream`)).toEqual([
      'Upstream upstream',
      'e2e-alpha',
      'Critical',
      expect.stringMatching(/ over the last \d+ (s|min)$/),
      expect.stringMatching(/ms$/),
      expect.any(String),
    ]);
    expect((await cells(`${alphaId}/idle`)).slice(1, 3)).toEqual(['e2e-alpha', 'No checks']);
    expect((await cells(`${betaId}/beta-port`)).slice(1, 3)).toEqual(['e2e-beta', 'Passing']);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(artifacts, 'services-fleet-table.png'), fullPage: true });

    // Adding a service opens its form beside this node's list, not under the fleet table.
    await page.getByRole('toolbar', { name: 'Service actions' }).getByRole('button', { name: 'Add service' }).click();
    await page.getByRole('form', { name: 'Add service' }).waitFor();
    const thisNode = page
      .getByRole('group', { name: 'Show the services of' })
      .getByRole('button', { name: 'This node' });
    expect(await thisNode.getAttribute('aria-pressed')).toBe('true');
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
