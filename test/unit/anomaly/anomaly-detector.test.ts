import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AnomalyDetector } from '../../../electron/anomaly/anomaly-detector.js';
import { judgeObservation, type AnomalyCriteria } from '../../../electron/anomaly/anomaly-verdict.js';
import { BaselineRepository } from '../../../electron/anomaly/baseline-repository.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { DEFAULT_MIN_CHANGE, type AnomalyVerdict } from '../../../shared/anomaly.js';
import type { ServiceSignalName } from '../../../shared/service-signals.js';
import { MINUTE_MS, noise, SyntheticSignalSource } from '../../support/synthetic-signals.js';

const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Local midnight starting a Tuesday (1 December 2026): time of week is the agent's local time. */
const tuesday = new Date(2026, 11, 1).getTime();
const opened: Database.Database[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const criteriaFor = (signal: ServiceSignalName, extra: Partial<AnomalyCriteria> = {}): AnomalyCriteria => ({
  deviations: 4,
  minChange: DEFAULT_MIN_CHANGE[signal],
  direction: 'both',
  ...extra,
});

/** p95 latency of `api`: 100 ms with 5 ms of noise, from `days` before `start`, shaped by `extra`. */
function latency(days: number, start: number, extra: (at: number) => number = () => 0) {
  return new SyntheticSignalSource().add({
    serviceId: 'api',
    signal: 'latencyP95',
    from: start - days * DAY_MS,
    value: (at) => 100 + 5 * noise(1, at) + extra(at),
  });
}

/**
 * Runs the detector as the agent does, one tick a little after each minute ends, from `from` to `to`, and returns
 * the verdict on each minute judged (the detector first catches up on the stored history before `from`).
 */
function watch(
  detector: AnomalyDetector,
  signal: ServiceSignalName,
  from: number,
  to: number,
  criteria = criteriaFor(signal),
): AnomalyVerdict[] {
  const verdicts: AnomalyVerdict[] = [];
  for (let now = from + 5_000; now < to; now += MINUTE_MS) {
    detector.tick(now);
    const observation = detector.observation('api', signal, now);
    if (observation && verdicts.at(-1)?.at !== observation.at)
      verdicts.push(judgeObservation(observation, criteria).verdict);
  }
  return verdicts;
}

/** Ticks at one time until the detector has read the three weeks of stored history it looks back on (a day a tick). */
function catchUp(detector: AnomalyDetector, now: number) {
  for (let day = 0; day <= 21; day++) detector.tick(now);
}

const anomalous = (verdicts: readonly AnomalyVerdict[]) => verdicts.filter((v) => v.state === 'anomalous');

describe('AnomalyDetector', () => {
  it('says nothing while warming up, then judges each minute against its baseline', () => {
    const source = latency(0, tuesday);
    const verdicts = watch(new AnomalyDetector({ source }), 'latencyP95', tuesday, tuesday + 3 * HOUR_MS);
    // The first minute has nothing before it; two hours of minutes make the baseline warm.
    expect(verdicts.find((v) => v.state !== 'warmingUp')!.at).toBe(tuesday + 120 * MINUTE_MS);
    expect(verdicts[0]!.sentence).toMatch(/^p95 latency \d+ ms: its baseline is still learning \(\d+ minutes\)$/);
    expect(anomalous(verdicts)).toEqual([]);
    expect(verdicts.at(-1)!.sentence).toMatch(
      /^p95 latency \d+ ms is \d+\.\d deviations (above|below) its baseline of (9\d|10\d) ms for any hour$/,
    );
  });

  it('detects a 5-sigma step within two minutes and explains it with the time of week', () => {
    const stepAt = tuesday + 3 * DAY_MS + 14 * HOUR_MS + 7 * MINUTE_MS;
    const source = latency(3, tuesday + 3 * DAY_MS, (at) => (at >= stepAt ? 25 : 0));
    const detector = new AnomalyDetector({ source });
    catchUp(detector, stepAt - 10 * MINUTE_MS);
    const verdicts = watch(detector, 'latencyP95', stepAt - 10 * MINUTE_MS, stepAt + 30 * MINUTE_MS);

    expect(anomalous(verdicts.filter((v) => v.at < stepAt))).toEqual([]);
    const first = anomalous(verdicts)[0]!;
    expect(first.at - stepAt).toBeLessThanOrEqual(MINUTE_MS);
    expect(first.deviations).toBeGreaterThanOrEqual(4);
    // Three days of history: the hour of day serves, not yet the hour of week.
    expect(first.sentence).toMatch(
      /^p95 latency 1[1-4]\d ms is \d+\.\d deviations above its baseline of (9\d|10\d) ms for 14:00 on any day$/,
    );
  });

  it('flags a one-minute spike and is quiet again the minute after', () => {
    const spikeAt = tuesday + 2 * DAY_MS + 10 * HOUR_MS;
    const source = latency(2, tuesday + 2 * DAY_MS, (at) => (at === spikeAt ? 80 : 0));
    const detector = new AnomalyDetector({ source });
    catchUp(detector, spikeAt - 5 * MINUTE_MS);
    const verdicts = watch(detector, 'latencyP95', spikeAt - 5 * MINUTE_MS, spikeAt + 20 * MINUTE_MS);
    expect(anomalous(verdicts).map((v) => v.at)).toEqual([spikeAt]);
  });

  it('follows a slow drift without a storm of alerts', () => {
    // +30 ms a day (+6 σ a day) for four days, judged minute by minute.
    const start = tuesday + DAY_MS;
    const source = latency(1, start, (at) => (Math.max(0, at - start) / DAY_MS) * 30);
    const detector = new AnomalyDetector({ source });
    catchUp(detector, start);
    const verdicts = watch(detector, 'latencyP95', start, start + 4 * DAY_MS);
    expect(verdicts.length).toBeGreaterThan(4 * 1_400);
    expect(anomalous(verdicts).length).toBeLessThanOrEqual(3);
    expect(verdicts.at(-1)!.expected).toBeGreaterThan(215);
  });

  it('learns a daily cycle and does not alert on it once learnt, though it would have on the first day', () => {
    // Busy 09:00–18:00 (200 req/min), quiet at night (20): a jump of 36 σ every morning.
    const busy = (at: number) => {
      const hour = new Date(at).getHours();
      return hour >= 9 && hour < 18;
    };
    const source = new SyntheticSignalSource().add({
      serviceId: 'api',
      signal: 'throughput',
      from: tuesday,
      value: (at) => (busy(at) ? 200 : 20) + 5 * noise(2, at),
    });
    const detector = new AnomalyDetector({ source });
    const firstDay = watch(detector, 'throughput', tuesday, tuesday + DAY_MS);
    expect(anomalous(firstDay).length).toBeGreaterThan(10);

    catchUp(detector, tuesday + 5 * DAY_MS);
    const learnt = watch(detector, 'throughput', tuesday + 5 * DAY_MS, tuesday + 8 * DAY_MS);
    expect(learnt.length).toBeGreaterThan(3 * 1_400);
    expect(anomalous(learnt)).toEqual([]);
    const morning = learnt.find((v) => new Date(v.at).getHours() === 9 && new Date(v.at).getMinutes() === 30)!;
    expect(morning.sentence).toMatch(/baseline of (19\d|20\d) req\/min for 09:00 on any day$/);
  });

  it('keeps a quiet service silent: small changes stay under the minimum change however many deviations', () => {
    const source = new SyntheticSignalSource().add({
      serviceId: 'api',
      signal: 'throughput',
      from: tuesday,
      // 2 requests a minute, now and then 8.
      value: (at) => (noise(3, at) > 2 ? 8 : 2),
    });
    const detector = new AnomalyDetector({ source });
    const verdicts = watch(detector, 'throughput', tuesday, tuesday + DAY_MS);
    expect(verdicts.some((v) => (v.deviations ?? 0) >= 4)).toBe(true);
    expect(anomalous(verdicts)).toEqual([]);
    // The same minutes with no minimum change would alert: the minimum is what keeps it quiet.
    const strict = watch(new AnomalyDetector({ source }), 'throughput', tuesday, tuesday + DAY_MS, {
      ...criteriaFor('throughput'),
      minChange: 0,
    });
    expect(anomalous(strict).length).toBeGreaterThan(0);
  });

  it('makes a minute past a static bound anomalous, even while warming up', () => {
    const source = latency(0, tuesday, (at) => (at >= tuesday + 30 * MINUTE_MS ? 500 : 0));
    const verdicts = watch(new AnomalyDetector({ source }), 'latencyP95', tuesday, tuesday + 40 * MINUTE_MS, {
      ...criteriaFor('latencyP95'),
      above: 500,
    });
    expect(anomalous(verdicts)[0]).toMatchObject({
      at: tuesday + 30 * MINUTE_MS,
      sentence: expect.stringMatching(
        /^p95 latency \d{3} ms is above its limit of 500 ms; its baseline is still learning/,
      ),
    });
  });

  it('keeps its baseline across a restart: the same verdicts after as without one', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-anomaly-')), databaseFileName);
    const open = () => {
      const { db } = openDatabase(file, { now: tuesday });
      opened.push(db);
      return new BaselineRepository(db);
    };
    const start = tuesday + 2 * DAY_MS;
    const stepAt = start + 5 * HOUR_MS;
    const source = latency(2, start, (at) => (at >= stepAt ? 30 : 0));

    const unbroken = new AnomalyDetector({ source });
    catchUp(unbroken, start);
    const expected = watch(unbroken, 'latencyP95', start, start + 6 * HOUR_MS);

    const first = new AnomalyDetector({ source, baselines: open() });
    catchUp(first, start);
    const before = watch(first, 'latencyP95', start, start + 3 * HOUR_MS);
    first.save(start + 3 * HOUR_MS);
    // Learns on for 40 minutes after the last save, then the process dies: those minutes are learnt again.
    watch(first, 'latencyP95', start + 3 * HOUR_MS, start + 3 * HOUR_MS + 40 * MINUTE_MS);
    opened.pop()!.close();

    const restarted = new AnomalyDetector({ source, baselines: open() });
    const after = watch(restarted, 'latencyP95', start + 3 * HOUR_MS + 40 * MINUTE_MS, start + 6 * HOUR_MS);
    expect([...before, ...after]).toEqual(expected.filter((v) => v.at <= before.at(-1)!.at || v.at >= after[0]!.at));
    expect(anomalous(after).length).toBeGreaterThan(0);
  });
});
