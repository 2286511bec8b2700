import { memo, useDeferredValue, useMemo, useState, type ReactNode } from 'react';
import { alertSeveritiesWorstFirst, type OpenAlertCounts } from '../../../shared/alerts.js';
import type { DownMember, Member } from '../../../shared/node.js';
import { Card } from '../../components/card.js';
import { DataTable, EmptyRow, type ColumnSpec } from '../../components/data-table.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatCount } from '../../format/numbers.js';
import { openAlertsText } from '../../format/member-summary.js';
import { memberHealth, parseLabelFilter } from '../../fleet/member-filters.js';
import { fleetTableSelectors, useFleetTableStore, type FleetSortKey } from '../../stores/fleet-table-store.js';
import { StatusPill } from '../../components/status-pill.js';
import { queueLengthText } from '../../format/queue-length.js';
import { ClockSkewBadge } from './clock-skew-badge.js';
import { fleetRows, fleetRowsOf, type FleetRow } from './fleet-rows.js';
import { MemberStatePill } from './member-state-pill.js';
import './members-table.css';

/** Every row is this tall (CSS pins it), so the rows in view follow from the scroll position alone. */
const ROW_HEIGHT = 40;
/** The scrolling viewport of a large fleet (CSS `max-height` of `.fleet-scroll.is-virtual`). */
const VIEWPORT_HEIGHT = 560;
/** Rows drawn beyond each edge of the viewport, so a fast scroll shows no blank band. */
const OVERSCAN = 4;
/** Up to two viewports of rows are all rendered; beyond, only the rows in view and the overscan are. */
const RENDER_ALL_UP_TO = 2 * Math.floor(VIEWPORT_HEIGHT / ROW_HEIGHT);

const roleOptions = [
  { value: 'all' as const, label: 'All roles' },
  { value: 'agent' as const, label: 'Agents' },
  { value: 'console' as const, label: 'Consoles' },
];

const dash = <span className="muted">—</span>;
const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? dash : `${Math.round(value)} %`;

const columns: readonly ColumnSpec<FleetSortKey>[] = [
  { header: 'Name', sortKey: 'name' },
  { header: 'Status', sortKey: 'health' },
  { header: 'Role', sortKey: 'role' },
  { header: 'CPU', sortKey: 'cpu', className: 'numeric' },
  { header: 'Memory', sortKey: 'memory', className: 'numeric' },
  { header: 'Disk', sortKey: 'disk', className: 'numeric' },
  { header: 'Alerts', sortKey: 'alerts' },
  { header: 'Tasks', sortKey: 'tasks', className: 'numeric' },
  { header: 'Last seen', sortKey: 'lastSeen' },
  { header: 'Actions', hiddenHeader: true },
];

