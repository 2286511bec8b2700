import { alertSeveritiesWorstFirst, type OpenAlertCounts } from '../../../shared/alerts.js';
import type { Labels, NodeRole } from '../../../shared/ids.js';
import type { DownMember, Member, NodeSummary } from '../../../shared/node.js';
import { statusSeverity, type CheckStatus } from '../../../shared/services.js';

/** What a node's colour on the map says; the index of each is its place in the canvas palette. */
export const mapStatuses = ['passing', 'warning', 'critical', 'flapping', 'unknown', 'stale', 'down'] as const;
export type MapStatus = (typeof mapStatuses)[number];

export const mapStatusIndex = Object.fromEntries(mapStatuses.map((status, index) => [status, index])) as Record<
  MapStatus,
  number
>;

export const mapStatusLabels: Record<MapStatus, string> = {
  passing: 'Passing',
  warning: 'Warning',
  critical: 'Critical',
  flapping: 'Flapping',
  unknown: 'Unknown',
  stale: 'Stale',
  down: 'Down',
};

/** Worst first, for grouping by status: a member that is gone, then one that is failing, then one overdue. */
export const mapStatusSeverity: Record<MapStatus, number> = {
  down: 0,
  critical: 1,
  flapping: 2,
  warning: 3,
  stale: 4,
  unknown: 5,
  passing: 6,
};

/** One node on the map: a registered member, or a member gone without a graceful leave. */
export interface MapNode {
  id: string;
  name: string;
  role: NodeRole | undefined;
  labels: Labels;
  status: MapStatus;
  summary: NodeSummary | undefined;
  /** The live record; absent for a down member. */
  member?: Member;
  /** The leader's record of a down member; absent for a live one. */
  down?: DownMember;
}

/** What firing alerts alone say about a node: critical and emergency alerts are critical, warnings a warning. */
function alertStatus(alerts: OpenAlertCounts): CheckStatus | null {
  if (alerts.critical + alerts.emergency > 0) return 'critical';
  return alerts.warning > 0 ? 'warning' : null;
}

/**
 * A live member's colour: stale when its record is overdue (what it last said may no longer hold), otherwise the
 * worse of its checks' health and its firing alerts, so a node with no services but critical alerts is critical.
 */
export function memberStatus(member: Pick<Member, 'summary' | 'stale'>): MapStatus {
  if (member.stale === true) return 'stale';
  const summary = member.summary;
  if (!summary) return 'unknown';
  const fromAlerts = alertStatus(summary.openAlerts);
  if (fromAlerts === null) return summary.health;
  // An alert outranks "unknown" (no checks) and "passing"; a worse check status still wins.
  if (summary.health === 'unknown' || statusSeverity[fromAlerts] > statusSeverity[summary.health]) return fromAlerts;
  return summary.health;
}

/**
 * Every node the map draws: the registered members, then the down ones that have not come back (a down member
 * whose id is registered again is drawn from its live record).
 */
export function mapNodes(members: readonly Member[], membersDown: readonly DownMember[]): MapNode[] {
  const nodes: MapNode[] = members.map((member) => ({
    id: member.id,
    name: member.name,
    role: member.role,
    labels: member.labels,
    status: memberStatus(member),
    summary: member.summary,
    member,
  }));
  if (membersDown.length === 0) return nodes;
  const live = new Set(members.map((member) => member.id));
  for (const down of membersDown) {
    if (live.has(down.id)) continue;
    nodes.push({
      id: down.id,
      name: down.name,
      role: down.role,
      labels: down.labels ?? {},
      status: 'down',
      summary: down.summary,
      down,
    });
  }
  return nodes;
}

/** "1 critical, 1 warning", worst first; "None" when nothing fires. */
export function openAlertsText(alerts: OpenAlertCounts): string {
  const parts = alertSeveritiesWorstFirst.filter((s) => alerts[s] > 0).map((s) => `${alerts[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'None';
}

/** A summary's CPU, memory or disk share: "42 %", or "—" when the node has not measured it. */
export const summaryPercent = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${Math.round(value)} %`;
