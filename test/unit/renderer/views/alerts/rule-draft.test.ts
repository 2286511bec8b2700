import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../../../../shared/alerts.js';
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
    const result = ruleOf(draft({ metric: 'memory', abovePercent: '80', forSeconds: '120', severity: 'critical' }));
    expect(result).toEqual({
      ok: true,
      rule: {
        id: 'high-cpu',
        name: 'High CPU',
        description: '',
        severity: 'critical',
        enabled: true,
        forSeconds: 120,
        condition: { kind: 'resource', metric: 'memory', abovePercent: 80 },
      },
    });
  });

  it('joins the picked services and the typed ones, each once', () => {
    const result = ruleOf(
      draft({ kind: 'check', serviceIds: ['web', 'api'], otherServiceIds: 'api, billing  queue', status: 'warning' }),
    );
    expect(result.ok && result.rule.condition).toEqual({
      kind: 'check',
      serviceIds: ['web', 'api', 'billing', 'queue'],
      status: 'warning',
    });
  });

  it('fills the contract defaults for empty number fields', () => {
    const result = ruleOf(draft({ kind: 'logPattern', patternId: 'oom', atLeast: '', windowSeconds: '' }));
    expect(result.ok && result.rule.condition).toEqual({
      kind: 'logPattern',
      patternId: 'oom',
      atLeast: ruleDefaults.atLeast,
      windowSeconds: ruleDefaults.windowSeconds,
    });
  });

  it('marks a missing id and pattern as required and a percent over 100 at its field', () => {
    expect(ruleOf(draft({ id: ' ', kind: 'logPattern', patternId: '' }))).toMatchObject({
      ok: false,
      fields: { id: 'Required', 'condition.patternId': 'Required' },
    });
    const tooHigh = ruleOf(draft({ abovePercent: '150' }));
    expect(tooHigh.ok).toBe(false);
    if (tooHigh.ok) return;
    expect(tooHigh.fields['condition.abovePercent']).toBeDefined();
  });

  it("splits a rule's services into those of this node and the others when it is edited", () => {
    const rule: AlertRule = {
      id: 'checks-down',
      name: 'Checks down',
      description: 'any',
      severity: 'warning',
      enabled: false,
      forSeconds: 30,
      condition: { kind: 'check', serviceIds: ['web', 'remote-db'], status: 'critical' },
    };
    const edited = ruleDraftOf(rule, ['api', 'web']);
    expect(edited).toMatchObject({ serviceIds: ['web'], otherServiceIds: 'remote-db', enabled: false });
    expect(ruleOf(edited)).toEqual({ ok: true, rule });
  });

  it("places the agent's issues at the fields they name, the rest under the rule", () => {
    expect(
      ruleProblemsOf([
        { path: 'value.condition.serviceIds.2', message: 'Invalid slug' },
        { path: 'value', message: 'Bad rule' },
      ]),
    ).toEqual({ fields: { 'condition.serviceIds': 'Invalid slug' }, other: ['(rule): Bad rule'] });
  });

  it('describes conditions, durations and values in words', () => {
    expect(describeCondition({ kind: 'resource', metric: 'memory', abovePercent: 80 })).toBe('memory above 80 %');
    expect(describeCondition({ kind: 'check', serviceIds: [], status: 'warning' })).toBe(
      'a check of any service warning or worse',
    );
    expect(describeCondition({ kind: 'logPattern', patternId: 'oom', atLeast: 1, windowSeconds: 300 })).toBe(
      'at least 1 match of oom in 5 min',
    );
    expect([describeFor(0), describeFor(45), describeFor(7200)]).toEqual(['at once', 'after 45 s', 'after 2 h']);
    expect(formatAlertValue(93.25, 'resource')).toBe('93.3 %');
    expect(formatAlertValue(1, 'logPattern')).toBe('1 match');
    expect(formatAlertValue(null, 'check')).toBe('—');
  });
});
