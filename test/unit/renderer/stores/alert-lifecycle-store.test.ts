import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/alerts.js';
import { filterAlerts, silenceDraftFor } from '../../../../renderer/stores/alert-lifecycle-store.js';

const alert = (id: number, change: Partial<Alert>): Alert => ({
  id,
  ruleId: `rule-${id}`,
  ruleName: `Rule ${id}`,
  severity: 'warning',
  labels: {},
  state: 'firing',
  value: 1,
  firingValue: 1,
  summary: '',
  description: '',
  startedAt: 1,
  firingAt: 1,
  resolvedAt: null,
  acknowledged: null,
  silenced: false,
  ...change,
});

const acked = { by: 'ops', at: 1, note: '', untilMs: null };
const alerts = [
  alert(1, { severity: 'critical' }),
  alert(2, { severity: 'critical', acknowledged: acked }),
  alert(3, { state: 'pending', firingAt: null }),
  alert(4, { severity: 'emergency', acknowledged: acked }),
];
const ids = (list: Alert[]) => list.map((a) => a.id);

describe('filterAlerts', () => {
  it('lets everything through by default', () => {
    expect(ids(filterAlerts(alerts, { severity: 'all', state: 'all', acknowledged: 'all' }))).toEqual([1, 2, 3, 4]);
  });

  it('filters by severity, state and acknowledged, all together', () => {
    expect(ids(filterAlerts(alerts, { severity: 'critical', state: 'all', acknowledged: 'all' }))).toEqual([1, 2]);
    expect(ids(filterAlerts(alerts, { severity: 'all', state: 'pending', acknowledged: 'all' }))).toEqual([3]);
    expect(ids(filterAlerts(alerts, { severity: 'all', state: 'firing', acknowledged: 'no' }))).toEqual([1]);
    expect(ids(filterAlerts(alerts, { severity: 'all', state: 'all', acknowledged: 'yes' }))).toEqual([2, 4]);
    expect(ids(filterAlerts(alerts, { severity: 'critical', state: 'firing', acknowledged: 'yes' }))).toEqual([2]);
  });
});

describe('silenceDraftFor', () => {
  it('prefills the alert’s node and rule, from now for two hours', () => {
    expect(silenceDraftFor(alert(7, {}), 'db-1', 1000)).toEqual({
      matchers: [
        { name: 'node', op: '=', value: 'db-1' },
        { name: 'rule', op: '=', value: 'rule-7' },
      ],
      startsAt: 1000,
      endsAt: 1000 + 7_200_000,
      comment: '',
    });
  });
});
