import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckSignalReader } from '../../../electron/service-metrics/check-signal-reader.js';
import { ServiceScraper } from '../../../electron/service-metrics/service-scraper.js';
import { SignalMinutesRepository } from '../../../electron/service-metrics/signal-minutes-repository.js';
import { StoredSignalSource } from '../../../electron/service-metrics/stored-signal-source.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import type { ServiceSignalName } from '../../../shared/service-signals.js';
import { ServiceMetrics, type ServiceMetrics as Metrics } from '../../../shared/services.js';
import { ManualClock } from '../../support/manual-clock.js';
import { startMetricsEndpoint } from '../../support/metrics-endpoint.js';

const MINUTE = 60_000;
const t0 = Date.UTC(2026, 0, 1, 12, 0);
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function metricsServer() {
  const endpoint = await startMetricsEndpoint();
  cleanups.push(() => endpoint.close());
  return endpoint;
}

/** Exposition text of a service that served `ok` requests with 200 and `failed` with 500, and a latency histogram. */
function exposition(ok: number, failed: number, buckets: [number, number, number, number]): string {
  const [fast, medium, slow, all] = buckets;
  return [
    '# HELP http_requests_total Requests served.',
    '# TYPE http_requests_total counter',
    `http_requests_total{code="200"} ${ok}`,
    `http_requests_total{code="500"} ${failed}`,
    '# TYPE http_request_duration_seconds histogram',
    `http_request_duration_seconds_bucket{le="0.1"} ${fast}`,
    `http_request_duration_seconds_bucket{le="0.5"} ${medium}`,
    `http_request_duration_seconds_bucket{le="1"} ${slow}`,
    `http_request_duration_seconds_bucket{le="+Inf"} ${all}`,
    `http_request_duration_seconds_sum 1`,
    `http_request_duration_seconds_count ${all}`,
    '',
  ].join('\n');
}

async function setup(url: string, overrides: Partial<Metrics> = {}) {
  const clock = new ManualClock(t0);
  const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-signals-')), databaseFileName);
  const { db } = openDatabase(file, { now: t0 });
  cleanups.push(() => {
    db.close();
  });
  const metrics = ServiceMetrics.parse({
    url,
    intervalMs: 15_000,
    requests: 'http_requests_total',
    errors: 'http_requests_total{code=~"5.."}',
    latency: 'http_request_duration_seconds',
    ...overrides,
  });
  const outcomes: string[] = [];
  const minutes = new SignalMinutesRepository(db);
  const scraper = new ServiceScraper('api', metrics, {
    clock,
    minutes,
    observe: (outcome) => outcomes.push(outcome),
  });
  const source = new StoredSignalSource({
    metrics: minutes,
    checks: new CheckSignalReader(db),
    catalog: { ids: () => ['api'], metricsOf: () => metrics },
    now: () => clock.now(),
  });
  const stop = new AbortController();
  const scrape = () => scraper.scrape(stop.signal);
  const values = (signal: ServiceSignalName, minutes = 2) =>
    source.minutes('api', signal, t0, t0 + minutes * MINUTE).map((point) => point.value);
  return { clock, scraper, scrape, source, values, outcomes };
}

