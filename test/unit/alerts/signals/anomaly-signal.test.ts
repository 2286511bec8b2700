import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../../electron/alerts/alert-engine.js';
import { readAnomaly } from '../../../../electron/alerts/signals/anomaly-signal.js';
import { AnomalyDetector } from '../../../../electron/anomaly/anomaly-detector.js';
import type { SignalObservation } from '../../../../electron/anomaly/anomaly-verdict.js';
import { repeat } from '../../../../electron/core/clock.js';
import { AlertsRepository } from '../../../../electron/store/alerts-repository.js';
import { openDatabase } from '../../../../electron/store/open-database.js';
import { databaseFileName } from '../../../../electron/store/store.js';
import { AnomalySignal } from '../../../../shared/alert-signals.js';
import { AlertRule, type Alert } from '../../../../shared/alerts.js';
import { ManualClock } from '../../../support/manual-clock.js';
import { MINUTE_MS, noise, SyntheticSignalSource } from '../../../support/synthetic-signals.js';
import { memoryLogger } from '../../../support/test-logger.js';

const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const opened: Database.Database[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const observation = (serviceId: string, value: number, expected = 100): SignalObservation => ({
  serviceId,
  signal: 'latencyP95',
  at: Date.UTC(2026, 11, 1, 14),
  value,
  expected,
  sigma: 5,
  basis: 'Tuesdays 14:00',
  learnt: 5_000,
  warm: true,
});

describe('readAnomaly', () => {
  const signal = (fields: Record<string, unknown> = {}) =>
    AnomalySignal.parse({ kind: 'anomaly', signal: 'latencyP95', ...fields });

  it('reads the deviations of the worst anomalous service in scope and explains it', () => {
    const reading = readAnomaly(signal(), [observation('web', 130), observation('api', 160), observation('db', 101)]);
    expect(reading).toEqual({
      value: 12,
      subject: 'deviations of p95 latency from its baseline',
      detail:
        'api: p95 latency 160 ms is 12.0 deviations above its baseline of 100 ms for Tuesdays 14:00; and 1 more service',
    });
    expect(
      readAnomaly(signal({ serviceIds: ['db'] }), [observation('api', 160), observation('db', 101)]),
    ).toMatchObject({
      value: 0,
      detail: 'db: p95 latency 101 ms is 0.2 deviations above its baseline of 100 ms for Tuesdays 14:00',
    });
  });

  it('watches one way only when asked, and has no value without a current minute or detection', () => {
    expect(readAnomaly(signal({ direction: 'up' }), [observation('api', 40)]).value).toBe(0);
    expect(readAnomaly(signal({ direction: 'down' }), [observation('api', 40)]).value).toBe(12);
    expect(readAnomaly(signal({ serviceIds: ['web'] }), [observation('api', 160)])).toEqual({
      value: null,
      subject: 'p95 latency: no current minute of any service in scope',
    });
    expect(readAnomaly(signal(), null).value).toBeNull();
  });

  it('counts a static bound crossed as the sensitivity', () => {
    expect(readAnomaly(signal({ above: 110, deviations: 5 }), [observation('api', 115)])).toMatchObject({
      value: 5,
      detail:
        'api: p95 latency 115 ms is above its limit of 110 ms (3.0 deviations above its baseline of 100 ms for Tuesdays 14:00)',
    });
  });
});

describe('an anomaly rule in the alert engine', () => {
  it('fires on a step of p95 latency with the explanation as its summary, and resolves once it is over', async () => {
    // Tuesday 1 December 2026, 14:00 local: two days of 100 ± 5 ms stored before, then a step to 180 ms at 14:07.
    const start = new Date(2026, 11, 1, 14).getTime();
    const stepAt = start + 7 * MINUTE_MS;
    const stepEnds = start + 40 * MINUTE_MS;
    const source = new SyntheticSignalSource().add({
      serviceId: 'api',
      signal: 'latencyP95',
      from: start - 2 * DAY_MS,
      value: (at) => 100 + 5 * noise(7, at) + (at >= stepAt && at < stepEnds ? 80 : 0),
    });
    const clock = new ManualClock(start);
    const detector = new AnomalyDetector({ source });
    // Learns the stored history at start (a day a tick), then every 15 s as the agent does.
    for (let day = 0; day <= 21; day++) detector.tick(clock.now());
    const stopLearning = repeat(clock, 15_000, () => detector.tick(clock.now()));

    const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'fleetdeck-anomaly-rule-')), databaseFileName), {
      now: clock.now(),
    });
    opened.push(db);
    const changes: Alert[] = [];
    const engine = new AlertEngine({
      repository: new AlertsRepository(db),
      clock,
      logger: memoryLogger().logger,
      inputs: {
        resources: () => null,
        checks: () => [],
        countLogMatches: () => 0,
        checkRuns: () => [],
        taskCounts: () => ({ waiting: 0, dead: 0 }),
        serviceSignals: (signal) => detector.observations(signal, clock.now()),
      },
      events: {
        publish: (event) => {
          if (event.type === 'alert.changed') changes.push(event.data);
        },
      },
      node: { id: 'node-a', labels: {} },
    });
    engine.setConfigRules([
      AlertRule.parse({
        id: 'api-slow',
        name: 'API slower than usual',
        severity: 'warning',
        signal: { kind: 'anomaly', serviceIds: ['api'], signal: 'latencyP95', direction: 'up' },
        operator: 'above',
        threshold: 0,
        forSeconds: 60,
      }),
    ]);
    engine.start();

    await clock.advance(6 * MINUTE_MS);
    expect(changes).toEqual([]);

    await clock.advance(4 * MINUTE_MS);
    const fired = changes.find((alert) => alert.state === 'firing')!;
    expect(fired).toMatchObject({ ruleId: 'api-slow', labels: {} });
    // The 14:07 minute is whole at 14:08, judged within 15 s, pending for a minute, then firing.
    expect(fired.firingAt! - stepAt).toBeLessThanOrEqual(2 * MINUTE_MS + 20_000);
    expect(fired.summary).toMatch(
      /^\d+(\.\d+)? deviations of p95 latency from its baseline > 0: api: p95 latency 1[6-9]\d ms is \d+\.\d deviations above its baseline of (9\d|10\d) ms for 14:00 on any day$/,
    );

    await clock.advance(90 * MINUTE_MS);
    expect(changes.at(-1)).toMatchObject({ ruleId: 'api-slow', state: 'resolved' });
    engine.stop();
    stopLearning();
  });
});
