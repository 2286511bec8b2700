import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalMinutesRepository } from '../../electron/service-metrics/signal-minutes-repository.js';
import { openDatabase } from '../../electron/store/open-database.js';
import { databaseFileName } from '../../electron/store/store.js';
import { repoRoot, tempDir } from '../support/agent-process.js';
import { startMetricsEndpoint, type MetricsEndpoint } from '../support/metrics-endpoint.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const artifacts = join(repoRoot, 'test/artifacts');
const MINUTE = 60_000;

/** The last hour as the agent would have stored it from the shop's endpoint: ~120 requests a minute, a few failing. */
function seedLastHour(dataDir: string) {
  const { db } = openDatabase(join(dataDir, databaseFileName), { now: Date.now() });
  try {
    const minutes = new SignalMinutesRepository(db);
    const start = Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE;
    for (let i = 0; i < 60; i++) {
      const requests = 100 + 40 * Math.sin(i / 6);
      const slow = i > 40 && i < 46 ? 0.3 : 0.05;
      minutes.add('shop', start + i * MINUTE, start + (i + 1) * MINUTE, {
        requests,
        errors: requests * (i > 40 && i < 46 ? 0.12 : 0.02),
        buckets: new Map([
          [100, requests * (1 - slow)],
          [500, requests * 0.99],
          [1000, requests],
          [Infinity, requests],
        ]),
      });
    }
  } finally {
    db.close();
  }
}

describe('a service’s signals in its details', () => {
  let session: UiSession;
  let page: Page;
  let endpoint: MetricsEndpoint;
  let broken: MetricsEndpoint;

  beforeAll(async () => {
    let served = 0;
    endpoint = await startMetricsEndpoint(() => {
      served += 30;
      return [
        `http_requests_total{code="200"} ${served}`,
        `http_requests_total{code="500"} ${Math.floor(served / 50)}`,
        `http_request_duration_seconds_bucket{le="0.1"} ${served}`,
        `http_request_duration_seconds_bucket{le="+Inf"} ${served}`,
        '',
      ].join('\n');
    });
    broken = await startMetricsEndpoint(() => 'http_requests_total{code="200"}\n');
    const metrics = {
      intervalMs: 1_000,
      timeoutMs: 500,
      requests: 'http_requests_total',
      errors: 'http_requests_total{code=~"5.."}',
      latency: 'http_request_duration_seconds',
    };
    const dataDir = tempDir();
    seedLastHour(dataDir);
    session = await startUiSession(
      {
        dataDir,
        config: {
          services: [
            { id: 'shop', name: 'Shop', metrics: { ...metrics, url: endpoint.url } },
            { id: 'broken', name: 'Broken', metrics: { ...metrics, url: broken.url } },
          ],
        },
      },
      { width: 1440, height: 1100 },
    );
    page = session.page;
    await page.goto(session.agent.url);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Services', exact: true }).click();
  });

  afterAll(async () => {
    await session?.stop();
    await endpoint?.close();
    await broken?.close();
  });

  it('draws throughput, error rate and p95 latency from the service’s /metrics', async () => {
    await page.getByTestId('service-shop').click();
    const card = page.getByTestId('service-signals');
    for (const signal of ['throughput', 'errorRate', 'latencyP95']) {
      const line = card.getByTestId(`signal-chart-${signal}`).locator('path.chart-line');
      await waitFor(`the ${signal} line`, async () => ((await line.getAttribute('d')) ?? '').split('L').length > 30);
      expect(await card.getByTestId(`signal-origin-${signal}`).textContent()).toBe('from /metrics');
    }
    await waitFor('the endpoint answered', async () => (await card.textContent())?.includes('last answered'));
    expect(await card.getByTestId('signals-scrape-error').count()).toBe(0);
    mkdirSync(artifacts, { recursive: true });
    await card.screenshot({ path: join(artifacts, 'service-signals.png') });
  });

  it('shows a malformed endpoint’s error, naming the line', async () => {
    await page.getByTestId('service-broken').click();
    const error = page.getByTestId('service-signals').getByTestId('signals-scrape-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.locator('code').textContent()).toBe('metrics: line 1: expected a value after the metric name');
    expect(session.problems).toEqual([]);
  });
});
