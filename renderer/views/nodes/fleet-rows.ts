import type { DownMember, Member } from '../../../shared/node.js';
import { healthSeverity, matchesLabels, matchesQuery, type LabelSelector } from '../../fleet/member-filters.js';
import type { SortDirection } from '../../components/sort-direction.js';
import type { FleetSortKey, FleetTableStoreState } from '../../stores/fleet-table-store.js';

/**
 * A row of the fleet table: a registered member, or one gone without a graceful leave (kept by the leader in the
 * fleet facts until it returns or is forgotten). A down member's last summary is history, so its figures are not
 * shown or sorted by.
 */
export type FleetRow = { kind: 'member'; member: Member } | { kind: 'down'; member: DownMember };

export type RowState = 'up' | 'stale' | 'down';

export const rowState = (row: FleetRow): RowState => (row.kind === 'down' ? 'down' : row.member.stale ? 'stale' : 'up');

/** Above every health: a down member first, then a stale one, when sorted worst first. */
const stateRank: Record<RowState, number> = { down: 20, stale: 10, up: 0 };

const liveSummary = (row: FleetRow) => (row.kind === 'member' ? row.member.summary : undefined);

/** The value a column sorts by; null (no summary yet, or down) always sorts last. */
const sortValue: Record<FleetSortKey, (row: FleetRow) => string | number | null> = {
  name: (row) => row.member.name.toLowerCase(),
  role: (row) => row.member.role ?? null,
  health: (row) =>
    row.kind === 'member' && !row.member.summary && !row.member.stale
      ? null
      : stateRank[rowState(row)] + (row.kind === 'member' ? healthSeverity(row.member) : 0),
  cpu: (row) => liveSummary(row)?.cpuPercent ?? null,
  memory: (row) => liveSummary(row)?.memoryPercent ?? null,
  disk: (row) => liveSummary(row)?.diskPercent ?? null,
  // Worst first when descending: any critical outweighs any number of warnings.
  alerts: (row) => {
    const open = liveSummary(row)?.openAlerts;
    return open ? open.emergency * 1e9 + open.critical * 1e6 + open.warning * 1e3 + open.info : null;
  },
  // Busiest first when descending: running and waiting tasks together.
  tasks: (row) => {
    const tasks = liveSummary(row)?.tasks;
    return tasks ? tasks.running + tasks.waiting : null;
  },
  lastSeen: (row) => row.member.lastSeen,
};

function compareValues(a: string | number | null, b: string | number | null, direction: SortDirection): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const order = a < b ? -1 : 1;
  return direction === 'ascending' ? order : -order;
}

/** The registered members, then the down ones not registered again (the leader may not have noticed yet). */
export function fleetRowsOf(members: readonly Member[], down: readonly DownMember[]): FleetRow[] {
  const registered = new Set(members.map((member) => member.id));
  return [
    ...members.map((member): FleetRow => ({ kind: 'member', member })),
    ...down.filter((member) => !registered.has(member.id)).map((member): FleetRow => ({ kind: 'down', member })),
  ];
}

function matchesRow(
  row: FleetRow,
  text: string,
  role: FleetTableStoreState['role'],
  selectors: readonly LabelSelector[],
): boolean {
  const { member } = row;
  return (
    (role === 'all' || member.role === role) &&
    (text === '' ||
      matchesQuery(member, text) ||
      (row.kind === 'member' && row.member.apiUrl.toLowerCase().includes(text))) &&
    matchesLabels(member.labels ?? {}, selectors)
  );
}

/** The rows the table shows, in its order: filtered by text, role and labels, sorted by one column. */
export function fleetRows(
  rows: readonly FleetRow[],
  { sortKey, sortDirection, query, role }: Pick<FleetTableStoreState, 'sortKey' | 'sortDirection' | 'query' | 'role'>,
  selectors: readonly LabelSelector[],
): FleetRow[] {
  const text = query.trim().toLowerCase();
  const value = sortValue[sortKey];
  // Values are computed once per row, not once per comparison: 10,000 rows sort in a few milliseconds.
  const keyed = rows.filter((row) => matchesRow(row, text, role, selectors)).map((row) => ({ row, key: value(row) }));
  keyed.sort(
    (a, b) =>
      compareValues(a.key, b.key, sortDirection) ||
      (a.row.member.name < b.row.member.name ? -1 : a.row.member.name > b.row.member.name ? 1 : 0) ||
      (a.row.member.id < b.row.member.id ? -1 : 1),
  );
  return keyed.map((entry) => entry.row);
}