describe('ServiceScraper against a real endpoint', () => {
  it('turns counters and a histogram into requests per minute, error rate and p95 latency', async () => {
    const { reply, url } = await metricsServer();
    const { clock, scrape, values, source, scraper } = await setup(url);
    // Every 15 s: 27 OK and 3 failed requests (10 %), 20 of them within 0.1 s, 8 within 0.5 s, 2 within 1 s.
    for (let i = 0; i <= 8; i++) {
      reply.body = exposition(1000 + 27 * i, 50 + 3 * i, [500 + 20 * i, 600 + 28 * i, 700 + 30 * i, 700 + 30 * i]);
      await scrape();
      await clock.advance(15_000);
    }
    expect(scraper.status).toEqual({ url, lastSuccessAt: t0 + 8 * 15_000, lastError: null });
    expect(values('throughput')).toEqual([120, 120]);
    expect(values('errorRate')).toEqual([10, 10]);
    // Per minute 80 ≤ 0.1 s, 112 ≤ 0.5 s, 120 ≤ 1 s: rank 114 is a quarter into (0.5 s, 1 s].
    expect(values('latencyP95').map((ms) => Math.round(ms!))).toEqual([625, 625]);
    expect(source.origin('api', 'latencyP95')).toBe('metrics');
    // The minute in progress is left out until it is whole.
    expect(source.minutes('api', 'throughput', t0, t0 + 10 * MINUTE)).toHaveLength(2);
  });

  it('counts from zero after a counter drops (the service restarted)', async () => {
    const { reply, url } = await metricsServer();
    const { clock, scrape, values } = await setup(url, { errors: undefined, latency: undefined });
    const counts = [5000, 5030, 5060, 5090, 5120, 10, 40, 70, 100];
    for (const count of counts) {
      reply.body = `http_requests_total{code="200"} ${count}\n`;
      await scrape();
      await clock.advance(15_000);
    }
    // Minute 2 holds the restart: 30 before it, 10 counted from zero, then 30 and 30.
    expect(values('throughput')).toEqual([120, 100]);
  });

  it('keeps a failed scrape as the service’s error until one succeeds, and leaves the minutes it covers empty', async () => {
    const { reply, url } = await metricsServer();
    const { clock, scrape, values, scraper, outcomes } = await setup(url, { latency: undefined });
    const good = (n: number) => `http_requests_total{code="200"} ${n}\nhttp_requests_total{code="500"} 0\n`;
    const steps: Array<[string, number]> = [
      [good(0), 200],
      [good(30), 200],
      [good(60), 200],
      [good(90), 200],
      [good(120), 200],
      ['# TYPE other_total counter\nother_total 1\n', 200],
      ['http_requests_total{code="200"}\n', 200],
      ['oops', 503],
      [good(240), 200],
    ];
    const errors: Array<string | undefined> = [];
    for (const [body, status] of steps) {
      Object.assign(reply, { body, status });
      await scrape();
      errors.push(scraper.status.lastError?.message);
      await clock.advance(15_000);
    }
    expect(errors).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'metrics: http_requests_total not found',
      'metrics: line 1: expected a value after the metric name',
      `metrics: HTTP 503 from ${url}`,
      undefined,
    ]);
    expect(outcomes.filter((o) => o === 'error')).toHaveLength(3);
    // Minute 1: four good intervals. Minute 2: nothing measured between the failures (missing is null, not 0).
    expect(values('throughput')).toEqual([120, null]);
    expect(values('errorRate')).toEqual([0, null]);
  });

  it('reports an endpoint that refuses the connection or does not answer in time', async () => {
    const endpoint = await metricsServer();
    const { url, reply } = endpoint;
    const { clock, scrape, scraper } = await setup(url, { timeoutMs: 2_000 });
    reply.hang = true;
    const pending = scrape();
    await clock.advance(2_000);
    await pending;
    expect(scraper.status.lastError).toEqual({
      at: t0 + 2_000,
      message: `metrics: no answer within 2000 ms from ${url}`,
    });

    await endpoint.close();
    await scrape();
    expect(scraper.status.lastError?.message).toMatch(/^metrics: request failed: .*ECONNREFUSED/);
  });

  it('reports a label matcher RE2 refuses as the service’s error, without scraping', async () => {
    const { url } = await metricsServer();
    const { scrape, scraper, outcomes } = await setup(url, { errors: 'http_requests_total{code=~"(5.."}' });
    await scrape();
    expect(scraper.status.lastError?.message).toMatch(
      /^metrics: metrics\.errors\[0\]\.value: the regex does not compile/,
    );
    expect(outcomes).toEqual(['error']);
  });
});
