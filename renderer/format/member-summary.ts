import { alertSeveritiesWorstFirst, type OpenAlertCounts } from '../../shared/alerts.js';
import { logSeveritiesWorstFirst, type LogSeverityCounts } from '../../shared/log-severity-counts.js';
import type { NodeSummary } from '../../shared/node.js';
import type { CheckStatus } from '../../shared/services.js';

const statusWords: Record<CheckStatus, string> = {
  passing: 'passing',
  warning: 'warning',
  critical: 'critical',
  flapping: 'flapping',
  unknown: 'unknown',
};

/** "2 critical, 1 warning", worst first; "None" when nothing fires. */
export function openAlertsText(counts: OpenAlertCounts): string {
  const parts = alertSeveritiesWorstFirst.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'None';
}

/** Lines matched in the last hour by severity, "3 critical, 12 warning", worst first; "None" when none matched. */
export function logMatchesText(counts: LogSeverityCounts): string {
  const parts = logSeveritiesWorstFirst.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'None';
}

/** A node's checks by status, "3 passing, 1 critical"; "None" without services, "No results yet" before any. */
export function checksText(summary: Pick<NodeSummary, 'checks' | 'services'>): string {
  const counted = Object.entries(summary.checks).filter(([, n]) => n > 0);
  if (counted.length === 0) return summary.services > 0 ? 'No results yet' : 'None';
  return counted.map(([status, n]) => `${n} ${statusWords[status as CheckStatus]}`).join(', ');
}
