import { useCallback, useMemo, useState } from 'react';
import { ClusterBanners } from '../../components/cluster-banners.js';
import { ViewPage } from '../../components/view-page.js';
import { formatCount } from '../../format/numbers.js';
import { labelKeys, matchesLabels, matchesQuery, parseLabelFilter } from '../../fleet/member-filters.js';
import { clusterSelectors, useClusterStore } from '../../stores/cluster-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { topologySelectors, useTopologyStore } from '../../stores/topology-store.js';
import { TopologyCanvas, type FocusRequest } from './topology-canvas.js';
import { mapNodes, mapStatusIndex, type MapNode } from './map-status.js';
import { layoutTopology } from './topology-layout.js';
import { TopologyLegend } from './topology-legend.js';
import { DownNodeCard, FleetFactsCard, LeaderCard, SelectedNodeCard } from './topology-side-panel.js';
import { groupingValue, TopologyToolbar } from './topology-toolbar.js';
import './topology-view.css';

const matchRank = (node: MapNode, query: string) => {
  const name = node.name.toLowerCase();
  if (name === query || node.id === query) return 0;
  return name.startsWith(query) || node.id.startsWith(query) ? 1 : 2;
};
const byName = (a: MapNode, b: MapNode) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1);

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

const noneDown: readonly never[] = [];
const NAMES_SPOKEN = 5;
const namesText = (names: readonly string[]) =>
  names.slice(0, NAMES_SPOKEN).join(', ') +
  (names.length > NAMES_SPOKEN ? ` and ${formatCount(names.length - NAMES_SPOKEN)} more` : '');

