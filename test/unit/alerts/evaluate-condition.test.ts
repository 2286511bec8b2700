import { describe, expect, it } from 'vitest';
import {
  evaluateChecks,
  evaluateCondition,
  evaluateLogPattern,
  evaluateResource,
  type CheckReading,
  type ConditionInputs,
} from '../../../electron/alerts/evaluate-condition.js';
import type { ResourceSample } from '../../../shared/node.js';

const now = Date.UTC(2026, 0, 1);

const sample = (overrides: Partial<ResourceSample> = {}): ResourceSample => ({
  sampledAt: now,
  cpu: { loadPercent: 97, cores: 4 },
  memory: { usedBytes: 3, totalBytes: 4 },
  disk: { mount: '/var/lib/fleetdeck', usedBytes: 80, totalBytes: 100 },
  load: { avg1: 0, avg5: 0, avg15: 0 },
  network: { rxBytesPerSec: 0, txBytesPerSec: 0 },
  // Other filesystems are not the data dir's: a full one must not count.
  disks: [{ mount: '/mnt/full', fs: '/dev/sdb1', usedBytes: 100, totalBytes: 100 }],
  ...overrides,
});

const cpuAbove = (abovePercent: number) => ({ kind: 'resource' as const, metric: 'cpu' as const, abovePercent });

describe('evaluateResource', () => {
  it('holds strictly above the threshold, in whole percents where they tell the truth', () => {
    expect(evaluateResource(cpuAbove(90), sample())).toEqual({ holds: true, value: 97, summary: 'cpu 97% > 90%' });
    const cpu = (loadPercent: number) => sample({ cpu: { loadPercent, cores: 4 } });
    expect(evaluateResource(cpuAbove(90), cpu(45))).toEqual({ holds: false, value: 45, summary: 'cpu 45% ≤ 90%' });
    expect(evaluateResource(cpuAbove(90), cpu(90))).toEqual({ holds: false, value: 90, summary: 'cpu 90% ≤ 90%' });
    expect(evaluateResource(cpuAbove(90), cpu(90.4))).toEqual({
      holds: true,
      value: 90.4,
      summary: 'cpu 90.4% > 90%',
    });
    expect(evaluateResource(cpuAbove(90), cpu(89.96)).summary).toBe('cpu 89.96% ≤ 90%');
    expect(evaluateResource(cpuAbove(92.5), cpu(96.66)).summary).toBe('cpu 97% > 92.5%');
  });

  it('measures memory as used of total and disk on the data directory filesystem only', () => {
    const memory = { kind: 'resource' as const, metric: 'memory' as const, abovePercent: 70 };
    const disk = { kind: 'resource' as const, metric: 'disk' as const, abovePercent: 85 };
    expect(evaluateResource(memory, sample())).toEqual({ holds: true, value: 75, summary: 'memory 75% > 70%' });
    expect(evaluateResource(disk, sample())).toEqual({ holds: false, value: 80, summary: 'disk 80% ≤ 85%' });
    const third = sample({ memory: { usedBytes: 1, totalBytes: 3 } });
    expect(evaluateResource({ ...memory, abovePercent: 30 }, third)).toEqual({
      holds: true,
      value: 33.33,
      summary: 'memory 33% > 30%',
    });
  });

  it('does not hold without data: no sample yet, or a size of zero', () => {
    expect(evaluateResource(cpuAbove(0), null)).toEqual({ holds: false, value: null, summary: 'cpu: no sample yet' });
    const memory = { kind: 'resource' as const, metric: 'memory' as const, abovePercent: 0 };
    expect(evaluateResource(memory, sample({ memory: { usedBytes: 0, totalBytes: 0 } }))).toEqual({
      holds: false,
      value: null,
      summary: 'memory: size unknown',
    });
  });
});

