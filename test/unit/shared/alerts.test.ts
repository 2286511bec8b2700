import { describe, expect, it } from 'vitest';
import { AlertRule } from '../../../shared/alerts.js';
import { AgentConfig } from '../../../shared/config.js';

const base = { id: 'r', name: 'R' };
const issues = (input: unknown) =>
  AlertRule.safeParse(input).error?.issues.map((issue) => [issue.path.join('.'), issue.message]) ?? [];

describe('AlertRule: rules stored in the old condition shape still load', () => {
  it('a resource condition becomes the resource signal above its percent', () => {
    expect(
      AlertRule.parse({ ...base, condition: { kind: 'resource', metric: 'disk', abovePercent: 95 }, forSeconds: 60 }),
    ).toEqual({
      ...base,
      description: '',
      severity: 'warning',
      labels: {},
      signal: { kind: 'resource', metric: 'disk' },
      operator: 'above',
      threshold: 95,
      forSeconds: 60,
      keepFiringForSeconds: 0,
      enabled: true,
    });
  });

  it('a check condition counts the checks at least that bad (more than none)', () => {
    expect(AlertRule.parse({ ...base, severity: 'critical', condition: { kind: 'check' } })).toMatchObject({
      severity: 'critical',
      signal: { kind: 'checkStatus', serviceIds: [], status: 'critical' },
      operator: 'above',
      threshold: 0,
    });
    expect(
      AlertRule.parse({ ...base, condition: { kind: 'check', serviceIds: ['web'], status: 'warning' } }).signal,
    ).toEqual({ kind: 'checkStatus', serviceIds: ['web'], status: 'warning' });
  });

  it('a log pattern condition of at least N matches becomes more than N − 1', () => {
    expect(
      AlertRule.parse({ ...base, condition: { kind: 'logPattern', patternId: 'oom', atLeast: 3, windowSeconds: 60 } }),
    ).toMatchObject({ signal: { kind: 'logPattern', patternId: 'oom', windowSeconds: 60 }, threshold: 2 });
    expect(AlertRule.parse({ ...base, condition: { kind: 'logPattern', patternId: 'oom' } })).toMatchObject({
      signal: { windowSeconds: 300 },
      threshold: 0,
    });
  });

  it('in a config file too; a malformed old condition is refused naming the field', () => {
    const config = AgentConfig.parse({
      name: 'n',
      dataDir: '/tmp/fd',
      alertRules: [{ ...base, condition: { kind: 'check' } }],
    });
    expect(config.alertRules[0]?.signal.kind).toBe('checkStatus');
    expect(issues({ ...base, condition: { kind: 'resource', metric: 'gpu', abovePercent: 1 } })).toEqual([
      ['condition.metric', expect.stringMatching(/expected one of/)],
    ]);
  });

  it('converts a rule once: what it returns parses to itself', () => {
    const rule = AlertRule.parse({ ...base, condition: { kind: 'resource', metric: 'cpu', abovePercent: 90 } });
    expect(AlertRule.parse(JSON.parse(JSON.stringify(rule)))).toEqual(rule);
  });
});

describe('AlertRule: thresholds', () => {
  const signal = { kind: 'resource', metric: 'cpu' };
  const rule = (fields: Record<string, unknown>) => ({ ...base, signal, threshold: 50, ...fields });

  it('refuses a clear threshold on the wrong side, naming it', () => {
    expect(issues(rule({ operator: 'above', clearThreshold: 60 }))).toEqual([
      ['clearThreshold', 'must be at most the threshold'],
    ]);
    expect(issues(rule({ operator: 'below', clearThreshold: 40 }))).toEqual([
      ['clearThreshold', 'must be at least the threshold'],
    ]);
    expect(issues(rule({ operator: 'equals', clearThreshold: 50 }))).toEqual([
      ['clearThreshold', 'must differ from the threshold'],
    ]);
    expect(issues(rule({ operator: 'above', clearThreshold: 40 }))).toEqual([]);
  });

  it('ranges need an upper threshold, and both clear bounds on the right sides', () => {
    expect(issues(rule({ operator: 'between' }))).toEqual([['thresholdHigh', 'between needs an upper threshold']]);
    expect(issues(rule({ operator: 'outside', thresholdHigh: 40 }))).toEqual([
      ['thresholdHigh', 'must be at least the threshold'],
    ]);
    expect(issues(rule({ operator: 'between', thresholdHigh: 60, clearThreshold: 45 }))).toEqual([
      ['clearThresholdHigh', 'give both clear thresholds or none'],
    ]);
    expect(
      issues(rule({ operator: 'between', thresholdHigh: 60, clearThreshold: 55, clearThresholdHigh: 65 })),
    ).toEqual([['clearThreshold', 'must be at most the threshold (the clear range is wider)']]);
    expect(
      issues(rule({ operator: 'outside', thresholdHigh: 60, clearThreshold: 52, clearThresholdHigh: 65 })),
    ).toEqual([['clearThresholdHigh', 'must be at most the upper threshold']]);
    expect(issues(rule({ operator: 'above', thresholdHigh: 60 }))).toEqual([
      ['thresholdHigh', 'only between and outside take an upper threshold'],
    ]);
  });
});