/** The fleet as a map: the cluster, its nodes grouped and coloured by health, alerts and liveness, the leader crowned. */
export function TopologyView() {
  const members = useNodesStore(nodesSelectors.members);
  const status = useClusterStore(clusterSelectors.status);
  const membersDown = status?.facts?.membersDown ?? noneDown;
  const nodes = useMemo(() => mapNodes(members, membersDown), [members, membersDown]);
  const selectedId = useTopologyStore(topologySelectors.selectedId);
  const search = useTopologyStore(topologySelectors.search);
  const labelFilter = useTopologyStore(topologySelectors.labelFilter);
  const grouping = useTopologyStore(topologySelectors.grouping);
  const selectedServices = useTopologyStore(topologySelectors.services(selectedId));
  const { select, setSearch, setLabelFilter, setGrouping } = useTopologyStore.getState();
  const [focus, setFocus] = useState<FocusRequest | null>(null);

  const filter = useMemo(() => parseLabelFilter(labelFilter), [labelFilter]);
  const keys = useMemo(() => labelKeys(members), [members]);
  // While the filter text is not valid yet, the map keeps showing everything rather than flickering to empty.
  const selectors = useMemo(() => (filter.ok ? filter.selectors : []), [filter]);
  const shown = useMemo(
    () => (selectors.length === 0 ? nodes : nodes.filter((node) => matchesLabels(node.labels, selectors))),
    [nodes, selectors],
  );
  const leaderId = status?.leader?.id ?? members.find((member) => member.leader)?.id ?? null;
  const hubCaption = status ? `Fleet (${status.backend})` : 'Fleet';
  const scene = useMemo(
    () => layoutTopology(shown, grouping, leaderId, hubCaption),
    [shown, grouping, leaderId, hubCaption],
  );
  const layoutKey = `${groupingValue(grouping)}|${selectors.map((s) => `${s.key}=${s.value}`).join(',')}`;

  const query = search.trim().toLowerCase();
  const matches = useMemo(() => {
    if (query === '') return null;
    const mask = new Uint8Array(scene.count);
    const ranked: { node: MapNode; rank: number }[] = [];
    for (let i = 0; i < scene.count; i++) {
      const node = scene.nodes[i]!;
      if (!matchesQuery(node, query)) continue;
      mask[i] = 1;
      ranked.push({ node, rank: matchRank(node, query) });
    }
    // Best first, so Enter goes to the node the user most likely means: exact, then prefix, then the rest.
    ranked.sort((a, b) => a.rank - b.rank || byName(a.node, b.node));
    return { mask, list: ranked.map((entry) => entry.node) };
  }, [scene, query]);

  const satellites = useMemo(() => {
    const services = selectedServices?.services;
    if (!services) return null;
    return Uint8Array.from(services, (service) => mapStatusIndex[service.status]);
  }, [selectedServices]);

  const show = useCallback((id: string) => setFocus((previous) => ({ id, seq: (previous?.seq ?? 0) + 1 })), []);
  const pick = useCallback(
    (id: string) => {
      select(id);
      show(id);
    },
    [select, show],
  );
  const onSelect = useCallback(
    (index: number) => select(index >= 0 ? (scene.nodes[index]?.id ?? null) : null),
    [scene, select],
  );

  const selectedIndex = selectedId === null ? -1 : (scene.indexById.get(selectedId) ?? -1);
  const selectedNode = selectedId === null ? undefined : nodes.find((node) => node.id === selectedId);
  const leaderMember = leaderId === null ? undefined : members.find((member) => member.id === leaderId);
  const leaderName = leaderMember?.name ?? leaderId;
  const downNames = shown.filter((node) => node.down).map((node) => node.name);
  const summary =
    `Map of ${plural(scene.count, 'node', 'nodes')} in ${plural(scene.groups.length, 'group', 'groups')}` +
    (downNames.length > 0 ? `; ${formatCount(downNames.length)} down: ${namesText(downNames)}` : '') +
    (leaderName ? `; ${leaderName} leads.` : '; no leader.');

  return (
    <ViewPage
      title="Topology"
      lead="The fleet at a glance: every member, coloured by its services' health and its firing alerts, the members that are down or overdue, and the node that leads."
      className="view-wide"
    >
      <ClusterBanners />
      <TopologyToolbar
        search={search}
        onSearch={setSearch}
        matches={matches?.list ?? null}
        onPick={pick}
        labelFilter={labelFilter}
        labelFilterError={filter.ok ? undefined : filter.error}
        onLabelFilter={setLabelFilter}
        grouping={grouping}
        labelKeys={keys}
        onGrouping={setGrouping}
      />
      <div className="topology-layout">
        <section className="card topology-map" aria-label="Fleet map">
          <div className="topology-map-header">
            <p className="topology-count muted" data-testid="topology-count">
              Showing {formatCount(scene.count)} of {plural(nodes.length, 'node', 'nodes')}
            </p>
            <TopologyLegend />
          </div>
          <TopologyCanvas
            scene={scene}
            layoutKey={layoutKey}
            highlights={matches?.mask ?? null}
            highlightCount={matches?.list.length ?? 0}
            selectedIndex={selectedIndex}
            satellites={selectedIndex >= 0 ? satellites : null}
            focus={focus}
            summary={summary}
            onSelect={onSelect}
          />
        </section>
        <aside className="topology-side" aria-label="Details">
          <LeaderCard leader={status?.leader ?? null} member={leaderMember} onShow={pick} />
          {selectedId !== null &&
            (selectedNode?.down ? (
              <DownNodeCard
                key={selectedId}
                down={selectedNode.down}
                leaderId={leaderId}
                onClose={() => select(null)}
                onShow={show}
              />
            ) : (
              <SelectedNodeCard
                key={selectedId}
                memberId={selectedId}
                member={selectedNode?.member}
                onClose={() => select(null)}
                onShow={show}
              />
            ))}
          <FleetFactsCard status={status} members={members} />
          {selectedId === null && (
            <p className="muted topology-hint">
              Click a node on the map, or search for it by name or id, to see its details and services.
            </p>
          )}
        </aside>
      </div>
    </ViewPage>
  );
}
