import type { DownMember, Member } from '../../../shared/node.js';
import { healthSeverity, matchesLabels, type LabelSelector } from '../../fleet/member-filters.js';
import type { FleetSortKey, FleetTableStoreState } from '../../stores/fleet-table-store.js';

/**
 * A row of the fleet table: a registered member, or one gone without a graceful leave (kept by the leader in the
 * fleet facts until it returns or is forgotten). A down member's last summary is history, so its figures are not
 * shown or sorted by. `search` and `nameRank` are worked out once per member list, so a sort or a keystroke over
 * 10,000 rows compares numbers and scans one string each.
 */
export type FleetRow = ({ kind: 'member'; member: Member } | { kind: 'down'; member: DownMember }) & {
  /** Lower-case name, id and API URL, one a line: what the search box matches. */
  search: string;
  /** Position in name order (then id): the tie-break of every sort, and the name sort itself. */
  nameRank: number;
};

export type RowState = 'up' | 'stale' | 'down';

export const rowState = (row: FleetRow): RowState => (row.kind === 'down' ? 'down' : row.member.stale ? 'stale' : 'up');

/** Above every health: a down member first, then a stale one, when sorted worst first. */
const stateRank: Record<RowState, number> = { down: 20, stale: 10, up: 0 };

const liveSummary = (row: FleetRow) => (row.kind === 'member' ? row.member.summary : undefined);

/** The number a column sorts by; null (no summary yet, or down) always sorts last. */
const sortValue: Record<FleetSortKey, (row: FleetRow) => number | null> = {
  name: (row) => row.nameRank,
  role: (row) => (row.member.role === undefined ? null : row.member.role === 'agent' ? 0 : 1),
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

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The registered members, then the down ones not registered again (the leader may not have noticed yet). */
export function fleetRowsOf(members: readonly Member[], down: readonly DownMember[]): FleetRow[] {
  const registered = new Set(members.map((member) => member.id));
  const rows: FleetRow[] = [
    ...members.map((member): FleetRow => {
      const search = `${member.name.toLowerCase()}\n${member.id}\n${member.apiUrl.toLowerCase()}`;
      return { kind: 'member', member, search, nameRank: 0 };
    }),
    ...down
      .filter((member) => !registered.has(member.id))
      .map((member): FleetRow => {
        const search = `${member.name.toLowerCase()}\n${member.id}`;
        return { kind: 'down', member, search, nameRank: 0 };
      }),
  ];
  const names = rows.map((row) => ({ row, name: row.member.name.toLowerCase() }));
  names.sort(
    (a, b) =>
      byText(a.name, b.name) ||
      byText(a.row.member.name, b.row.member.name) ||
      byText(a.row.member.id, b.row.member.id),
  );
  names.forEach(({ row }, rank) => (row.nameRank = rank));
  return rows;
}

function matchesRow(
  row: FleetRow,
  text: string,
  role: FleetTableStoreState['role'],
  selectors: readonly LabelSelector[],
): boolean {
  return (
    (role === 'all' || row.member.role === role) &&
    (text === '' || row.search.includes(text)) &&
    (selectors.length === 0 || matchesLabels(row.member.labels ?? {}, selectors))
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
  const sign = sortDirection === 'ascending' ? 1 : -1;
  const keyed: { row: FleetRow; key: number }[] = [];
  const unkeyed: FleetRow[] = [];
  for (const row of rows) {
    if (!matchesRow(row, text, role, selectors)) continue;
    const key = value(row);
    if (key === null) unkeyed.push(row);
    else keyed.push({ row, key });
  }
  keyed.sort((a, b) => (a.key - b.key) * sign || a.row.nameRank - b.row.nameRank);
  unkeyed.sort((a, b) => a.nameRank - b.nameRank);
  return [...keyed.map((entry) => entry.row), ...unkeyed];
}
