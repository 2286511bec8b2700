import type { NodeStatus } from '../../../shared/node.js';
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
      <dl className="facts facts-columns">
        <div>
          <dt>Role</dt>
          <dd>{status.role}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{status.version}</dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd>
            <Uptime reportedSeconds={status.uptimeSeconds} receivedAt={receivedAt} />
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <Timestamp epochMs={status.startedAt} />
          </dd>
        </div>
        <div className="facts-wide">
          <dt>Labels</dt>
          <dd>
            <LabelsList labels={status.labels} />
          </dd>
        </div>
      </dl>
      <ResourceTiles sample={status.resources} />
    </section>
  );
}
