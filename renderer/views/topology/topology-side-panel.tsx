import { useEffect, useId, useState } from 'react';
import { Facts } from '../../components/facts.js';
import type { ClusterStatus, DownMember, LeaderInfo, Member, NodeSummary } from '../../../shared/node.js';
import { statusSeverity, type CheckStatus } from '../../../shared/services.js';
import { useClient } from '../../client/client-context.js';
import { messageOf } from '../../client/outcome.js';
import { useClusterStore } from '../../stores/cluster-store.js';
import { LeaderBadge } from '../../components/leader-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatAgo } from '../../format/time.js';
import { useNow } from '../../hooks/use-now.js';
import { topologySelectors, useTopologyStore } from '../../stores/topology-store.js';
import { StatusPill, statusLabels } from '../../components/status-pill.js';
import { LabelsList } from '../../components/labels-list.js';
import { queueLengthText } from '../../format/queue-length.js';
import { mapStatusLabels, memberStatus, openAlertsText, summaryPercent, type MapStatus } from './map-status.js';
import { DetailsHeader } from '../../components/details-header.js';

/** A node's status on the map as a pill; stale and down have their own colours beside the check statuses. */
function MapStatusPill({ status, testId }: { status: MapStatus; testId?: string }) {
  return (
    <span className={`status-pill status-${status}`} data-status={status} data-testid={testId}>
      {mapStatusLabels[status]}
    </span>
  );
}

/** "12:03:04 (2 min ago)" */
function Moment({ epochMs, now, testId }: { epochMs: number; now: number; testId?: string }) {
  return (
    <>
      <Timestamp epochMs={epochMs} testId={testId} /> <span className="muted">({formatAgo(epochMs, now)})</span>
    </>
  );
}

/** The coordinator: who it is and the fencing token its leadership is bound to. */
export function LeaderCard({
  leader,
  member,
  onShow,
}: {
  leader: LeaderInfo | null;
  member: Member | undefined;
  onShow(id: string): void;
}) {
  const headingId = useId();
  const now = useNow(5000);
  return (
    <section className="card topology-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Leader</h2>
        {leader && <LeaderBadge />}
      </header>
      <div data-testid="topology-leader" data-leader-id={leader?.id ?? ''}>
        {leader ? (
          <>
            <p className="topology-node-title">
              <strong data-testid="topology-leader-name">{member?.name ?? leader.id}</strong>{' '}
              <code data-testid="topology-leader-id">{leader.id}</code>
            </p>
            <Facts
              className="facts facts-compact"
              facts={[
                {
                  label: 'Lease',
                  value: <code className="topology-nowrap">{leader.leaseId}</code>,
                },
                {
                  label: 'Revision',
                  value: <code className="topology-nowrap">{leader.revision}</code>,
                },
                {
                  label: 'Since',
                  value: <Moment epochMs={leader.since} now={now} />,
                },
              ]}
            />
            <button type="button" className="button topology-card-action" onClick={() => onShow(leader.id)}>
              Show leader on the map
            </button>
          </>
        ) : (
          <p className="muted">No leader elected right now.</p>
        )}
      </div>
    </section>
  );
}