describe('evaluateChecks', () => {
  const checks: CheckReading[] = [
    { serviceId: 'web', check: 'http', status: 'critical' },
    { serviceId: 'web', check: 'tls', status: 'passing' },
    { serviceId: 'api', check: 'grpc', status: 'flapping' },
    { serviceId: 'db', check: 'tcp', status: 'critical' },
    { serviceId: 'cache', check: 'tcp', status: 'warning' },
    { serviceId: 'job', check: 'ttl', status: 'unknown' },
  ];
  const condition = (status: 'warning' | 'critical', serviceIds: string[] = []) => ({
    kind: 'check' as const,
    serviceIds,
    status,
  });

  it('critical: holds while a check is critical (flapping is not critical), naming them', () => {
    expect(evaluateChecks(condition('critical'), checks)).toEqual({
      holds: true,
      value: 2,
      summary: '2 checks critical: web/http, db/tcp',
    });
    expect(evaluateChecks(condition('critical', ['db', 'api']), checks)).toEqual({
      holds: true,
      value: 1,
      summary: '1 check critical: db/tcp',
    });
  });

  it('warning: flapping and critical count as worse than warning, unknown does not; worst first', () => {
    expect(evaluateChecks(condition('warning'), checks)).toEqual({
      holds: true,
      value: 4,
      summary:
        '4 checks warning or worse: web/http (critical), db/tcp (critical), api/grpc (flapping), cache/tcp (warning)',
    });
    expect(evaluateChecks(condition('warning', ['job', 'web']), checks).summary).toBe(
      '1 check warning or worse: web/http (critical)',
    );
  });

  it('does not hold when no check of the named services is bad enough', () => {
    expect(evaluateChecks(condition('critical', ['api', 'cache', 'job']), checks)).toEqual({
      holds: false,
      value: 0,
      summary: 'no check critical (services: api, cache, job)',
    });
    expect(evaluateChecks(condition('warning'), [])).toEqual({
      holds: false,
      value: 0,
      summary: 'no check warning or worse',
    });
  });

  it('names at most five checks and counts the rest', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      serviceId: `s${i}`,
      check: 'http',
      status: 'critical' as const,
    }));
    expect(evaluateChecks(condition('critical'), many).summary).toBe(
      '7 checks critical: s0/http, s1/http, s2/http, s3/http, s4/http, and 2 more',
    );
  });
});

describe('evaluateLogPattern', () => {
  const condition = { kind: 'logPattern' as const, patternId: 'upstream-timeout', atLeast: 5, windowSeconds: 300 };

  it('counts matches within the window and holds from `atLeast` on', () => {
    const asked: Array<[string, number]> = [];
    const counter = (count: number) => (patternId: string, sinceMs: number) => {
      asked.push([patternId, sinceMs]);
      return count;
    };
    expect(evaluateLogPattern(condition, counter(12), now)).toEqual({
      holds: true,
      value: 12,
      summary: '12 matches of upstream-timeout in 300 s ≥ 5',
    });
    expect(asked).toEqual([['upstream-timeout', now - 300_000]]);
    expect(evaluateLogPattern(condition, counter(5), now).summary).toBe('5 matches of upstream-timeout in 300 s ≥ 5');
    expect(evaluateLogPattern(condition, counter(1), now)).toEqual({
      holds: false,
      value: 1,
      summary: '1 match of upstream-timeout in 300 s < 5',
    });
    expect(evaluateLogPattern(condition, counter(0), now).summary).toBe('0 matches of upstream-timeout in 300 s < 5');
  });
});

describe('evaluateCondition', () => {
  it('asks only the input its condition needs', () => {
    const broken = (what: string) => () => {
      throw new Error(`${what} unavailable`);
    };
    const inputs = (overrides: Partial<ConditionInputs>): ConditionInputs => ({
      resources: broken('resources'),
      checks: broken('checks'),
      countLogMatches: broken('log matches'),
      ...overrides,
    });
    expect(evaluateCondition(cpuAbove(90), inputs({ resources: () => sample() }), now).holds).toBe(true);
    expect(
      evaluateCondition({ kind: 'check', serviceIds: [], status: 'critical' }, inputs({ checks: () => [] }), now).holds,
    ).toBe(false);
    const logCondition = { kind: 'logPattern' as const, patternId: 'oom', atLeast: 1, windowSeconds: 60 };
    expect(evaluateCondition(logCondition, inputs({ countLogMatches: () => 3 }), now).summary).toBe(
      '3 matches of oom in 60 s ≥ 1',
    );
    expect(() => evaluateCondition(logCondition, inputs({}), now)).toThrow('log matches unavailable');
  });
});
