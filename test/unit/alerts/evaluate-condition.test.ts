import { describe, expect, it } from 'vitest';
import {
  evaluateCondition,
  firingContinues,
  judge,
  type CheckReading,
  type ConditionInputs,
  type RuleCondition,
} from '../../../electron/alerts/evaluate-condition.js';
import { readCheckStatus } from '../../../electron/alerts/signals/check-signals.js';
import type { AlertSignal } from '../../../shared/alert-signals.js';
import type { ResourceSample } from '../../../shared/node.js';

const now = Date.UTC(2026, 0, 1);

const sample = (overrides: Partial<ResourceSample> = {}): ResourceSample => ({
  sampledAt: now,
  cpu: { loadPercent: 97, cores: 4 },
  memory: { usedBytes: 3, totalBytes: 4 },
  disk: { mount: '/var/lib/fleetdeck', usedBytes: 80, totalBytes: 100 },
  load: { avg1: 3.5, avg5: 0, avg15: 0 },
  network: { rxBytesPerSec: 2048, txBytesPerSec: 512 },
  // Other filesystems are not the data dir's: a full one must not count.
  disks: [{ mount: '/mnt/full', fs: '/dev/sdb1', usedBytes: 100, totalBytes: 100 }],
  ...overrides,
});

const broken = (what: string) => () => {
  throw new Error(`${what} unavailable`);
};
const inputs = (overrides: Partial<ConditionInputs>): ConditionInputs => ({
  resources: broken('resources'),
  checks: broken('checks'),
  countLogMatches: broken('log matches'),
  checkRuns: broken('check runs'),
  taskCounts: broken('tasks'),
  ...overrides,
});

const cpu: AlertSignal = { kind: 'resource', metric: 'cpu' };
const dead: AlertSignal = { kind: 'taskQueue', measure: 'dead' };
const at = (condition: Partial<RuleCondition>, value: number) =>
  judge({ signal: dead, operator: 'above', threshold: 0, ...condition }, { value, subject: 'dead tasks' });

describe('operators', () => {
  it('above and below are strict', () => {
    expect(at({ operator: 'above', threshold: 5 }, 6)).toMatchObject({ holds: true, summary: '6 dead tasks > 5' });
    expect(at({ operator: 'above', threshold: 5 }, 5)).toMatchObject({ holds: false, summary: '5 dead tasks ≤ 5' });
    expect(at({ operator: 'below', threshold: 5 }, 4)).toMatchObject({ holds: true, summary: '4 dead tasks < 5' });
    expect(at({ operator: 'below', threshold: 5 }, 5)).toMatchObject({ holds: false, summary: '5 dead tasks ≥ 5' });
  });

  it('equals holds only at the threshold', () => {
    expect(at({ operator: 'equals', threshold: 3 }, 3)).toMatchObject({ holds: true, summary: '3 dead tasks = 3' });
    expect(at({ operator: 'equals', threshold: 3 }, 4)).toMatchObject({ holds: false, summary: '4 dead tasks ≠ 3' });
  });

  it('between is inclusive at both ends and outside is its complement', () => {
    const between = { operator: 'between' as const, threshold: 2, thresholdHigh: 4 };
    const outside = { ...between, operator: 'outside' as const };
    for (const value of [2, 3, 4]) {
      expect(at(between, value).holds).toBe(true);
      expect(at(outside, value).holds).toBe(false);
    }
    for (const value of [1, 5]) {
      expect(at(between, value).holds).toBe(false);
      expect(at(outside, value).holds).toBe(true);
    }
    expect(at(between, 3).summary).toBe('3 dead tasks within [2, 4]');
    expect(at(outside, 5).summary).toBe('5 dead tasks outside [2, 4]');
  });

  it('without data nothing holds and nothing keeps firing', () => {
    const result = judge({ signal: cpu, operator: 'below', threshold: 5 }, { value: null, subject: 'cpu: no sample' });
    expect(result).toEqual({ holds: false, keepsFiring: false, value: null, summary: 'cpu: no sample' });
  });
});

