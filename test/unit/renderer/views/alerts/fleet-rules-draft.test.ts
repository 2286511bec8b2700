import { describe, expect, it } from 'vitest';
import { DEFAULT_FLEET_RULES, type FleetRule } from '../../../../../shared/fleet-rules.js';
import {
  emptyFleetRuleDraft,
  fleetRuleDraftOf,
  fleetRuleOf,
  fleetRuleSettings,
} from '../../../../../renderer/views/alerts/fleet-rules-draft.js';

const quorum: FleetRule = {
  id: 'web-quorum',
  name: 'Web from everywhere',
  type: 'quorum-check',
  severity: 'critical',
  enabled: true,
  templateId: 'web-http',
  quorum: 2,
  partialSeverity: null,
  forSeconds: 5,
};

describe('fleet rule drafts', () => {
  it('gives back every default rule and a quorum check unchanged when saved as loaded', () => {
    for (const rule of [...DEFAULT_FLEET_RULES, quorum])
      expect(fleetRuleOf(fleetRuleDraftOf(rule))).toEqual({ ok: true, value: rule });
  });

  it('sends only the fields of the chosen type', () => {
    const draft = { ...emptyFleetRuleDraft(), type: 'dead-letters' as const, id: 'dlq', name: 'DLQ', threshold: '3' };
    expect(fleetRuleOf(draft)).toEqual({
      ok: true,
      value: { id: 'dlq', name: 'DLQ', type: 'dead-letters', severity: 'critical', enabled: true, threshold: 3 },
    });
  });

  it('puts problems at their fields: a missing id, a quorum of 0, a template that is no slug', () => {
    const draft = { ...fleetRuleDraftOf(quorum), id: ' ', quorum: '0', templateId: 'Web HTTP' };
    const result = fleetRuleOf(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields.id).toBe('Required');
    expect(result.fields.quorum).toMatch(/>=1/);
    expect(result.fields.templateId).toBeDefined();
  });

  it('says in a line when each rule raises', () => {
    expect(DEFAULT_FLEET_RULES.map(fleetRuleSettings)).toEqual([
      'an agent gone without leaving, for 30 s after its lease expired',
      'more than one member claims leadership for 5 s',
      'at least 10 dead tasks across the fleet',
    ]);
    expect(fleetRuleSettings({ ...quorum, partialSeverity: 'warning' })).toBe(
      'template web-http critical on at least 2 nodes; fewer: partial outage (warning)',
    );
  });
});
