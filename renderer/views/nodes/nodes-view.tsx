import { ViewPage } from '../../components/view-page.js';
import { ErrorNotice } from '../../components/card.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { ClockSkewBanner } from '../../components/clock-skew-banner.js';
import { DisksTable } from './disks-table.js';
import { MembersTable } from './members-table.js';
import { ResourceCharts } from './resource-charts.js';
import { ThisNodeCard } from './this-node-card.js';
import './nodes-view.css';

export function NodesView() {
  const self = useNodesStore(nodesSelectors.self);
  const selfReceivedAt = useNodesStore(nodesSelectors.selfReceivedAt);
  const members = useNodesStore(nodesSelectors.members);
  const loading = useNodesStore(nodesSelectors.loading);
  const error = useNodesStore(nodesSelectors.error);
  return (
    <ViewPage title="Nodes" lead="This node and every member of its fleet, updated live.">
      <ErrorNotice lead="Could not load from the agent" error={error} />
      <ClockSkewBanner members={members} />
      {self && selfReceivedAt !== null ? (
        <ThisNodeCard status={self} receivedAt={selfReceivedAt} />
      ) : (
        <p className="card notice">{loading ? 'Loading this node…' : 'Waiting for the agent…'}</p>
      )}
      {self?.resources && <DisksTable disks={self.resources.disks} dataDirMount={self.resources.disk.mount} />}
      <ResourceCharts />
      <MembersTable members={members} selfId={self?.id} />
    </ViewPage>
  );
}
