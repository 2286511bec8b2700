import type { RulePreview } from '../../shared/alert-preview.js';
import type { AlertRule } from '../../shared/alerts.js';
import type { ListedAlert } from '../../shared/fleet-alerts.js';
import type { alertsMethods } from '../../shared/rpc/alerts.js';
import type { FleetAlertQuery } from '../alert-delivery/fleet-alert-list.js';
import type { Handlers } from '../api/handler-table.js';
import type { FleetConfigSync } from '../cluster/fleet-config-sync.js';
import { fleetConfigHandlers } from '../fleet-config/handlers.js';
import type { AlertEngine } from './alert-engine.js';

export function alertsHandlers(
  engine: AlertEngine,
  fleetRules: FleetConfigSync<AlertRule>,
  preview: (rule: AlertRule) => RulePreview,
  lists: { nodeId: string; fleet(query: FleetAlertQuery): ListedAlert[] },
): Handlers<keyof typeof alertsMethods> {
  const fleet = fleetConfigHandlers(fleetRules);
  return {
    'fleet.alertRules.list': fleet.list,
    'fleet.alertRules.put': fleet.put,
    'fleet.alertRules.remove': fleet.remove,
    'alerts.rules.list': () => engine.rules(),
    'alerts.rules.preview': ({ rule }) => preview(rule),
    'alerts.list': ({ scope, ...query }) =>
      scope === 'fleet' ? lists.fleet(query) : engine.alerts(query).map((alert) => ({ ...alert, node: lists.nodeId })),
  };
}
