import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { previewRule } from '../../../electron/alerts/rule-preview.js';
import { storedInputs } from '../../../electron/alerts/signals/stored-inputs.js';
import { CheckHistoryRepository } from '../../../electron/store/check-history-repository.js';
import { LogMatchesRepository } from '../../../electron/store/log-matches-repository.js';
import { ResourceHistoryRepository } from '../../../electron/store/resource-history-repository.js';
import { Store } from '../../../electron/store/store.js';
import { AlertRule, type AlertRuleInput } from '../../../shared/alerts.js';
import { AgentConfig } from '../../../shared/config.js';
import type { ResourceSample } from '../../../shared/node.js';

const MINUTE = 60_000;
const now = Date.UTC(2026, 0, 2, 12);
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetdeck-preview-'));
  const store = Store.open(dataDir, { now });
  stores.push(store);
  const clock = { now: () => now, monotonic: () => 0, setTimer: () => () => {} };
  const { history } = storedInputs({
    store,
    clock,
    config: AgentConfig.parse({ name: 'n', dataDir }),
    random: () => 0,
  });
  const preview = (fields: Partial<AlertRuleInput>) =>
    previewRule(AlertRule.parse({ id: 'r', name: 'R', threshold: 90, ...fields }), history, now);
  return { store, preview };
}

const sample = (at: number, loadPercent: number): ResourceSample => ({
  sampledAt: at,
  cpu: { loadPercent, cores: 2 },
  memory: { usedBytes: 1, totalBytes: 2 },
  disk: { mount: '/', usedBytes: 1, totalBytes: 2 },
  load: { avg1: 0, avg5: 0, avg15: 0 },
  network: { rxBytesPerSec: 0, txBytesPerSec: 0 },
  disks: [],
});

describe('rule preview over the last 24 h of stored samples', () => {
  it('replays a resource rule on the stored samples: pending, firing, held by the clear threshold, resolved', () => {
    const { store, preview } = setup();
    const resources = store.repository((db) => new ResourceHistoryRepository(db));
    // One sample a minute for the last hour: 50 %, then 95 % for 10 min, 85 % for 5 min (above the clear 80),
    // 70 % after. Older than 24 h: a spike that must not show.
    const start = now - 60 * MINUTE;
    resources.record(sample(now - 25 * 3_600_000, 99));
    for (let minute = 0; minute <= 60; minute++) {
      const cpu = minute < 20 ? 50 : minute < 30 ? 95 : minute < 35 ? 85 : 70;
      resources.record(sample(start + minute * MINUTE, cpu));
    }
    const result = preview({ signal: { kind: 'resource', metric: 'cpu' }, clearThreshold: 80, forSeconds: 120 });
    expect(result).toMatchObject({ from: now - 24 * 3_600_000, to: now, unavailable: null, unit: 'percent' });
    expect(result.series).toHaveLength(61);
    expect(result.series[0]).toEqual({ at: start, value: 50 });
    expect(result.intervals).toEqual([
      { state: 'pending', from: start + 20 * MINUTE, to: start + 22 * MINUTE },
      { state: 'firing', from: start + 22 * MINUTE, to: start + 35 * MINUTE },
    ]);
    expect(preview({ signal: { kind: 'resource', metric: 'cpu' }, threshold: 99 }).intervals).toEqual([]);
  });

  it('an interval still open at the end has no end; keepFiringFor holds firing past the clearing', () => {
    const { store, preview } = setup();
    const resources = store.repository((db) => new ResourceHistoryRepository(db));
    for (let minute = 10; minute >= 0; minute--) resources.record(sample(now - minute * MINUTE, minute > 5 ? 95 : 10));
    expect(preview({ signal: { kind: 'resource', metric: 'cpu' }, keepFiringForSeconds: 120 }).intervals).toEqual([
      { state: 'firing', from: now - 10 * MINUTE, to: now - 3 * MINUTE },
    ]);
    expect(
      preview({ signal: { kind: 'resource', metric: 'cpu' }, operator: 'below', threshold: 50 }).intervals,
    ).toEqual([{ state: 'firing', from: now - 5 * MINUTE, to: null }]);
  });

  it('replays error rate and latency from the check roll-ups, and log matches, as windows ending each minute', () => {
    const { store, preview } = setup();
    const checks = store.repository((db) => new CheckHistoryRepository(db));
    for (let minute = 30; minute >= 1; minute--) {
      const failing = minute <= 10 && minute > 5;
      checks.record('web', 'http', {
        at: now - minute * MINUTE + 1_000,
        status: failing ? 'critical' : 'passing',
        latencyMs: failing ? 3_000 : 100,
        output: '',
      });
    }
    checks.flush();
    const errors = preview({ signal: { kind: 'errorRate', serviceIds: [], windowSeconds: 120 }, threshold: 40 });
    expect(errors.unit).toBe('percent');
    // The first failed minute has ended at now − 9 min: with the passing one before it, the window is 50 % failed.
    expect(errors.intervals).toEqual([{ state: 'firing', from: now - 9 * MINUTE, to: now - 3 * MINUTE }]);
    const latency = preview({ signal: { kind: 'checkLatency', serviceIds: [], windowSeconds: 60 }, threshold: 1_000 });
    expect(latency.series.find((point) => point.at === now - 9 * MINUTE)).toEqual({
      at: now - 9 * MINUTE,
      value: 3_000,
    });
    expect(latency.series.at(-1)).toEqual({ at: now, value: 100 });

    const matches = store.repository((db) => new LogMatchesRepository(db));
    matches.insertMany(
      [3, 2.5, 2.2].map((ago) => ({ patternId: 'oom', source: 'app', line: 'oom', at: now - ago * MINUTE })),
      100,
    );
    const logs = preview({ signal: { kind: 'logPattern', patternId: 'oom', windowSeconds: 60 }, threshold: 1 });
    expect(logs.intervals).toEqual([{ state: 'firing', from: now - 2 * MINUTE, to: now - MINUTE }]);
    expect(logs.series.at(-1)).toEqual({ at: now, value: 0 });
  });

  it('says so for a signal without stored history', () => {
    const { preview } = setup();
    expect(preview({ signal: { kind: 'taskQueue', measure: 'dead' }, threshold: 0 })).toMatchObject({
      unavailable: 'the task queue is judged as it is now; its depth and dead tasks are not stored over time',
      series: [],
      intervals: [],
    });
  });

  it('replays check status from each check’s worst result in each minute', () => {
    const { store, preview } = setup();
    const checks = store.repository((db) => new CheckHistoryRepository(db));
    const run = (service: string, minutesAgo: number, status: 'passing' | 'warning' | 'critical') =>
      checks.record(service, 'http', { at: now - minutesAgo * MINUTE + 1_000, status, latencyMs: 5, output: '' });
    run('web', 4, 'passing');
    run('web', 3, 'critical');
    run('web', 3, 'passing');
    run('api', 3, 'warning');
    run('web', 2, 'passing');
    checks.flush();
    const critical = preview({ signal: { kind: 'checkStatus', status: 'critical' }, threshold: 0 });
    expect(critical.intervals).toEqual([{ state: 'firing', from: now - 2 * MINUTE, to: now - MINUTE }]);
    const warning = preview({ signal: { kind: 'checkStatus', status: 'warning' }, threshold: 1 });
    expect(warning.series.find((point) => point.at === now - 2 * MINUTE)).toEqual({ at: now - 2 * MINUTE, value: 2 });
    expect(warning.intervals).toEqual([{ state: 'firing', from: now - 2 * MINUTE, to: now - MINUTE }]);
  });
});
