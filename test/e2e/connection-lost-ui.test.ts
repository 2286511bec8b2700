import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { openTestPage, type TestPage } from '../support/browser.js';
import { waitFor } from '../support/poll.js';

const artifacts = join(repoRoot, 'test/artifacts');
/** How long the uptime must stand still to count as stopped: it counts whole seconds. */
const STILL_MS = 2500;

/** Reads the uptime until `ms` have passed, returning every distinct text seen. */
async function uptimesOver(page: Page, ms: number): Promise<string[]> {
  const seen = new Set<string>();
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) seen.add((await page.getByTestId('node-uptime').textContent()) ?? '');
  return [...seen];
}

describe('a console that loses its agent', () => {
  let agent: AgentProcess | undefined;
  let testPage: TestPage | undefined;
  let page: Page;

  beforeAll(async () => {
    agent = await startAgentProcess({ config: { resources: { intervalMs: 500 } } });
    testPage = await openTestPage({ width: 1440, height: 900 });
    page = testPage.page;
  });

  afterAll(async () => {
    await testPage?.close();
    await agent?.stop();
  });

  it('dims its data under the time of the last data, stops the uptime, and recovers when the agent is back', async () => {
    const { url, dataDir } = agent!;
    await page.goto(`${url}/#/nodes`);
    const indicator = page.getByTestId('connection-state');
    // The first load builds the whole UI: slow on a busy machine.
    await indicator.getByText('Live').waitFor({ timeout: 20_000 });
    expect((await uptimesOver(page, STILL_MS)).length).toBeGreaterThan(1);
    const view = page.locator('.view');
    expect(await view.getAttribute('data-stale')).toBeNull();

    const killedAt = Date.now();
    await agent!.stop('SIGKILL');
    await indicator.getByText('Connection lost, retrying…').waitFor();
    const notice = page.getByTestId('stale-notice');
    const text = (await notice.textContent()) ?? '';
    const asOf = /^Connection to the agent lost: showing data as of (\d\d):(\d\d):(\d\d)( [AP]M)?\.$/.exec(text);
    expect(asOf, text).not.toBeNull();
    // The last event came at most a sample interval or two before the kill.
    const clock = await page.evaluate(
      (at) => new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
      killedAt,
    );
    const seconds = (hms: string) =>
      hms
        .split(/[: ]/)
        .slice(0, 3)
        .reduce((total, part) => total * 60 + Number(part), 0);
    expect(seconds(clock) - seconds(text.slice(text.indexOf('as of ') + 6, -1))).toBeLessThanOrEqual(2);
    expect(await view.getAttribute('data-stale')).toBe('true');
    // Runs in the page, whose DOM types this Node project does not load.
    const opacity = await page.locator('.resource-charts').evaluate((element) => {
      const browserWindow = globalThis as unknown as { getComputedStyle(element: unknown): { opacity: string } };
      return Number(browserWindow.getComputedStyle(element).opacity);
    });
    expect(opacity).toBeLessThan(1);
    expect(await uptimesOver(page, STILL_MS)).toHaveLength(1);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'connection-lost.png') });

    // The same agent back on the same port: the page's event stream reconnects by itself.
    const port = new URL(url).port;
    agent = await startAgentProcess({ dataDir, args: ['--port', port], config: { resources: { intervalMs: 500 } } });
    await indicator.getByText('Live').waitFor({ timeout: 15_000 });
    await waitFor('the notice gone', async () => (await notice.count()) === 0);
    expect(await view.getAttribute('data-stale')).toBeNull();
    expect((await uptimesOver(page, STILL_MS)).length).toBeGreaterThan(1);
    // Chromium logs every refused reconnect as a failed load; nothing else went wrong.
    expect(testPage!.problems.filter((problem) => !/Failed to load resource: net::ERR_/.test(problem))).toEqual([]);
  });

  it('notices an agent frozen behind an open stream (SIGSTOP), and recovers when it continues', async () => {
    const indicator = page.getByTestId('connection-state');
    await indicator.getByText('Live').waitFor();
    // The page has seen this agent's samples every 500 ms for seconds: it says lost after 10 s without one.
    agent!.child.kill('SIGSTOP');
    try {
      await indicator.getByText('Connection lost, retrying…').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('stale-notice').textContent()).toMatch(/showing data as of /);
      expect(await uptimesOver(page, STILL_MS)).toHaveLength(1);
    } finally {
      agent!.child.kill('SIGCONT');
    }
    await indicator.getByText('Live').waitFor();
    await waitFor('the notice gone', async () => (await page.getByTestId('stale-notice').count()) === 0);
    expect((await uptimesOver(page, STILL_MS)).length).toBeGreaterThan(1);
  });
});
