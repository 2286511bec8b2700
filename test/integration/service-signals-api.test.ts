import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import { clientFor, refusal } from '../support/http-client.js';
import { openInProcessAgent, type InProcessAgent } from '../support/in-process-agent.js';
import { startMetricsEndpoint, type MetricsEndpoint } from '../support/metrics-endpoint.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';

const FIFTEEN_MINUTES = 15 * 60_000;

describe('services.signals over HTTP', () => {
  let endpoint: MetricsEndpoint;
  let opened: InProcessAgent;
  let client: FleetdeckClient;

  beforeAll(async () => {
    let requests = 0;
    endpoint = await startMetricsEndpoint(
      () => `# TYPE http_requests_total counter\nhttp_requests_total ${(requests += 7)}\n`,
    );
    const metrics = { url: endpoint.url, intervalMs: 1_000, timeoutMs: 500, requests: 'http_requests_total' };
    opened = await openInProcessAgent(
      {
        name: 'signals',
        services: [
          { id: 'shop', name: 'Shop', metrics },
          { id: 'plain', name: 'Plain' },
        ],
      },
      { logger: memoryLogger().logger },
    );
    await opened.agent.start(opened.server.url);
    client = clientFor(opened.server.url);
  });

  afterAll(async () => {
    await opened?.server.close();
    await opened?.agent.stop();
    await endpoint?.close();
  });

  it('answers every whole minute of the range for each signal, with its origin and how the scrapes go', async () => {
    const answer = await waitFor('a successful scrape of shop', async () => {
      const signals = await client.call('services.signals', { serviceId: 'shop', rangeMs: FIFTEEN_MINUTES });
      return signals.scrape?.lastSuccessAt ? signals : undefined;
    });
    expect(answer.scrape).toMatchObject({ url: endpoint.url, lastError: null });
    expect(answer.signals.map(({ signal, origin }) => [signal, origin])).toEqual([
      ['throughput', 'metrics'],
      ['errorRate', 'checks'],
      ['latencyP95', 'checks'],
    ]);
    for (const { points } of answer.signals) {
      expect(points.length).toBeGreaterThanOrEqual(14);
      expect(points.length).toBeLessThanOrEqual(15);
      expect(points.every((point) => point.at % 60_000 === 0)).toBe(true);
    }

    const plain = await client.call('services.signals', {
      serviceId: 'plain',
      signal: 'errorRate',
      rangeMs: 3_600_000,
    });
    expect(plain.scrape).toBeNull();
    expect(plain.signals.map((s) => [s.signal, s.origin])).toEqual([['errorRate', 'checks']]);
  });

  it('keeps a failed scrape on the service until a scrape succeeds, following the catalog live', async () => {
    const broken = { id: 'broken', name: 'Broken', metrics: { url: endpoint.url, requests: 'shop_orders_total' } };
    await client.call('services.upsert', { service: broken });
    const failing = await waitFor('the broken endpoint reported', async () => {
      const { scrape } = await client.call('services.signals', { serviceId: 'broken', rangeMs: FIFTEEN_MINUTES });
      return scrape?.lastError ?? undefined;
    });
    expect(failing.message).toBe('metrics: shop_orders_total not found');

    const definition = {
      id: 'broken',
      name: 'Broken',
      metrics: { url: endpoint.url, requests: 'http_requests_total' },
    };
    await client.call('services.upsert', { service: definition });
    const fixed = await waitFor('the mended endpoint scraped', async () => {
      const { scrape } = await client.call('services.signals', { serviceId: 'broken', rangeMs: FIFTEEN_MINUTES });
      return scrape?.lastSuccessAt ? scrape : undefined;
    });
    expect(fixed.lastError).toBeNull();

    const metrics = await (await fetch(`${opened.server.url}/metrics`)).text();
    expect(metrics).toMatch(/^fleetdeck_service_metrics_scrapes_total\{outcome="ok"\} [1-9]/m);
    expect(metrics).toMatch(/^fleetdeck_service_metrics_scrapes_total\{outcome="error"\} [1-9]/m);
    expect(metrics).toMatch(/^fleetdeck_service_metrics_scrape_duration_seconds_count [1-9]/m);
  });

  it('refuses an unknown service and a range the charts do not offer, naming the field', async () => {
    expect(
      await refusal(client.call('services.signals', { serviceId: 'nope', rangeMs: FIFTEEN_MINUTES })),
    ).toMatchObject({
      code: 'not_found',
      message: 'no service "nope"',
    });
    const wrongRange = await refusal(client.call('services.signals', { serviceId: 'shop', rangeMs: 1_234 }));
    expect(wrongRange.code).toBe('invalid_request');
    expect(wrongRange.issues).toEqual([
      {
        path: 'rangeMs',
        message: 'must be one of 900000, 3600000, 21600000, 86400000, 604800000 (15 m, 1 h, 6 h, 24 h, 7 d)',
      },
    ]);
  });
});
