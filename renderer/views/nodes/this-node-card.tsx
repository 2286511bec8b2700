import type { NodeStatus } from '../../../shared/node.js';
import { Facts } from '../../components/facts.js';
import { LeaderBadge } from '../../components/leader-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { LabelsList } from '../../components/labels-list.js';
import { ResourceTiles } from './resource-tiles.js';
import { Uptime } from './uptime.js';

/** The node this window is connected to: identity, leadership, uptime and latest resources. */
export function ThisNodeCard({ status, receivedAt }: { status: NodeStatus; receivedAt: number }) {
  return (
    <section className="card this-node" aria-label="This node">
      <header className="card-header">
        <div>
          <p className="eyebrow">This node</p>
          <h2 className="node-name">{status.name}</h2>
          <p className="node-id">
            <code>{status.id}</code>
          </p>
        </div>
        {status.leader ? <LeaderBadge testId="leader-badge" /> : <span className="badge">Follower</span>}
      </header>
      <Facts
        className="facts facts-columns"
        facts={[
          { label: 'Role', value: status.role },
          { label: 'Version', value: status.version },
          { label: 'Uptime', value: <Uptime reportedSeconds={status.uptimeSeconds} receivedAt={receivedAt} /> },
          { label: 'Started', value: <Timestamp epochMs={status.startedAt} /> },
          { label: 'Labels', value: <LabelsList labels={status.labels} />, className: 'facts-wide' },
        ]}
      />
      <ResourceTiles sample={status.resources} />
    </section>
  );
}
