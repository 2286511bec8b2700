import { useMemo, useState } from 'react';
import { alertSeveritiesWorstFirst } from '../../../shared/alerts.js';
import type { Member } from '../../../shared/node.js';
import { Card } from '../../components/card.js';
import { DataTable, EmptyRow, type ColumnSpec } from '../../components/data-table.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import { LeaderBadge } from '../../components/leader-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatCount } from '../../format/numbers.js';
import { memberHealth, parseLabelFilter } from '../../fleet/member-filters.js';
import { fleetTableSelectors, useFleetTableStore, type FleetSortKey } from '../../stores/fleet-table-store.js';
import { StatusPill } from '../../components/status-pill.js';
import { queueLengthText } from '../../format/queue-length.js';
import { ClockSkewBadge } from './clock-skew-badge.js';
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

const columns: readonly ColumnSpec<FleetSortKey>[] = [
  'ID',
  { header: 'Name', sortKey: 'name' },
  { header: 'Role', sortKey: 'role' },
  'API URL',
  'Leader',
  { header: 'Health', sortKey: 'health' },
  { header: 'CPU', sortKey: 'cpu', className: 'numeric' },
  { header: 'Memory', sortKey: 'memory', className: 'numeric' },
  { header: 'Disk', sortKey: 'disk', className: 'numeric' },
  { header: 'Alerts', sortKey: 'alerts' },
  { header: 'Tasks', sortKey: 'tasks', className: 'numeric' },
  { header: 'Last seen', sortKey: 'lastSeen' },
];

/** Open alerts of a member by severity, worst first; a dash when none fire. */
function OpenAlerts({ counts }: { counts: NonNullable<Member['summary']>['openAlerts'] | undefined }) {
  const shown = alertSeveritiesWorstFirst.filter((severity) => (counts?.[severity] ?? 0) > 0);
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

/** Running and waiting tasks of a member's queue, as "2 + 5" with the words in the tooltip. */
function QueueLength({ tasks }: { tasks: NonNullable<Member['summary']>['tasks'] }) {
  if (tasks.running + tasks.waiting === 0) return <span className="muted">0</span>;
  return (
    <span data-testid="queue-length" title={queueLengthText(tasks)}>
      {tasks.running} + {tasks.waiting}
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
      <td className="numeric">{summary ? <QueueLength tasks={summary.tasks} /> : <span className="muted">—</span>}</td>
      <td>
        <Timestamp epochMs={member.lastSeen} />
        <ClockSkewBadge member={member} />
      </td>
    </tr>
  );
}

/**
 * Every member of the fleet, sortable by column and filterable by text, role and labels. Large fleets are
 * virtualised: only the rows in view are in the DOM, so 2,000 members scroll as smoothly as 20.
 */
export function MembersTable({ members, selfId }: { members: Member[]; selfId: string | undefined }) {
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
  const leader = members.find((member) => member.leader);

  return (
    <Card
      className="fleet-table-card"
      title="Cluster members"
      aside={
        <span className="muted" data-testid="fleet-count">
          {rows.length === members.length
            ? members.length === 1
              ? '1 member'
              : `${formatCount(members.length)} members`
            : `Showing ${formatCount(rows.length)} of ${formatCount(members.length)} members`}
          {leader && ` · ${leader.name} leads`}
        </span>
      }
    >
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
      <DataTable
        columns={columns}
        sort={{ key: sortKey, direction: sortDirection, onSort: sortBy }}
        className="members-table fleet-table"
        testId="fleet-table"
        scrollClassName={virtual ? 'fleet-scroll is-virtual' : 'fleet-scroll'}
        scrollProps={{
          onScroll: virtual ? (event) => setScrollTop(event.currentTarget.scrollTop) : undefined,
          tabIndex: virtual ? 0 : undefined,
          role: virtual ? 'region' : undefined,
          'aria-label': virtual ? 'Cluster members, scrollable' : undefined,
        }}
        tableProps={{ 'aria-rowcount': rows.length + 1 }}
        headRowProps={{ 'aria-rowindex': 1 }}
        colgroup={
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
        }
      >
        {rows.length === 0 ? (
          <EmptyRow columns={columns.length}>
            {members.length === 0 ? 'No members registered yet.' : 'No member matches these filters.'}
          </EmptyRow>
        ) : (
          <>
            {first > 0 && (
              <tr className="fleet-spacer" aria-hidden="true" style={{ height: first * ROW_HEIGHT }}>
                <td colSpan={columns.length} />
              </tr>
            )}
            {rows.slice(first, last).map((member, offset) => (
              <MemberRow key={member.id} member={member} selfId={selfId} rowIndex={first + offset + 2} />
            ))}
            {last < rows.length && (
              <tr className="fleet-spacer" aria-hidden="true" style={{ height: (rows.length - last) * ROW_HEIGHT }}>
                <td colSpan={columns.length} />
              </tr>
            )}
          </>
        )}
      </DataTable>
    </Card>
  );
}
