import type { AlertNotice, AlertTransition } from '../../shared/alert-notice.js';

/** A notice for a test: `alertId` on node `web-1`, warning by default. */
export function alertNotice(
  alertId: string,
  transition: AlertTransition = 'firing',
  alert: Partial<AlertNotice['alert']> = {},
): AlertNotice {
  const startedAt = Date.UTC(2026, 0, 1);
  return {
    transition,
    fleet: 'default',
    alert: {
      id: `web-1/${alertId}`,
      ruleId: 'disk-full',
      ruleName: 'Disk almost full',
      severity: 'warning',
      state: transition === 'resolved' ? 'resolved' : 'firing',
      summary: 'disk 93% used',
      node: 'web-1',
      labels: { service: 'api' },
      startedAt,
      firingAt: startedAt,
      resolvedAt: transition === 'resolved' ? startedAt + 60_000 : null,
      ...alert,
    },
  };
}
