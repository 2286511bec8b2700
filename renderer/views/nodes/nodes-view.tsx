import { useClient } from '../../client/client-context.js';
import { ViewPage } from '../../components/view-page.js';
import { ErrorNotice } from '../../components/card.js';
import { clusterSelectors, useClusterStore } from '../../stores/cluster-store.js';
import { memberDetailsSelectors, useMemberDetailsStore } from '../../stores/member-details-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { ClockSkewBanner } from '../../components/clock-skew-banner.js';
import { DisksTable } from './disks-table.js';
import { MemberDetails } from './member-details.js';
import { MembersTable } from './members-table.js';
import { ResourceCharts } from './resource-charts.js';
import { ThisNodeCard } from './this-node-card.js';
import './nodes-view.css';

const noneDown: never[] = [];

/** The fleet table first, a row opening that member's details; this node's own card and charts below it. */
export function NodesView() {
  const self = useNodesStore(nodesSelectors.self);
  const selfReceivedAt = useNodesStore(nodesSelectors.selfReceivedAt);
  const members = useNodesStore(nodesSelectors.members);
  const loading = useNodesStore(nodesSelectors.loading);
  const error = useNodesStore(nodesSelectors.error);
  const down = useClusterStore(clusterSelectors.facts)?.membersDown ?? noneDown;
  const leader = useClusterStore(clusterSelectors.leader);
  const client = useClient();
  const selectedId = useMemberDetailsStore(memberDetailsSelectors.selectedId);
  const forgetError = useMemberDetailsStore(memberDetailsSelectors.forgetError);
  const { select, forget } = useMemberDetailsStore.getState();
  // Only the leader rewrites the fleet facts: asked through it, unless this node leads.
  const onForget = (id: string) => void forget(client, id, leader && leader.id !== self?.id ? leader.id : null);
  return (
    <ViewPage
      title="Nodes"
      lead="Every member of the fleet, updated live; this node's resources below."
      className="nodes-view"
    >
      <ErrorNotice lead="Could not load from the agent" error={error} />
      <ClockSkewBanner members={members} />
      <ErrorNotice lead="Could not forget the member" error={forgetError} />
      <MembersTable
        members={members}
        down={down}
        selfId={self?.id}
        selectedId={selectedId}
        onOpen={select}
        onForget={onForget}
      />
      {selectedId !== null && (
        <MemberDetails
          memberId={selectedId}
          member={members.find((member) => member.id === selectedId)}
          down={down.find((member) => member.id === selectedId)}
          self={self}
          onClose={() => select(null)}
          onForget={onForget}
        />
      )}
      {self && selfReceivedAt !== null ? (
        <ThisNodeCard status={self} receivedAt={selfReceivedAt} />
      ) : (
        <p className="card notice">{loading ? 'Loading this node…' : 'Waiting for the agent…'}</p>
      )}
      {self?.resources && <DisksTable disks={self.resources.disks} dataDirMount={self.resources.disk.mount} />}
      <ResourceCharts />
    </ViewPage>
  );
}
