import { ClockSkewBanner } from './clock-skew-banner.js';
import { clusterSelectors, useClusterStore } from '../stores/cluster-store.js';
import { nodesSelectors, useNodesStore } from '../stores/nodes-store.js';

/**
 * What an operator must not miss about coordination: the backend is unreachable (the node goes on alone),
 * more than one member acts as leader (split brain), or a member's clock is off from this node's.
 */
export function ClusterBanners() {
  const status = useClusterStore(clusterSelectors.status);
  const members = useNodesStore(nodesSelectors.members);
  if (!status) return null;
  const nameOf = (id: string) => members.find((member) => member.id === id)?.name ?? id;
  return (
    <>
      {status.state === 'lost' && (
        <p className="notice notice-error banner" role="alert" data-testid="cluster-banner-lost">
          <strong>Coordination lost:</strong> {status.lastError ?? 'the backend does not answer'} — this node keeps
          working locally.
        </p>
      )}
      {status.leaderClaims.length > 1 && (
        <p className="notice notice-error banner" role="alert" data-testid="cluster-banner-split-brain">
          <strong>Split brain:</strong> {status.leaderClaims.length} members claim leadership at once (
          {status.leaderClaims.map(nameOf).join(', ')}). Their decisions may conflict until one of them steps down.
        </p>
      )}
      <ClockSkewBanner members={members} />
      {status.state === 'connecting' && (
        <p className="notice banner" role="status" data-testid="cluster-banner-connecting">
          Connecting to the {status.backend} coordination backend…
        </p>
      )}
    </>
  );
}
