import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/store/open-database.js';
import { ResourceHistoryRepository } from '../../electron/store/resource-history-repository.js';
import { databaseFileName } from '../../electron/store/store.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { repoRoot, tempDir } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const artifacts = join(repoRoot, 'test/artifacts');
const SAMPLE_INTERVAL_MS = 20_000;
const HOUR_MS = 3_600_000;
const GB = 1024 ** 3;

/** A sample stored two hours before the agent starts: inside the 6 h range, outside the 1 h and 15 m ones. */
function seedOldSample(dataDir: string, at: number, cpuPercent: number) {
  const { db } = openDatabase(join(dataDir, databaseFileName), { now: Date.now() });
  try {
    new ResourceHistoryRepository(db).record({
      sampledAt: at,
      cpu: { loadPercent: cpuPercent, cores: 2 },
      memory: { usedBytes: 2 * GB, totalBytes: 8 * GB },
      disk: { mount: '/', usedBytes: 10 * GB, totalBytes: 100 * GB },
      load: { avg1: 0.5, avg5: 0.5, avg15: 0.5 },
      network: { rxBytesPerSec: 0, txBytesPerSec: 0 },
      disks: [],
    });
  } finally {
    db.close();
  }
}

const linePath = (chart: Locator) => chart.locator('path.chart-line').getAttribute('d');
/** The line's runs: each `M…L…` stretch is one joined run, its vertices counted. */
const runsOf = (d: string | null) =>
  (d ?? '')
    .split('M')
    .filter(Boolean)
    .map((run) => run.split('L').length);

async function readout(chart: Locator) {
  const box = chart.getByTestId('chart-readout');
  return { text: await box.textContent(), at: await box.locator('time').getAttribute('datetime') };
}

describe('the resource charts', () => {
  let session: UiSession;
  let page: Page;
  let client: FleetdeckClient;
  const oldSampleAt = Date.now() - 2 * HOUR_MS;

  beforeAll(async () => {
    const dataDir = tempDir();
    seedOldSample(dataDir, oldSampleAt, 77);
    session = await startUiSession(
      { dataDir, config: { resources: { intervalMs: SAMPLE_INTERVAL_MS } } },
      { width: 1440, height: 900 },
    );
    ({ page, client } = session);
    await page.goto(`${session.agent.url}/#/nodes`);
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('joins two samples 20 s apart into one line, and the crosshair reads their values and times', async () => {
    const cpu = page.getByTestId('chart-cpu');
    // The second sample comes one interval after the first.
    const d = await waitFor(
      'two CPU samples drawn',
      async () => {
        const path = await linePath(cpu);
        return runsOf(path).reduce((n, vertices) => n + vertices, 0) >= 2 && path;
      },
      { timeoutMs: SAMPLE_INTERVAL_MS * 2 },
    );
    const { points } = await client.call('node.resources', { fromMs: Date.now() - HOUR_MS, toMs: Date.now() });
    expect(points).toHaveLength(2);
    expect(points[1]!.at - points[0]!.at).toBeGreaterThanOrEqual(SAMPLE_INTERVAL_MS - 1000);
    expect(points[1]!.at - points[0]!.at).toBeLessThanOrEqual(SAMPLE_INTERVAL_MS + 1000);
    // One run of two vertices: a joined line, no lone dots.
    expect(runsOf(d)).toEqual([2]);
    expect(await cpu.locator('circle.chart-dot').count()).toBe(0);

    // Hovering at the right end of the time axis (12 px inside the chart) lands on the newest sample.
    const svg = cpu.locator('svg');
    const box = (await svg.boundingBox())!;
    await svg.hover({ position: { x: box.width - 12, y: box.height / 2 } });
    const [first, second] = points as [(typeof points)[0], (typeof points)[0]];
    expect(await readout(cpu)).toEqual({
      text: expect.stringMatching(new RegExp(`^${Math.round(second.cpuPercent)} % at `)) as string,
      at: new Date(second.at).toISOString(),
    });
    // From the keyboard: the arrows step from sample to sample.
    await page.mouse.move(0, 0);
    await svg.focus();
    await page.keyboard.press('End');
    expect((await readout(cpu)).at).toBe(new Date(second.at).toISOString());
    await page.keyboard.press('ArrowLeft');
    expect(await readout(cpu)).toEqual({
      text: expect.stringMatching(new RegExp(`^${Math.round(first.cpuPercent)} % at `)) as string,
      at: new Date(first.at).toISOString(),
    });
    await page.keyboard.press('Escape');
    expect(await cpu.getByTestId('chart-readout').count()).toBe(0);
    expect(session.problems).toEqual([]);
  });

  it('shows the range picked: a sample from two hours ago only in the 6 h range', async () => {
    const cpu = page.getByTestId('chart-cpu');
    const svg = cpu.locator('svg');
    const ranges = page.getByRole('group', { name: 'Resources range' });
    const heading = page.getByRole('heading', { level: 2, name: /^Resources, / });
    const oldest = async () => {
      await svg.focus();
      await page.keyboard.press('Home');
      return readout(cpu);
    };
    const oldSample = { text: expect.stringMatching(/^77 % at /) as string, at: new Date(oldSampleAt).toISOString() };
    expect(await heading.textContent()).toBe('Resources, last hour');
    expect(await ranges.getByRole('button', { name: '1 h' }).getAttribute('aria-pressed')).toBe('true');
    expect(await oldest()).not.toEqual(oldSample);

    await ranges.getByRole('button', { name: '6 h' }).click();
    await page.getByRole('heading', { level: 2, name: 'Resources, last 6 hours' }).waitFor();
    expect(await ranges.getByRole('button', { name: '6 h' }).getAttribute('aria-pressed')).toBe('true');
    // The old sample stands alone: nothing was sampled around it.
    await cpu.locator('circle.chart-dot').first().waitFor();
    expect(runsOf(await linePath(cpu))[0]).toBe(1);
    expect(await oldest()).toEqual(oldSample);
    mkdirSync(artifacts, { recursive: true });
    await cpu.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'resource-charts.png'), fullPage: true });

    await ranges.getByRole('button', { name: '15 m' }).click();
    await page.getByRole('heading', { level: 2, name: 'Resources, last 15 minutes' }).waitFor();
    // The previous range's points stay until the new range's arrive.
    await waitFor('the live samples drawn alone', async () => runsOf(await linePath(cpu)).length === 1);
    expect(await cpu.locator('circle.chart-dot').count()).toBe(0);
    expect(await oldest()).not.toEqual(oldSample);
    expect(session.problems).toEqual([]);
  });
});
