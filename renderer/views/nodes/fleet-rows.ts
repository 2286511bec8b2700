import type { Member } from '../../../shared/node.js';
import { healthSeverity, matchesLabels, matchesQuery, type LabelSelector } from '../../fleet/member-filters.js';
import type { SortDirection } from '../../components/data-table.js';
import type { FleetSortKey, FleetTableStoreState } from '../../stores/fleet-table-store.js';

/** The value a column sorts by; null (no summary yet) always sorts last. */
const sortValue: Record<FleetSortKey, (member: Member) => string | number | null> = {
  name: (member) => member.name.toLowerCase(),
  role: (member) => member.role,
  health: (member) => (member.summary ? healthSeverity(member) : null),
  cpu: (member) => member.summary?.cpuPercent ?? null,
  memory: (member) => member.summary?.memoryPercent ?? null,
  disk: (member) => member.summary?.diskPercent ?? null,
  // Worst first when descending: any critical outweighs any number of warnings.
  alerts: (member) => {
    const open = member.summary?.openAlerts;
    return open ? open.emergency * 1e9 + open.critical * 1e6 + open.warning * 1e3 + open.info : null;
  },
  // Busiest first when descending: running and waiting tasks together.
  tasks: (member) => (member.summary ? member.summary.tasks.running + member.summary.tasks.waiting : null),
  lastSeen: (member) => member.lastSeen,
};

function compareValues(a: string | number | null, b: string | number | null, direction: SortDirection): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const order = a < b ? -1 : 1;
  return direction === 'ascending' ? order : -order;
}

/** The members the table shows, in its order: filtered by text, role and labels, sorted by one column. */
export function fleetRows(
  members: readonly Member[],
  { sortKey, sortDirection, query, role }: Pick<FleetTableStoreState, 'sortKey' | 'sortDirection' | 'query' | 'role'>,
  selectors: readonly LabelSelector[],
): Member[] {
  const text = query.trim().toLowerCase();
  const value = sortValue[sortKey];
  // Values are computed once per member, not once per comparison: 2,000 rows sort in a few milliseconds.
  const keyed = members
    .filter(
      (member) =>
        (role === 'all' || member.role === role) &&
        (text === '' || matchesQuery(member, text) || member.apiUrl.toLowerCase().includes(text)) &&
        matchesLabels(member.labels, selectors),
    )
    .map((member) => ({ member, key: value(member) }));
  keyed.sort(
    (a, b) =>
      compareValues(a.key, b.key, sortDirection) ||
      (a.member.name < b.member.name ? -1 : a.member.name > b.member.name ? 1 : 0) ||
      (a.member.id < b.member.id ? -1 : 1),
  );
  return keyed.map((entry) => entry.member);
}
