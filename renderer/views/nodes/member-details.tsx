import { useEffect, useId } from 'react';
import type { DownMember, Member, NodeStatus } from '../../../shared/node.js';
import { useClient } from '../../client/client-context.js';
import { Facts, type Fact } from '../../components/facts.js';
import { LabelsList } from '../../components/labels-list.js';
import { LeaderBadge } from '../../components/leader-badge.js';
import { StatusPill } from '../../components/status-pill.js';
import { Timestamp } from '../../components/timestamp.js';
import { checksText, logMatchesText, openAlertsText } from '../../format/member-summary.js';
import { queueLengthText } from '../../format/queue-length.js';
import { formatAgo } from '../../format/time.js';
import { memberHealth } from '../../fleet/member-filters.js';
import { useNow } from '../../hooks/use-now.js';
import { memberDetailsSelectors, useMemberDetailsStore } from '../../stores/member-details-store.js';
import { DisksTable } from './disks-table.js';
import { MemberStatePill } from './member-state-pill.js';
import { ResourceTiles } from './resource-tiles.js';
import { DetailsHeader } from '../../components/details-header.js';

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value)} %`);

function Ago({ epochMs, now, testId }: { epochMs: number; now: number; testId?: string }) {
  return (
    <>
      <Timestamp epochMs={epochMs} testId={testId} /> <span className="muted">({formatAgo(epochMs, now)})</span>
    </>
  );
}

/** What a member last published about itself: health, checks, alerts, queue and usage. */
function summaryFacts(summary: Member['summary']): Fact[] {
  if (!summary) return [{ label: 'Summary', value: <span className="muted">Not published yet</span> }];
  return [
    { label: 'Checks', value: checksText(summary) },
    { label: 'Open alerts', value: openAlertsText(summary.openAlerts), testId: 'member-open-alerts' },
    ...(summary.logMatches
      ? [{ label: 'Log lines (last hour)', value: logMatchesText(summary.logMatches), testId: 'member-log-matches' }]
      : []),
    { label: 'Tasks', value: queueLengthText(summary.tasks) },
    {
      label: 'CPU · mem · disk',
      value: `${percent(summary.cpuPercent)} · ${percent(summary.memoryPercent)} · ${percent(summary.diskPercent)}`,
    },
    { label: 'Summary published', value: <Timestamp epochMs={summary.publishedAt} /> },
  ];
}

/** The resources of an up member, from its own `node.status`: this node's live, another's asked for on open. */
function MemberResources({ member, self }: { member: Member; self: NodeStatus | null }) {
  const client = useClient();
  const headingId = useId();
  const isSelf = member.id === self?.id;
  const asked = useMemberDetailsStore(memberDetailsSelectors.asked);
  const loadStatus = useMemberDetailsStore((state) => state.loadStatus);

  useEffect(() => {
    if (!isSelf) void loadStatus(client, member.id);
  }, [client, isSelf, loadStatus, member.id]);

  const remote = asked?.memberId === member.id ? asked : null;
  const status = isSelf ? self : (remote?.status ?? null);
  return (
    <section className="member-resources" aria-labelledby={headingId} aria-busy={remote?.loading ?? false}>
      <header className="member-details-section">
        <h3 id={headingId}>Resources</h3>
        {!isSelf && (
          <button
            type="button"
            className="button button-quiet"
            disabled={remote?.loading}
            onClick={() => void loadStatus(client, member.id)}
          >
            Refresh
          </button>
        )}
      </header>
      {remote?.loading && !status && (
        <p className="muted" role="status">
          Asking {member.name} for its resources…
        </p>
      )}
      {remote?.error && (
        <p className="field-error" role="alert">
          Could not ask {member.name}: {remote.error}
        </p>
      )}
      {status && (
        <>
          <ResourceTiles sample={status.resources} />
          {status.resources && <DisksTable disks={status.resources.disks} dataDirMount={status.resources.disk.mount} />}
        </>
      )}
    </section>
  );
}

interface MemberDetailsProps {
  memberId: string;
  member: Member | undefined;
  down: DownMember | undefined;
  self: NodeStatus | null;
  onClose(): void;
  onForget?: (id: string) => void;
}

/**
 * One member's details beside the fleet table: its record, its last summary and, while it is up, its resources
 * asked from its own agent. A down member shows what was last seen of it and can be forgotten.
 */
export function MemberDetails({ memberId, member, down, self, onClose, onForget }: MemberDetailsProps) {
  const headingId = useId();
  const now = useNow(5000);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const known = member ?? down;
  return (
    <aside className="member-details" aria-labelledby={headingId} data-testid="member-details">
      <DetailsHeader
        eyebrow={member?.id === self?.id ? 'This node' : 'Node'}
        name={known?.name ?? memberId}
        id={memberId}
        headingId={headingId}
        onClose={onClose}
      />
      {member ? (
        <>
          <p className="member-details-pills">
            {member.stale && <MemberStatePill state="stale" />}
            <StatusPill status={memberHealth(member)} testId="member-health" />
            {member.leader && <LeaderBadge />}
          </p>
          <Facts
            className="facts facts-compact"
            facts={[
              { label: 'Role', value: member.role },
              { label: 'Version', value: member.version },
              { label: 'API URL', value: <code>{member.apiUrl}</code> },
              { label: 'Started', value: <Timestamp epochMs={member.startedAt} /> },
              { label: 'Last seen', value: <Ago epochMs={member.lastSeen} now={now} /> },
              { label: 'Labels', value: <LabelsList labels={member.labels} /> },
              ...summaryFacts(member.summary),
            ]}
          />
          <MemberResources member={member} self={self} />
        </>
      ) : down ? (
        <>
          <p className="member-details-pills">
            <MemberStatePill state="down" />
          </p>
          <Facts
            className="facts facts-compact"
            facts={[
              { label: 'Last seen', value: <Ago epochMs={down.lastSeen} now={now} testId="member-last-seen" /> },
              down.downSince !== undefined && {
                label: 'Down since',
                value: <Ago epochMs={down.downSince} now={now} />,
              },
              down.role !== undefined && { label: 'Role', value: down.role },
              down.version !== undefined && { label: 'Version', value: down.version },
              down.labels !== undefined && { label: 'Labels', value: <LabelsList labels={down.labels} /> },
              ...(down.summary ? summaryFacts(down.summary) : []),
            ]}
          />
          {onForget && (
            <button type="button" className="button" onClick={() => onForget(down.id)}>
              Forget {down.name}
            </button>
          )}
        </>
      ) : (
        <p className="muted">This node is no longer in the fleet.</p>
      )}
    </aside>
  );
}
