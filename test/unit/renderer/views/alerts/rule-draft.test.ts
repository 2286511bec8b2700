import { describe, expect, it } from 'vitest';
import { AlertRule } from '../../../../../shared/alerts.js';
import {
  describeCondition,
  describeFor,
  emptyRuleDraft,
  formatAlertValue,
  ruleDefaults,
  ruleDraftOf,
  ruleOf,
  ruleProblemsOf,
  type RuleDraft,
} from '../../../../../renderer/views/alerts/rule-draft.js';

const draft = (change: Partial<RuleDraft>): RuleDraft => ({
  ...emptyRuleDraft(),
  id: 'high-cpu',
  name: 'High CPU',
  ...change,
});

describe('alert rule drafts', () => {
  it('turns a resource rule as typed into the rule the agent accepts', () => {
    const result = ruleOf(
      draft({
        metric: 'memory',
        threshold: '80',
        clearThreshold: '70',
        forSeconds: '120',
        keepFiringForSeconds: '60',
        severity: 'emergency',
        labels: 'team=ops,\npage = yes',
        description: 'Memory of {{node}} at {{value}}%',
      }),
    );
    expect(result).toEqual({
      ok: true,
      rule: {
        id: 'high-cpu',
        name: 'High CPU',
        description: 'Memory of {{node}} at {{value}}%',
        severity: 'emergency',
        labels: { team: 'ops', page: 'yes' },
        enabled: true,
        forSeconds: 120,
        keepFiringForSeconds: 60,
        signal: { kind: 'resource', metric: 'memory' },
        operator: 'above',
        threshold: 80,
        clearThreshold: 70,
      },
    });
  });

  it('joins the picked services and the typed ones, each once', () => {
    const result = ruleOf(
      draft({
        kind: 'checkStatus',
        serviceIds: ['web', 'api'],
        otherServiceIds: 'api, billing  queue',
        status: 'warning',
        threshold: '0',
      }),
    );
    expect(result.ok && result.rule.signal).toEqual({
      kind: 'checkStatus',
      serviceIds: ['web', 'api', 'billing', 'queue'],
      status: 'warning',
    });
  });

  it('builds every signal, with the contract default for an empty window', () => {
    const signalOf = (change: Partial<RuleDraft>) => {
      const result = ruleOf(draft({ threshold: '1', ...change }));
      return result.ok ? result.rule.signal : result;
    };
    expect(signalOf({ kind: 'logPattern', patternId: 'oom', windowSeconds: '' })).toEqual({
      kind: 'logPattern',
      patternId: 'oom',
      windowSeconds: ruleDefaults.windowSeconds,
    });
    expect(signalOf({ kind: 'checkLatency', check: 'http', windowSeconds: '60' })).toEqual({
      kind: 'checkLatency',
      serviceIds: [],
      check: 'http',
      windowSeconds: 60,
    });
    expect(signalOf({ kind: 'errorRate', serviceIds: ['web'] })).toEqual({
      kind: 'errorRate',
      serviceIds: ['web'],
      windowSeconds: 300,
    });
    expect(signalOf({ kind: 'taskQueue', measure: 'waiting' })).toEqual({ kind: 'taskQueue', measure: 'waiting' });
    expect(signalOf({ metric: 'networkRx' })).toEqual({ kind: 'resource', metric: 'networkRx' });
  });

  it('builds an anomaly signal with its defaults, and edits it back', () => {
    const result = ruleOf(
      draft({ kind: 'anomaly', serviceIds: ['api'], otherServiceIds: 'billing', serviceSignal: 'errorRate' }),
    );
    expect(result.ok && result.rule.signal).toEqual({
      kind: 'anomaly',
      serviceIds: ['api', 'billing'],
      signal: 'errorRate',
      deviations: ruleDefaults.deviations,
      direction: 'both',
    });
    const rule = AlertRule.parse({
      id: 'slow-api',
      name: 'Slow API',
      signal: { kind: 'anomaly', serviceIds: ['api'], signal: 'latencyP95', deviations: 5, minChange: 50, above: 500 },
      threshold: 0,
    });
    const edited = ruleDraftOf(rule, ['api']);
    expect(edited).toMatchObject({ serviceSignal: 'latencyP95', deviations: '5', minChange: '50', above: '500' });
    expect(ruleOf(edited)).toEqual({ ok: true, rule });
    expect(describeCondition(rule)).toBe('deviations of p95 latency of api from its baseline above 0');
    expect(ruleOf({ ...edited, deviations: '-1' })).toMatchObject({
      ok: false,
      fields: { 'signal.deviations': expect.any(String) },
    });
  });

  it('sends the upper thresholds only for between and outside', () => {
    const range = ruleOf(
      draft({
        operator: 'outside',
        threshold: '10',
        thresholdHigh: '20',
        clearThreshold: '12',
        clearThresholdHigh: '18',
      }),
    );
    expect(range).toMatchObject({ ok: true, rule: { thresholdHigh: 20, clearThresholdHigh: 18 } });
    const above = ruleOf(draft({ operator: 'above', thresholdHigh: '20', clearThresholdHigh: '18' }));
    expect(above.ok && 'thresholdHigh' in above.rule).toBe(false);
  });

  it('marks what is missing or wrong at its field', () => {
    expect(ruleOf(draft({ id: ' ', kind: 'logPattern', patternId: '' }))).toMatchObject({
      ok: false,
      fields: { id: 'Required', 'signal.patternId': 'Required' },
    });
    expect(ruleOf(draft({ threshold: '' }))).toMatchObject({ ok: false, fields: { threshold: 'Required' } });
    expect(ruleOf(draft({ threshold: '90', clearThreshold: '95' }))).toMatchObject({
      ok: false,
      fields: { clearThreshold: 'must be at most the threshold' },
    });
    expect(ruleOf(draft({ operator: 'between', threshold: '1' }))).toMatchObject({
      ok: false,
      fields: { thresholdHigh: 'between needs an upper threshold' },
    });
    expect(ruleOf(draft({ labels: 'team' }))).toMatchObject({
      ok: false,
      fields: { labels: '"team" is not key=value' },
    });
  });

  it("splits a rule's services into those of this node and the others when it is edited, and gives it back", () => {
    const rule = AlertRule.parse({
      id: 'slow-checks',
      name: 'Slow checks',
      description: 'any',
      severity: 'warning',
      labels: { team: 'web' },
      enabled: false,
      forSeconds: 30,
      keepFiringForSeconds: 15,
      signal: { kind: 'checkLatency', serviceIds: ['web', 'remote-db'], check: 'http', windowSeconds: 120 },
      operator: 'between',
      threshold: 100,
      thresholdHigh: 200,
      clearThreshold: 50,
      clearThresholdHigh: 250,
    });
    const edited = ruleDraftOf(rule, ['api', 'web']);
    expect(edited).toMatchObject({ serviceIds: ['web'], otherServiceIds: 'remote-db', enabled: false, check: 'http' });
    expect(ruleOf(edited)).toEqual({ ok: true, rule });
  });

  it('edits a rule stored in the old condition shape as its signal', () => {
    const old = AlertRule.parse({
      id: 'disk',
      name: 'Disk',
      condition: { kind: 'resource', metric: 'disk', abovePercent: 95 },
    });
    expect(ruleDraftOf(old, [])).toMatchObject({
      kind: 'resource',
      metric: 'disk',
      operator: 'above',
      threshold: '95',
    });
  });

  it("places the agent's issues at the fields they name, the rest under the rule", () => {
    expect(
      ruleProblemsOf([
        { path: 'value.signal.serviceIds.2', message: 'Invalid slug' },
        { path: 'value', message: 'Bad rule' },
      ]),
    ).toEqual({ fields: { 'signal.serviceIds': 'Invalid slug' }, other: ['(rule): Bad rule'] });
  });

  it('describes conditions, durations and values in words', () => {
    const rule = (fields: Record<string, unknown>) => AlertRule.parse({ id: 'r', name: 'R', threshold: 80, ...fields });
    expect(describeCondition(rule({ signal: { kind: 'resource', metric: 'memory' }, clearThreshold: 70 }))).toBe(
      'memory above 80 %, clears at 70 %',
    );
    expect(describeCondition(rule({ signal: { kind: 'checkStatus', status: 'warning' }, threshold: 0 }))).toBe(
      'checks of any service warning or worse above 0',
    );
    expect(
      describeCondition(
        rule({
          signal: { kind: 'checkLatency', serviceIds: ['web'] },
          operator: 'outside',
          threshold: 10,
          thresholdHigh: 500,
        }),
      ),
    ).toBe('latency of the slowest check of web over 5 min outside 10 ms to 500 ms');
    expect(
      describeCondition(
        rule({ signal: { kind: 'taskQueue', measure: 'dead' }, operator: 'equals', threshold: 0, clearThreshold: 2 }),
      ),
    ).toBe('dead tasks equals 0, clears 2 away');
    expect(describeFor({ forSeconds: 0, keepFiringForSeconds: 0 })).toBe('at once');
    expect(describeFor({ forSeconds: 45, keepFiringForSeconds: 7200 })).toBe('after 45 s, keeps firing 2 h');
    expect(formatAlertValue(93.25, { kind: 'resource', metric: 'cpu' })).toBe('93.3 %');
    expect(formatAlertValue(1500, { kind: 'checkLatency', serviceIds: [], windowSeconds: 60 })).toBe('1500 ms');
    expect(formatAlertValue(3, undefined)).toBe('3');
    expect(formatAlertValue(null, { kind: 'taskQueue', measure: 'dead' })).toBe('—');
  });
});
