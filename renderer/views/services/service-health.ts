import { statusSeverity, type CheckStatus, type ServiceState } from '../../../shared/services.js';
import { statusLabels } from '../../components/status-labels.js';

/** A service's health as the console words it: a check status, or `no-checks` when nothing checks it. */
export type ServiceHealth = CheckStatus | 'no-checks';

export const serviceHealthLabels: Record<ServiceHealth, string> = { ...statusLabels, 'no-checks': 'No checks' };

/**
 * A service without checks has no health to report: its agent counts a running process as passing, which would
 * read as "Passing" with nothing checked. Only a supervised process in trouble (warning, critical) is worth its colour.
 */
export function serviceHealth(service: Pick<ServiceState, 'status' | 'checks'>): ServiceHealth {
  if (service.checks.length > 0) return service.status;
  return service.status === 'warning' || service.status === 'critical' ? service.status : 'no-checks';
}

/** Worst first, for sorting: nothing checked sits between unknown and passing. */
export const healthRank = (health: ServiceHealth): number =>
  health === 'no-checks' ? statusSeverity.unknown - 0.5 : statusSeverity[health];