describe('clear thresholds (hysteresis)', () => {
  const keeps = (condition: Partial<RuleCondition>, value: number) =>
    firingContinues({ signal: dead, operator: 'above', threshold: 0, ...condition }, value);

  it('without one, a firing alert goes on exactly while the condition holds', () => {
    expect(keeps({ operator: 'above', threshold: 90 }, 91)).toBe(true);
    expect(keeps({ operator: 'above', threshold: 90 }, 90)).toBe(false);
  });

  it('above and below clear once the value reaches the clear threshold', () => {
    const above = { operator: 'above' as const, threshold: 90, clearThreshold: 80 };
    expect([95, 85, 80.5, 80, 70].map((v) => keeps(above, v))).toEqual([true, true, true, false, false]);
    const below = { operator: 'below' as const, threshold: 10, clearThreshold: 20 };
    expect([5, 15, 19.9, 20, 30].map((v) => keeps(below, v))).toEqual([true, true, true, false, false]);
  });

  it('equals clears once the value is as far from the threshold as the clear threshold is, either way', () => {
    const equals = { operator: 'equals' as const, threshold: 0, clearThreshold: 2 };
    expect([0, 1, -1, 1.9, 2, -2, 5].map((v) => keeps(equals, v))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('between keeps firing within the wider clear range; outside keeps firing outside the narrower one', () => {
    const between = {
      operator: 'between' as const,
      threshold: 40,
      thresholdHigh: 60,
      clearThreshold: 30,
      clearThresholdHigh: 70,
    };
    expect([35, 50, 65, 70, 29, 71].map((v) => keeps(between, v))).toEqual([true, true, true, true, false, false]);
    const outside = {
      operator: 'outside' as const,
      threshold: 40,
      thresholdHigh: 60,
      clearThreshold: 45,
      clearThresholdHigh: 55,
    };
    expect([30, 42, 58, 70, 45, 50, 55].map((v) => keeps(outside, v))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('says in the summary where a firing alert that no longer holds will clear', () => {
    const result = judge(
      { signal: cpu, operator: 'above', threshold: 90, clearThreshold: 80 },
      { value: 85, subject: 'cpu' },
    );
    expect(result).toEqual({ holds: false, keepsFiring: true, value: 85, summary: 'cpu 85% ≤ 90% (clears at ≤ 80%)' });
  });
});

describe('resource signals', () => {
  const read = (metric: Extract<AlertSignal, { kind: 'resource' }>['metric'], s: ResourceSample | null) =>
    evaluateCondition(
      { signal: { kind: 'resource', metric }, operator: 'above', threshold: 50 },
      inputs({ resources: () => s }),
      now,
    );

  it('cpu as load, memory as used of total, disk on the data directory filesystem only, in percent', () => {
    expect(read('cpu', sample())).toMatchObject({ holds: true, value: 97, summary: 'cpu 97% > 50%' });
    expect(read('memory', sample())).toMatchObject({ value: 75, summary: 'memory 75% > 50%' });
    expect(read('disk', sample())).toMatchObject({ value: 80, summary: 'disk 80% > 50%' });
    expect(read('memory', sample({ memory: { usedBytes: 1, totalBytes: 3 } }))).toMatchObject({
      holds: false,
      value: 33.33,
      summary: 'memory 33% ≤ 50%',
    });
  });

  it('load and network as measured', () => {
    expect(read('load1', sample())).toMatchObject({ holds: false, value: 3.5, summary: 'load (1 min) 3.5 ≤ 50' });
    expect(read('networkRx', sample())).toMatchObject({ value: 2048, summary: 'network in 2048 B/s > 50 B/s' });
    expect(read('networkTx', sample())).toMatchObject({ value: 512 });
  });

  it('shows the fewest decimals that keep the value on its side of the threshold', () => {
    const cpuAt = (loadPercent: number) => read('cpu', sample({ cpu: { loadPercent, cores: 4 } })).summary;
    expect(cpuAt(50.4)).toBe('cpu 50.4% > 50%');
    expect(cpuAt(49.96)).toBe('cpu 49.96% ≤ 50%');
  });

  it('has no value without a sample or for a size of zero', () => {
    expect(read('cpu', null)).toEqual({ holds: false, keepsFiring: false, value: null, summary: 'cpu: no sample yet' });
    expect(read('memory', sample({ memory: { usedBytes: 0, totalBytes: 0 } })).summary).toBe('memory: size unknown');
  });
});

describe('check status', () => {
  const checks: CheckReading[] = [
    { serviceId: 'web', check: 'http', status: 'critical' },
    { serviceId: 'web', check: 'tls', status: 'passing' },
    { serviceId: 'api', check: 'grpc', status: 'flapping' },
    { serviceId: 'db', check: 'tcp', status: 'critical' },
    { serviceId: 'cache', check: 'tcp', status: 'warning' },
    { serviceId: 'job', check: 'ttl', status: 'unknown' },
  ];
  const signal = (status: 'warning' | 'critical', serviceIds: string[] = []) => ({
    kind: 'checkStatus' as const,
    serviceIds,
    status,
  });

  it('counts the checks at least that bad (flapping is worse than warning, unknown is no failure), worst first', () => {
    expect(readCheckStatus(signal('critical'), checks)).toEqual({
      value: 2,
      subject: 'checks critical',
      detail: 'web/http, db/tcp',
    });
    expect(readCheckStatus(signal('warning', ['job', 'web', 'api']), checks)).toEqual({
      value: 2,
      subject: 'checks warning or worse (services: job, web, api)',
      detail: 'web/http (critical), api/grpc (flapping)',
    });
    expect(readCheckStatus(signal('critical', ['db']), checks)).toEqual({
      value: 1,
      subject: 'check critical (services: db)',
      detail: 'db/tcp',
    });
    expect(readCheckStatus(signal('critical', ['cache']), checks)).toEqual({
      value: 0,
      subject: 'checks critical (services: cache)',
    });
  });

  it('names at most five checks and counts the rest', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      serviceId: `s${i}`,
      check: 'http',
      status: 'critical' as const,
    }));
    expect(readCheckStatus(signal('critical'), many).detail).toBe(
      's0/http, s1/http, s2/http, s3/http, s4/http, and 2 more',
    );
  });
});

describe('evaluateCondition', () => {
  it('asks only the input its signal needs, with the window ending now', () => {
    const asked: unknown[] = [];
    const judged = (signal: AlertSignal, overrides: Partial<ConditionInputs>) =>
      evaluateCondition({ signal, operator: 'above', threshold: 0 }, inputs(overrides), now);
    expect(judged(cpu, { resources: () => sample() }).holds).toBe(true);
    expect(judged({ kind: 'checkStatus', serviceIds: [], status: 'critical' }, { checks: () => [] }).holds).toBe(false);
    const log = judged(
      { kind: 'logPattern', patternId: 'oom', windowSeconds: 60 },
      { countLogMatches: (...args) => (asked.push(args), 3) },
    );
    expect(log.summary).toBe('3 matches of oom in 60 s > 0');
    expect(asked).toEqual([['oom', now - 60_000]]);
    expect(judged(dead, { taskCounts: () => ({ waiting: 7, dead: 2 }) }).summary).toBe('2 dead tasks > 0');
    expect(judged(dead, { taskCounts: () => ({ waiting: 7, dead: 1 }) }).summary).toBe('1 dead task > 0');
    const waiting: AlertSignal = { kind: 'taskQueue', measure: 'waiting' };
    expect(judged(waiting, { taskCounts: () => ({ waiting: 1, dead: 0 }) }).summary).toBe('1 task waiting > 0');
    const oneMatch = judged({ kind: 'logPattern', patternId: 'oom', windowSeconds: 60 }, { countLogMatches: () => 1 });
    expect(oneMatch.summary).toBe('1 match of oom in 60 s > 0');
    expect(() => judged({ kind: 'errorRate', serviceIds: [], windowSeconds: 60 }, {})).toThrow(
      'check runs unavailable',
    );
  });
});
