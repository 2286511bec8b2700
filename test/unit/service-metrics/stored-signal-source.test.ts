import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckSignalReader } from '../../../electron/service-metrics/check-signal-reader.js';
import { SignalMinutesRepository } from '../../../electron/service-metrics/signal-minutes-repository.js';
import { StoredSignalSource } from '../../../electron/service-metrics/stored-signal-source.js';
import { CheckHistoryRepository } from '../../../electron/store/check-history-repository.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { ServiceMetrics, type ResultStatus } from '../../../shared/services.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const t0 = Date.UTC(2026, 0, 1, 12, 0);
const closers: Array<() => void> = [];

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function open(now: number) {
  const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-signals-')), databaseFileName);
  const { db } = openDatabase(file, { now: t0 });
  closers.push(() => db.close());
  const checks = new CheckHistoryRepository(db);
  const minutes = new SignalMinutesRepository(db);
  const withMetrics = ServiceMetrics.parse({ url: 'http://127.0.0.1:9/metrics', requests: 'http_requests_total' });
  const source = new StoredSignalSource({
    metrics: minutes,
    checks: new CheckSignalReader(db),
    catalog: {
      ids: () => ['api', 'idle', 'web'],
      metricsOf: (id) => (id === 'web' ? withMetrics : undefined),
    },
    now: () => now,
  });
  const run = (check: string, at: number, status: ResultStatus, latencyMs: number) =>
    checks.record('api', check, { at, status, latencyMs, output: '' });
  return { db, checks, minutes, source, run };
}

describe('StoredSignalSource', () => {
  it('gives a service without an endpoint its signals from its checks: runs, failed runs and p95 run latency', () => {
    const { checks, source, run } = open(t0 + 3 * MINUTE);
    // Minute 0: two checks, 20 runs of 1..20 ms, the http check critical twice and the tcp one warning once.
    for (let i = 1; i <= 10; i++) {
      run('http', t0 + i * 5_000, i <= 2 ? 'critical' : 'passing', i);
      run('tcp', t0 + i * 5_000 + 1, i === 3 ? 'warning' : 'passing', 10 + i);
    }
    // Minute 2: one run, unknown (the checker's failure, not the service's).
    run('http', t0 + 2 * MINUTE + 1_000, 'unknown', 40);
    checks.flush();

    const points = (signal: 'throughput' | 'errorRate' | 'latencyP95') =>
      source.minutes('api', signal, t0, t0 + HOUR).map((p) => [p.at - t0, p.value]);
    expect(source.origin('api', 'throughput')).toBe('checks');
    expect(points('throughput')).toEqual([
      [0, 20],
      [MINUTE, null],
      [2 * MINUTE, 1],
    ]);
    expect(points('errorRate')).toEqual([
      [0, 10],
      [MINUTE, null],
      [2 * MINUTE, 0],
    ]);
    // Nearest rank: the 19th of 20 latencies.
    expect(points('latencyP95')).toEqual([
      [0, 19],
      [MINUTE, null],
      [2 * MINUTE, 40],
    ]);
    expect(source.services()).toEqual(['api']);
  });

  it('falls back to the roll-ups’ highest latency once raw results are pruned', async () => {
    const { checks, source, run } = open(t0 + 2 * MINUTE);
    for (let i = 1; i <= 4; i++) run('http', t0 + i * 10_000, 'passing', i * 10);
    checks.flush();
    await checks.prune(t0 + 2 * MINUTE, 1, 30 * 24 * HOUR);
    expect(source.minutes('api', 'latencyP95', t0, t0 + MINUTE)).toEqual([{ at: t0, value: 40 }]);
  });

  it('reads what the endpoint of a service with `metrics:` counted, and a signal it does not name from checks', () => {
    const { minutes, source } = open(t0 + 5 * MINUTE);
    // One scrape pair spanning three minutes: its 300 requests spread by time, 100 a minute.
    minutes.add('web', t0, t0 + 3 * MINUTE, { requests: 300, errors: null, buckets: null });
    expect(source.origin('web', 'throughput')).toBe('metrics');
    expect(source.origin('web', 'errorRate')).toBe('checks');
    expect(source.minutes('web', 'throughput', t0, t0 + 5 * MINUTE).map((p) => p.value)).toEqual([
      100,
      100,
      100,
      null,
      null,
    ]);
    expect(source.services()).toEqual(['web']);
    minutes.deleteService('web');
    expect(source.services()).toEqual([]);
  });

  it('shows no figure for a minute the scrapes covered less than half of, rather than scaling a few seconds up', () => {
    const { minutes, source } = open(t0 + 2 * MINUTE);
    minutes.add('web', t0 + 50_000, t0 + 65_000, { requests: 15, errors: null, buckets: null });
    expect(source.minutes('web', 'throughput', t0, t0 + 2 * MINUTE).map((p) => p.value)).toEqual([null, null]);
  });

  it('prunes minutes older than the retention', async () => {
    const { minutes } = open(t0);
    minutes.add('web', t0 - 3 * HOUR, t0 - 3 * HOUR + MINUTE, { requests: 1, errors: 0, buckets: null });
    minutes.add('web', t0 - MINUTE, t0, { requests: 1, errors: 0, buckets: null });
    expect(await minutes.prune(t0, 2 * HOUR)).toBe(1);
    expect(minutes.minutes('web', 0, t0 + MINUTE).map((m) => m.minute)).toEqual([t0 - MINUTE]);
  });
});
