import type { Alert } from '../../shared/alerts.js';

/** When the fixture's alert started. */
export const alertStartedAt = Date.UTC(2026, 11, 3, 12);

/** A node's alert #1 on "Disk almost full", pending, labelled team=ops; `change` sets what a test is about. */
export const alertFixture = (change: Partial<Alert> = {}): Alert => ({
  id: 1,
  ruleId: 'disk-full',
  ruleName: 'Disk almost full',
  severity: 'critical',
  labels: { team: 'ops' },
  state: 'pending',
  value: 93,
  firingValue: null,
  summary: 'disk 93% > 90%',
  description: '',
  startedAt: alertStartedAt,
  firingAt: null,
  resolvedAt: null,
  acknowledged: null,
  silenced: false,
  ...change,
});
