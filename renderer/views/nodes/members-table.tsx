import { useId, useMemo, useState, type ReactNode } from 'react';
import type { Member } from '../../../shared/node.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import { LeaderBadge } from '../../components/leader-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatCount } from '../../format/numbers.js';
import { memberHealth, parseLabelFilter } from '../../fleet/member-filters.js';
import {
  fleetTableSelectors,
  useFleetTableStore,
  type FleetSortKey,
  type FleetTableStoreState,
} from '../../stores/fleet-table-store.js';
import { StatusPill } from '../../components/status-pill.js';
import { fleetRows } from './fleet-rows.js';
import './members-table.css';

/** Every row is this tall (CSS pins it), so the rows in view follow from the scroll position alone. */
const ROW_HEIGHT = 40;
/** Up to this many rows are all rendered; beyond it only the rows in view (and a margin) are. */
const RENDER_ALL_UP_TO = 60;
const OVERSCAN = 8;
const VIEWPORT_HEIGHT = 560;

const roleOptions = [
  { value: 'all' as const, label: 'All roles' },
  { value: 'agent' as const, label: 'Agents' },
  { value: 'console' as const, label: 'Consoles' },
];

const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? <span className="muted">—</span> : `${Math.round(value)} %`;

function SortHeader({
  sortKey,
  state,
  onSort,
  className,
  children,
}: {
  sortKey: FleetSortKey;
  state: Pick<FleetTableStoreState, 'sortKey' | 'sortDirection'>;
  onSort(key: FleetSortKey): void;
  className?: string;
  children: ReactNode;
}) {
  const active = state.sortKey === sortKey;
  return (
    <th scope="col" className={className} aria-sort={active ? state.sortDirection : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(sortKey)}>
        {children}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (state.sortDirection === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

const severities = ['critical', 'warning', 'info'] as const;

/** Open alerts of a member by severity, worst first; a dash when none fire. */
function OpenAlerts({ counts }: { counts: NonNullable<Member['summary']>['openAlerts'] | undefined }) {
  const shown = severities.filter((severity) => (counts?.[severity] ?? 0) > 0);
  if (!counts || shown.length === 0) return <span className="muted">—</span>;
  return (
    <span title={shown.map((severity) => `${counts[severity]} ${severity}`).join(', ')}>
      {shown.map((severity) => (
        <span key={severity} className={`badge alert-count alert-count-${severity}`}>
          {counts[severity]} {severity}
        </span>
      ))}
    </span>
  );
}

function MemberRow({ member, selfId, rowIndex }: { member: Member; selfId: string | undefined; rowIndex: number }) {
  const summary = member.summary;
  const classes = [member.id === selfId ? 'is-self' : '', member.leader ? 'is-leader' : ''].filter(Boolean).join(' ');
  return (
    <tr className={classes || undefined} aria-rowindex={rowIndex} data-member-id={member.id}>
      <td title={member.id}>
        <code>{member.id}</code>
      </td>
      <td title={member.name}>
        {member.name}
        {member.id === selfId && <span className="tag">this node</span>}
      </td>
      <td>{member.role}</td>
      <td title={member.apiUrl}>
        <code>{member.apiUrl}</code>
      </td>
      <td>{member.leader ? <LeaderBadge /> : <span className="muted">No</span>}</td>
      <td>
        {summary ? <StatusPill status={memberHealth(member)} /> : <span className="muted">No summary</span>}
        {summary && summary.configErrors.length > 0 && (
          <span
            className="badge config-error-badge"
            title={summary.configErrors.map((e) => `${e.kind} ${e.id}: ${e.error}`).join('\n')}
          >
            {summary.configErrors.length} config {summary.configErrors.length === 1 ? 'error' : 'errors'}
          </span>
        )}
      </td>
      <td className="numeric">{percent(summary?.cpuPercent)}</td>
      <td className="numeric">{percent(summary?.memoryPercent)}</td>
      <td className="numeric">{percent(summary?.diskPercent)}</td>
      <td>
        <OpenAlerts counts={summary?.openAlerts} />
      </td>
      <td>
        <Timestamp epochMs={member.lastSeen} />
      </td>
    </tr>
  );
}

/**
 * Every member of the fleet, sortable by column and filterable by text, role and labels. Large fleets are
 * virtualised: only the rows in view are in the DOM, so 2,000 members scroll as smoothly as 20.
 */
export function MembersTable({ members, selfId }: { members: Member[]; selfId: string | undefined }) {
  const headingId = useId();
  const sortKey = useFleetTableStore(fleetTableSelectors.sortKey);
  const sortDirection = useFleetTableStore(fleetTableSelectors.sortDirection);
  const query = useFleetTableStore(fleetTableSelectors.query);
  const role = useFleetTableStore(fleetTableSelectors.role);
  const labelFilter = useFleetTableStore(fleetTableSelectors.labelFilter);
  const { sortBy, setQuery, setRole, setLabelFilter } = useFleetTableStore.getState();
  const [scrollTop, setScrollTop] = useState(0);

  const filter = useMemo(() => parseLabelFilter(labelFilter), [labelFilter]);
  const rows = useMemo(
    () => fleetRows(members, { sortKey, sortDirection, query, role }, filter.ok ? filter.selectors : []),
    [members, sortKey, sortDirection, query, role, filter],
  );

  const virtual = rows.length > RENDER_ALL_UP_TO;
  const first = virtual ? Math.max(0, Math.min(rows.length, Math.floor(scrollTop / ROW_HEIGHT)) - OVERSCAN) : 0;
  const last = virtual
    ? Math.min(rows.length, Math.ceil((scrollTop + VIEWPORT_HEIGHT) / ROW_HEIGHT) + OVERSCAN)
    : rows.length;
  const sortState = { sortKey, sortDirection };
  const leader = members.find((member) => member.leader);

  return (
    <section className="card fleet-table-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Cluster members</h2>
        <span className="muted" data-testid="fleet-count">
          {rows.length === members.length
            ? members.length === 1
              ? '1 member'
              : `${formatCount(members.length)} members`
            : `Showing ${formatCount(rows.length)} of ${formatCount(members.length)} members`}
          {leader && ` · ${leader.name} leads`}
        </span>
      </header>
      <div className="fleet-filters" role="group" aria-label="Filter members">
        <TextField
          label="Search members"
          type="search"
          value={query}
          onChange={setQuery}
          placeholder="Name, id or API URL"
          spellCheck={false}
          autoComplete="off"
        />
        <SelectField label="Role" value={role} options={roleOptions} onChange={setRole} />
        <TextField
          label="Labels"
          value={labelFilter}
          onChange={setLabelFilter}
          placeholder="zone=eu-1, tier=web"
          spellCheck={false}
          autoComplete="off"
          error={filter.ok ? undefined : filter.error}
        />
      </div>
      <div
        className={virtual ? 'fleet-scroll is-virtual' : 'fleet-scroll'}
        onScroll={virtual ? (event) => setScrollTop(event.currentTarget.scrollTop) : undefined}
        tabIndex={virtual ? 0 : undefined}
        role={virtual ? 'region' : undefined}
        aria-label={virtual ? 'Cluster members, scrollable' : undefined}
      >
        <table
          className="members-table fleet-table"
          aria-labelledby={headingId}
          aria-rowcount={rows.length + 1}
          data-testid="fleet-table"
        >
          <colgroup>
            <col className="col-id" />
            <col className="col-name" />
            <col className="col-role" />
            <col className="col-api" />
            <col className="col-leader" />
            <col className="col-health" />
            <col className="col-figure" />
            <col className="col-memory" />
            <col className="col-figure" />
            <col className="col-alerts" />
            <col className="col-seen" />
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">ID</th>
              <SortHeader sortKey="name" state={sortState} onSort={sortBy}>
                Name
              </SortHeader>
              <SortHeader sortKey="role" state={sortState} onSort={sortBy}>
                Role
              </SortHeader>
              <th scope="col">API URL</th>
              <th scope="col">Leader</th>
              <SortHeader sortKey="health" state={sortState} onSort={sortBy}>
                Health
              </SortHeader>
              <SortHeader sortKey="cpu" state={sortState} onSort={sortBy} className="numeric">
                CPU
              </SortHeader>
              <SortHeader sortKey="memory" state={sortState} onSort={sortBy} className="numeric">
                Memory
              </SortHeader>
              <SortHeader sortKey="disk" state={sortState} onSort={sortBy} className="numeric">
                Disk
              </SortHeader>
              <SortHeader sortKey="alerts" state={sortState} onSort={sortBy}>
                Alerts
              </SortHeader>
              <SortHeader sortKey="lastSeen" state={sortState} onSort={sortBy}>
                Last seen
              </SortHeader>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={11} className="muted">
                  {members.length === 0 ? 'No members registered yet.' : 'No member matches these filters.'}
                </td>
              </tr>
            ) : (
              <>
                {first > 0 && (
                  <tr className="fleet-spacer" aria-hidden="true" style={{ height: first * ROW_HEIGHT }}>
                    <td colSpan={11} />
                  </tr>
                )}
                {rows.slice(first, last).map((member, offset) => (
                  <MemberRow key={member.id} member={member} selfId={selfId} rowIndex={first + offset + 2} />
                ))}
                {last < rows.length && (
                  <tr className="fleet-spacer" aria-hidden="true" style={{ height: (rows.length - last) * ROW_HEIGHT }}>
                    <td colSpan={11} />
                  </tr>
                )}
              </>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