/** The worst severity firing, with how many more fire below it; the full count in the tooltip. */
function OpenAlerts({ counts }: { counts: OpenAlertCounts | undefined }) {
  const worst = alertSeveritiesWorstFirst.find((severity) => (counts?.[severity] ?? 0) > 0);
  if (!counts || !worst) return dash;
  const others = alertSeveritiesWorstFirst.reduce((sum, severity) => sum + counts[severity], 0) - counts[worst];
  return (
    <span title={openAlertsText(counts)} data-testid="open-alerts">
      <span className={`badge alert-count alert-count-${worst}`}>
        {counts[worst]} {worst}
      </span>
      {others > 0 && <span className="muted">+{others}</span>}
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

function ConfigErrors({ summary }: { summary: NonNullable<Member['summary']> }) {
  if (summary.configErrors.length === 0) return null;
  return (
    <span
      className="badge config-error-badge"
      title={summary.configErrors.map((e) => `${e.kind} ${e.id}: ${e.error}`).join('\n')}
    >
      {summary.configErrors.length} config {summary.configErrors.length === 1 ? 'error' : 'errors'}
    </span>
  );
}

function LiveCells({ member }: { member: Member }) {
  const summary = member.summary;
  return (
    <>
      <td>
        {member.stale ? (
          <MemberStatePill state="stale" />
        ) : summary ? (
          <StatusPill status={memberHealth(member)} />
        ) : (
          <span className="muted">No summary</span>
        )}
        {summary && <ConfigErrors summary={summary} />}
      </td>
      <td>{member.role}</td>
      <td className="numeric">{percent(summary?.cpuPercent)}</td>
      <td className="numeric">{percent(summary?.memoryPercent)}</td>
      <td className="numeric">{percent(summary?.diskPercent)}</td>
      <td>
        <OpenAlerts counts={summary?.openAlerts} />
      </td>
      <td className="numeric">{summary ? <QueueLength tasks={summary.tasks} /> : dash}</td>
      <td>
        <Timestamp epochMs={member.lastSeen} />
        <ClockSkewBadge member={member} />
      </td>
      <td />
    </>
  );
}

function DownCells({ member, onForget }: { member: DownMember; onForget: ((id: string) => void) | undefined }) {
  return (
    <>
      <td>
        <MemberStatePill state="down" />
        {member.downSince !== undefined && (
          <span className="muted down-since">
            {' '}
            since <Timestamp epochMs={member.downSince} testId="down-since" />
          </span>
        )}
      </td>
      <td>{member.role ?? dash}</td>
      <td className="numeric">{dash}</td>
      <td className="numeric">{dash}</td>
      <td className="numeric">{dash}</td>
      <td>{dash}</td>
      <td className="numeric">{dash}</td>
      <td>
        <Timestamp epochMs={member.lastSeen} testId="last-seen" />
      </td>
      <td>
        {onForget && (
          <button
            type="button"
            className="forget-button"
            // The row opens the details; this button only forgets.
            onClick={(event) => {
              event.stopPropagation();
              onForget(member.id);
            }}
            aria-label={`Forget ${member.name}`}
          >
            Forget
          </button>
        )}
      </td>
    </>
  );
}

interface RowProps {
  row: FleetRow;
  selfId: string | undefined;
  selectedId: string | null;
  rowIndex: number;
  onOpen(id: string): void;
  onForget: ((id: string) => void) | undefined;
}

const FleetTableRow = memo(function FleetTableRow({ row, selfId, selectedId, rowIndex, onOpen, onForget }: RowProps) {
  const { member } = row;
  const leader = row.kind === 'member' && row.member.leader;
  const classes = [
    member.id === selfId && 'is-self',
    leader && 'is-leader',
    row.kind === 'down' && 'is-down',
    row.kind === 'member' && row.member.stale && 'is-stale',
    member.id === selectedId && 'is-selected',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <tr
      className={classes || undefined}
      aria-rowindex={rowIndex}
      data-member-id={member.id}
      data-state={row.kind === 'down' ? 'down' : row.member.stale ? 'stale' : 'up'}
      onClick={() => onOpen(member.id)}
    >
      <td title={`${member.name} (${member.id})`}>
        {/* The row opens on a click anywhere; this button is its keyboard way in (its click reaches the row). */}
        <button type="button" className="member-name-button" aria-expanded={member.id === selectedId}>
          {member.name}
        </button>
        {leader && (
          <span className="leader-star" role="img" title="Leader" aria-label="Leader">
            ★
          </span>
        )}
        {member.id === selfId && <span className="tag">this node</span>}
      </td>
      {row.kind === 'member' ? (
        <LiveCells member={row.member} />
      ) : (
        <DownCells member={row.member} onForget={onForget} />
      )}
    </tr>
  );
});

function countText(shown: number, total: number, down: number): ReactNode {
  const members = total === 1 ? '1 member' : `${formatCount(total)} members`;
  const all = shown === total ? members : `Showing ${formatCount(shown)} of ${members}`;
  return down > 0 ? `${all} · ${formatCount(down)} down` : all;
}

interface MembersTableProps {
  members: readonly Member[];
  /** Gone without a graceful leave, from the leader's fleet facts. */
  down: readonly DownMember[];
  selfId: string | undefined;
  selectedId: string | null;
  onOpen(id: string): void;
  /** Absent while this console may not forget members. */
  onForget?: (id: string) => void;
}

/**
 * Every member of the fleet, and those gone down, sortable by column and filterable by text, role and labels;
 * a row opens the member's details. Large fleets are virtualised: only the rows in view (and a few beyond) are
 * in the DOM, so 10,000 members scroll as smoothly as 20.
 */
export function MembersTable({ members, down, selfId, selectedId, onOpen, onForget }: MembersTableProps) {
  const sortKey = useFleetTableStore(fleetTableSelectors.sortKey);
  const sortDirection = useFleetTableStore(fleetTableSelectors.sortDirection);
  const query = useFleetTableStore(fleetTableSelectors.query);
  const role = useFleetTableStore(fleetTableSelectors.role);
  const labelFilter = useFleetTableStore(fleetTableSelectors.labelFilter);
  const { sortBy, setQuery, setRole, setLabelFilter } = useFleetTableStore.getState();
  const [scrollTop, setScrollTop] = useState(0);

  const filter = useMemo(() => parseLabelFilter(labelFilter), [labelFilter]);
  const all = useMemo(() => fleetRowsOf(members, down), [members, down]);
  // Typing stays responsive with 10,000 rows: the field updates at once, the rows follow when React has time.
  const deferredQuery = useDeferredValue(query);
  const rows = useMemo(
    () => fleetRows(all, { sortKey, sortDirection, query: deferredQuery, role }, filter.ok ? filter.selectors : []),
    [all, sortKey, sortDirection, deferredQuery, role, filter],
  );

  const virtual = rows.length > RENDER_ALL_UP_TO;
  const first = virtual ? Math.max(0, Math.min(rows.length, Math.floor(scrollTop / ROW_HEIGHT)) - OVERSCAN) : 0;
  const last = virtual
    ? Math.min(rows.length, Math.ceil((scrollTop + VIEWPORT_HEIGHT) / ROW_HEIGHT) + OVERSCAN)
    : rows.length;
  const leader = members.find((member) => member.leader);
  const downCount = all.length - members.length;

  return (
    <Card
      className="fleet-table-card"
      title="Cluster members"
      aside={
        <span className="muted" data-testid="fleet-count">
          {countText(rows.length, all.length, downCount)}
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
            <col />
            <col className="col-status" />
            <col className="col-role" />
            <col className="col-percent" />
            <col className="col-memory" />
            <col className="col-percent" />
            <col className="col-alerts" />
            <col className="col-tasks" />
            <col className="col-seen" />
            <col className="col-actions" />
          </colgroup>
        }
      >
        {rows.length === 0 ? (
          <EmptyRow columns={columns.length}>
            {all.length === 0 ? 'No members registered yet.' : 'No member matches these filters.'}
          </EmptyRow>
        ) : (
          <>
            {first > 0 && (
              <tr className="fleet-spacer" aria-hidden="true" style={{ height: first * ROW_HEIGHT }}>
                <td colSpan={columns.length} />
              </tr>
            )}
            {rows.slice(first, last).map((row, offset) => (
              <FleetTableRow
                key={row.member.id}
                row={row}
                selfId={selfId}
                selectedId={selectedId}
                rowIndex={first + offset + 2}
                onOpen={onOpen}
                onForget={onForget}
              />
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
