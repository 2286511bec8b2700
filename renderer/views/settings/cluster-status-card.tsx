import { Card } from '../../components/card.js';
import type { ClusterStatus } from '../../../shared/node.js';
import { ClusterBanners } from '../../components/cluster-banners.js';
import { Timestamp } from '../../components/timestamp.js';
import { clusterSelectors, useClusterStore } from '../../stores/cluster-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';

const backendNames: Record<ClusterStatus['backend'], string> = {
  local: 'Local (embedded, this node only)',
  etcd: 'etcd',
};

const stateNames: Record<ClusterStatus['state'], string> = {
  connecting: 'Connecting',
  connected: 'Connected',
  lost: 'Lost — working locally, retrying',
  closed: 'Closed',
};

/** The coordination backend this agent runs with, as `cluster.status` reports it. */
export function ClusterStatusCard() {
  const status = useClusterStore(clusterSelectors.status);
  const error = useClusterStore(clusterSelectors.error);
  const members = useNodesStore(nodesSelectors.members);
  const leaderName = status?.leader
    ? (members.find((member) => member.id === status.leader!.id)?.name ?? status.leader.id)
    : null;
  return (
    <Card title="Cluster connection" errorLead="Could not read the cluster status" error={error}>
      <div className="settings-banners">
        <ClusterBanners />
      </div>
      <dl className="facts">
        <div>
          <dt>Backend</dt>
          <dd data-testid="settings-cluster-backend">{status ? backendNames[status.backend] : 'Unknown'}</dd>
        </div>
        <div>
          <dt>State</dt>
          <dd data-testid="settings-cluster-state" data-state={status?.state}>
            {status ? stateNames[status.state] : 'Unknown'}
          </dd>
        </div>
        <div>
          <dt>Last error</dt>
          <dd>{status?.lastError ?? <span className="muted">None</span>}</dd>
        </div>
        <div>
          <dt>Leader</dt>
          <dd>
            {status?.leader ? (
              <>
                {leaderName} <span className="muted">since</span> <Timestamp epochMs={status.leader.since} />
              </>
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Members</dt>
          <dd>{members.length}</dd>
        </div>
      </dl>
    </Card>
  );
}
