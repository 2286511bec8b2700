import { describe, expect, it } from 'vitest';
import type { ListedAlert } from '../../../../shared/fleet-alerts.js';
import {
  filterFleetAlerts,
  groupFleetAlerts,
  initialFleetAlertsState,
  parseLabelFilter,
} from '../../../../renderer/stores/fleet-alerts-store.js';

const t0 = Date.UTC(2026, 11, 3, 12);
const alert = (node: string, ruleId: string, change: Partial<ListedAlert> = {}): ListedAlert => ({
  id: 1,
  node,
  ruleId,
  ruleName: ruleId.toUpperCase(),
  severity: 'warning',
  labels: { node, rule: ruleId, service: 'api' },
  state: 'firing',
  value: 1,
  firingValue: 1,
  summary: '',
  description: '',
  startedAt: t0,
  firingAt: t0,
  resolvedAt: null,
  acknowledged: null,
  silenced: false,
  ...change,
});

const alerts = [
  alert('web-1', 'cpu'),
  alert('web-2', 'cpu', { severity: 'critical' }),
  alert('db-1', 'disk', { labels: { node: 'db-1', rule: 'disk', service: 'postgres' } }),
];
const filters = initialFleetAlertsState.filters;
const keys = (list: readonly ListedAlert[]) => list.map((a) => `${a.node}/${a.ruleId}`);

describe('the fleet-wide alert list', () => {
  it('filters by state, acknowledged and service', () => {
    const ack = { by: 'alice', at: t0, note: '', untilMs: null };
    const more = [...alerts, alert('web-3', 'cpu', { state: 'pending', firingAt: null, acknowledged: ack })];
    expect(keys(filterFleetAlerts(more, { ...filters, state: 'pending' }))).toEqual(['web-3/cpu']);
    expect(keys(filterFleetAlerts(more, { ...filters, acknowledged: 'yes' }))).toEqual(['web-3/cpu']);
    expect(filterFleetAlerts(more, { ...filters, acknowledged: 'no' })).toHaveLength(3);
    expect(keys(filterFleetAlerts(more, { ...filters, service: 'postgres' }))).toEqual(['db-1/disk']);
  });

  it('filters by node, severity and one label', () => {
    expect(keys(filterFleetAlerts(alerts, { ...filters, node: 'web-2' }))).toEqual(['web-2/cpu']);
    expect(keys(filterFleetAlerts(alerts, { ...filters, severity: 'critical' }))).toEqual(['web-2/cpu']);
    expect(keys(filterFleetAlerts(alerts, { ...filters, label: 'service=postgres' }))).toEqual(['db-1/disk']);
    expect(keys(filterFleetAlerts(alerts, { ...filters, label: ' service = api ' }))).toEqual([
      'web-1/cpu',
      'web-2/cpu',
    ]);
  });

  it('ignores a label filter that is not name=value yet', () => {
    expect(parseLabelFilter('service')).toBeNull();
    expect(parseLabelFilter('=api')).toBeNull();
    expect(filterFleetAlerts(alerts, { ...filters, label: 'service' })).toHaveLength(3);
  });

  it('groups by rule or node, in the order the alerts are listed', () => {
    const byRule = groupFleetAlerts(alerts, 'rule');
    expect(byRule.map((g) => [g.title, keys(g.alerts)])).toEqual([
      ['CPU', ['web-1/cpu', 'web-2/cpu']],
      ['DISK', ['db-1/disk']],
    ]);
    expect(groupFleetAlerts(alerts, 'node').map((g) => g.key)).toEqual(['web-1', 'web-2', 'db-1']);
    expect(groupFleetAlerts(alerts, 'none')).toHaveLength(1);
  });
});