/** What the leader computed about the fleet: members up, members down, members unhealthy. */
export function FleetFactsCard({ status, members }: { status: ClusterStatus | null; members: readonly Member[] }) {
  const headingId = useId();
  const facts = status?.facts ?? null;
  const nameOf = (id: string) => members.find((member) => member.id === id)?.name ?? id;
  return (
    <section className="card topology-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Fleet</h2>
        {status && <span className="badge">{status.backend}</span>}
      </header>
      <dl className="facts facts-compact" data-testid="topology-fleet">
        <div>
          <dt>Coordination</dt>
          <dd>{status ? status.state : 'Unknown'}</dd>
        </div>
        <div>
          <dt>Members</dt>
          <dd>{facts ? `${facts.membersUp} up` : `${members.length} registered`}</dd>
        </div>
        {facts && facts.membersDown.length > 0 && (
          <div>
            <dt>Down</dt>
            <dd>
              <ul className="topology-inline-list" data-testid="topology-fleet-down">
                {facts.membersDown.slice(0, 10).map((down) => (
                  <li key={down.id}>
                    {down.name} <span className="muted">(last seen </span>
                    <Timestamp epochMs={down.lastSeen} />
                    <span className="muted">)</span>
                  </li>
                ))}
                {facts.membersDown.length > 10 && <li className="muted">and {facts.membersDown.length - 10} more</li>}
              </ul>
            </dd>
          </div>
        )}
        {facts && facts.unhealthy.length > 0 && (
          <div>
            <dt>Unhealthy</dt>
            <dd>
              {facts.unhealthy.slice(0, 10).map(nameOf).join(', ')}
              {facts.unhealthy.length > 10 && ` and ${facts.unhealthy.length - 10} more`}
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}

const worstFirst = (a: { status: CheckStatus }, b: { status: CheckStatus }) =>
  statusSeverity[b.status] - statusSeverity[a.status];

/** The selected node: its record and summary, and its services asked from its own agent. */
export function SelectedNodeCard({
  memberId,
  member,
  onClose,
  onShow,
}: {
  memberId: string;
  member: Member | undefined;
  onClose(): void;
  onShow(id: string): void;
}) {
  const client = useClient();
  const headingId = useId();
  const servicesHeadingId = useId();
  const now = useNow(1000);
  const loadServices = useTopologyStore((state) => state.loadServices);
  const services = useTopologyStore(topologySelectors.services(memberId));
  const present = member !== undefined;

  useEffect(() => {
    if (present) void loadServices(client, memberId);
  }, [client, loadServices, memberId, present]);

  const summary = member?.summary;
  return (
    <section className="card topology-card" aria-labelledby={headingId} data-testid="topology-selected">
      <DetailsHeader
        eyebrow="Selected node"
        name={member?.name ?? memberId}
        id={memberId}
        headingId={headingId}
        onClose={onClose}
      />
      {!member ? (
        <p className="muted">This node is no longer registered in the fleet.</p>
      ) : (
        <>
          <p className="topology-pills">
            <MapStatusPill status={memberStatus(member)} testId="topology-selected-health" />
            {member.leader && <LeaderBadge />}
          </p>
          <dl className="facts facts-compact">
            <div>
              <dt>Role</dt>
              <dd>{member.role}</dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>{member.version}</dd>
            </div>
            <div>
              <dt>API URL</dt>
              <dd>
                <code>{member.apiUrl}</code>
              </dd>
            </div>
            <div>
              <dt>Last seen</dt>
              <dd>
                <Moment epochMs={member.lastSeen} now={now} />
                {member.stale === true && <span className="muted"> · overdue: it may be stuck</span>}
              </dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>
                <Timestamp epochMs={member.startedAt} />
              </dd>
            </div>
            <div>
              <dt>Labels</dt>
              <dd>
                <LabelsList labels={member.labels} />
              </dd>
            </div>
            <SummaryFacts summary={summary} />
          </dl>
          <button type="button" className="button topology-card-action" onClick={() => onShow(memberId)}>
            Centre on the map
          </button>
          <section className="topology-services" aria-labelledby={servicesHeadingId}>
            <header className="topology-services-header">
              <h3 id={servicesHeadingId}>Services{services?.services ? ` (${services.services.length})` : ''}</h3>
              <button
                type="button"
                className="button button-quiet"
                disabled={services?.loading}
                onClick={() => void loadServices(client, memberId)}
              >
                Refresh
              </button>
            </header>
            {services?.loading && !services.services && (
              <p className="muted" role="status" data-testid="topology-services-loading">
                Asking {member.name} for its services…
              </p>
            )}
            {services?.error && (
              <p className="field-error" role="alert" data-testid="topology-services-error">
                Could not get the services: {services.error}
              </p>
            )}
            {services?.services &&
              (services.services.length === 0 ? (
                <p className="muted" data-testid="topology-services">
                  No services on this node.
                </p>
              ) : (
                <ul className="topology-service-list" data-testid="topology-services" aria-busy={services.loading}>
                  {[...services.services].sort(worstFirst).map((service) => (
                    <li key={service.definition.id} data-service-id={service.definition.id}>
                      <span className="topology-service-name">{service.definition.name}</span>
                      <StatusPill status={service.status} />
                      <span className="muted topology-service-meta">
                        {service.checks.length === 1 ? '1 check' : `${service.checks.length} checks`}
                        {service.supervisor && ` · ${service.supervisor.state}`}
                      </span>
                    </li>
                  ))}
                </ul>
              ))}
          </section>
        </>
      )}
    </section>
  );
}

/** What a node last published about itself: load, checks, alerts, tasks, and fleet config it could not apply. */
function SummaryFacts({ summary }: { summary: NodeSummary | undefined }) {
  return (
    <>
      {summary ? (
        <>
          <div>
            <dt>CPU · mem · disk</dt>
            <dd>
              {summaryPercent(summary.cpuPercent)} · {summaryPercent(summary.memoryPercent)} ·{' '}
              {summaryPercent(summary.diskPercent)}
            </dd>
          </div>
          <div>
            <dt>Checks</dt>
            <dd>
              {Object.entries(summary.checks).filter(([, n]) => n > 0).length === 0
                ? summary.services > 0
                  ? 'No results yet'
                  : 'None'
                : Object.entries(summary.checks)
                    .filter(([, n]) => n > 0)
                    .map(([status, n]) => `${n} ${statusLabels[status as CheckStatus].toLowerCase()}`)
                    .join(', ')}
            </dd>
          </div>
          <div>
            <dt>Open alerts</dt>
            <dd data-testid="open-alerts">{openAlertsText(summary.openAlerts)}</dd>
          </div>
          <div>
            <dt>Tasks</dt>
            <dd data-testid="queue-length">{queueLengthText(summary.tasks)}</dd>
          </div>
          <div>
            <dt>Summary</dt>
            <dd>
              published <Timestamp epochMs={summary.publishedAt} />
            </dd>
          </div>
          {summary.configErrors.length > 0 && (
            <div>
              <dt>Fleet config not applied</dt>
              <dd>
                <ul className="config-errors" data-testid="config-errors">
                  {summary.configErrors.map((problem) => (
                    <li key={`${problem.kind}/${problem.id}`}>
                      <strong>
                        {problem.kind} {problem.id}
                      </strong>
                      : {problem.error}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
        </>
      ) : (
        <div>
          <dt>Summary</dt>
          <dd className="muted">Not published yet</dd>
        </div>
      )}
    </>
  );
}

/** A member gone without a graceful leave: what the leader kept of it, until it returns or is forgotten. */
export function DownNodeCard({
  down,
  leaderId,
  onClose,
  onShow,
}: {
  down: DownMember;
  /** The leader keeps the list of down members: it alone can forget one. */
  leaderId: string | null;
  onClose(): void;
  onShow(id: string): void;
}) {
  const client = useClient();
  const headingId = useId();
  const now = useNow(1000);
  const [forgetting, setForgetting] = useState<{ pending: boolean; error: string | null }>({
    pending: false,
    error: null,
  });
  const forget = async () => {
    if (leaderId === null) return;
    setForgetting({ pending: true, error: null });
    try {
      // Once the facts the map draws from no longer list it, the node leaves the map and this card closes.
      await useClusterStore.getState().forgetMember(client, down.id, leaderId);
      onClose();
    } catch (error) {
      setForgetting({ pending: false, error: messageOf(error) });
    }
  };
  return (
    <section
      className="card topology-card"
      aria-labelledby={headingId}
      data-testid="topology-selected"
      data-node-id={down.id}
      data-status="down"
    >
      <DetailsHeader
        eyebrow="Selected node · down"
        name={down.name}
        id={down.id}
        headingId={headingId}
        onClose={onClose}
      />
      <p className="topology-pills">
        <MapStatusPill status="down" testId="topology-selected-health" />
      </p>
      <p className="muted topology-down-note">
        It left without a graceful stop (killed, crashed or cut off). This is its last record; it stays here until it
        returns or is forgotten.
      </p>
      <dl className="facts facts-compact">
        <div>
          <dt>Last seen</dt>
          <dd>
            <Moment epochMs={down.lastSeen} now={now} testId="topology-down-last-seen" />
          </dd>
        </div>
        {down.downSince !== undefined && (
          <div>
            <dt>Down since</dt>
            <dd>
              <Moment epochMs={down.downSince} now={now} testId="topology-down-since" />
            </dd>
          </div>
        )}
        <div>
          <dt>Role</dt>
          <dd>{down.role ?? 'Not known'}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{down.version ?? 'Not known'}</dd>
        </div>
        <div>
          <dt>Labels</dt>
          <dd>
            <LabelsList labels={down.labels ?? {}} />
          </dd>
        </div>
        <SummaryFacts summary={down.summary} />
      </dl>
      <p className="topology-card-actions">
        <button type="button" className="button" onClick={() => onShow(down.id)}>
          Centre on the map
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={leaderId === null || forgetting.pending}
          title={leaderId === null ? 'No leader to ask right now' : undefined}
          onClick={() => void forget()}
        >
          {forgetting.pending ? 'Forgetting…' : 'Forget'}
        </button>
      </p>
      {forgetting.error !== null && (
        <p className="field-error" role="alert" data-testid="topology-forget-error">
          Could not forget {down.name}: {forgetting.error}
        </p>
      )}
    </section>
  );
}
