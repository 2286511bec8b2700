import { ListedAlert, type FleetAlertRecord } from '../../shared/fleet-alerts.js';
import type { Logger } from '../core/logger.js';

export interface FleetAlertQuery {
  state: 'open' | 'all';
  ruleId?: string | undefined;
  limit: number;
}

/**
 * The fleet's alerts from the records every node published: open ones, or (`all`) also the resolved ones whose
 * notifications are still going out — the leader clears a record once all are told, and each node keeps its own
 * history. Newest first. `silenced` is judged now, here.
 */
export function listFleetAlerts(
  records: readonly FleetAlertRecord[],
  query: FleetAlertQuery,
  silenced: (alert: FleetAlertRecord['alert']) => boolean,
  logger: Logger,
): ListedAlert[] {
  const listed: ListedAlert[] = [];
  for (const { alert } of records) {
    if (query.state === 'open' && alert.state === 'resolved') continue;
    if (query.ruleId !== undefined && alert.ruleId !== query.ruleId) continue;
    const shown = listedAlert(alert, silenced(alert));
    if (shown) listed.push(shown);
    else logger.warn({ alertId: alert.id }, 'a fleet alert this version cannot show is left out');
  }
  return listed.sort((a, b) => b.startedAt - a.startedAt || a.node.localeCompare(b.node)).slice(0, query.limit);
}

/** A published alert as `alerts.list` shows it; null when this version cannot (a severity it does not know). */
export function listedAlert(alert: FleetAlertRecord['alert'], silenced: boolean): ListedAlert | null {
  const parsed = ListedAlert.safeParse({ ...alert, id: alert.localId, silenced });
  return parsed.success ? parsed.data : null;
}
