import type { OpenAlertCounts } from '../../shared/alerts.js';
import type { FleetConfigError, LeaderInfo, NodeSummary, ResourceSample } from '../../shared/node.js';
import type { HealthService } from '../health/health-service.js';

// Whole percents: finer figures would change on every sample and make every summary a new write fleet-wide.
const percent = (used: number, total: number): number | null =>
  total > 0 ? Math.round(Math.min(100, Math.max(0, (used / total) * 100))) : null;

/** What this node tells the fleet about itself: health counts, resource use, and the leadership it holds. */
export function nodeSummary(
  health: ReturnType<HealthService['summary']>,
  resources: ResourceSample | null,
  leadership: LeaderInfo | null,
  configErrors: FleetConfigError[],
  openAlerts: OpenAlertCounts,
  now: number,
): NodeSummary {
  return {
    ...health,
    cpuPercent: resources ? Math.round(resources.cpu.loadPercent) : null,
    memoryPercent: resources ? percent(resources.memory.usedBytes, resources.memory.totalBytes) : null,
    diskPercent: resources ? percent(resources.disk.usedBytes, resources.disk.totalBytes) : null,
    leaderClaim: leadership ? { leaseId: leadership.leaseId, revision: leadership.revision } : null,
    configErrors: configErrors.slice(0, 50),
    openAlerts,
    publishedAt: now,
  };
}
