import { useCallback, useMemo, useState } from 'react';
import type { Member } from '../../../shared/node.js';
import { ClusterBanners } from '../../components/cluster-banners.js';
import { ViewPage } from '../../components/view-page.js';
import { formatCount } from '../../format/numbers.js';
import { labelKeys, matchesLabels, matchesQuery, parseLabelFilter } from '../../fleet/member-filters.js';
import { clusterSelectors, useClusterStore } from '../../stores/cluster-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { topologySelectors, useTopologyStore } from '../../stores/topology-store.js';
import { TopologyCanvas, type FocusRequest } from './topology-canvas.js';
import { healthOrder, layoutTopology } from './topology-layout.js';
import { TopologyLegend } from './topology-legend.js';
import { FleetFactsCard, LeaderCard, SelectedNodeCard } from './topology-side-panel.js';
import { groupingValue, TopologyToolbar } from './topology-toolbar.js';
import './topology-view.css';

const matchRank = (member: Member, query: string) => {
  const name = member.name.toLowerCase();
  if (name === query || member.id === query) return 0;
  return name.startsWith(query) || member.id.startsWith(query) ? 1 : 2;
};
const byName = (a: Member, b: Member) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1);

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The fleet as a map: the cluster, its nodes grouped and coloured by health, the leader crowned. */
export function TopologyView() {
  const members = useNodesStore(nodesSelectors.members);
  const status = useClusterStore(clusterSelectors.status);
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
    () => (selectors.length === 0 ? members : members.filter((member) => matchesLabels(member.labels, selectors))),
    [members, selectors],
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
    const ranked: { member: Member; rank: number }[] = [];
    for (let i = 0; i < scene.count; i++) {
      const member = scene.members[i]!;
      if (!matchesQuery(member, query)) continue;
      mask[i] = 1;
      ranked.push({ member, rank: matchRank(member, query) });
    }
    // Best first, so Enter goes to the node the user most likely means: exact, then prefix, then the rest.
    ranked.sort((a, b) => a.rank - b.rank || byName(a.member, b.member));
    return { mask, list: ranked.map((entry) => entry.member) };
  }, [scene, query]);

  const satellites = useMemo(() => {
    const services = selectedServices?.services;
    if (!services) return null;
    return Uint8Array.from(services, (service) => healthOrder.indexOf(service.status));
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
    (index: number) => select(index >= 0 ? (scene.members[index]?.id ?? null) : null),
    [scene, select],
  );

  const selectedIndex = selectedId === null ? -1 : (scene.indexById.get(selectedId) ?? -1);
  const selectedMember = selectedId === null ? undefined : members.find((member) => member.id === selectedId);
  const leaderMember = leaderId === null ? undefined : members.find((member) => member.id === leaderId);
  const leaderName = leaderMember?.name ?? leaderId;
  const summary =
    `Map of ${plural(scene.count, 'node', 'nodes')} in ${plural(scene.groups.length, 'group', 'groups')}` +
    (leaderName ? `; ${leaderName} leads.` : '; no leader.');

  return (
    <ViewPage
      title="Topology"
      lead="The fleet at a glance: every member, coloured by the health of its services, and the node that leads."
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
          <p className="topology-count muted" data-testid="topology-count">
            Showing {formatCount(scene.count)} of {plural(members.length, 'node', 'nodes')}
          </p>
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
          <TopologyLegend />
        </section>
        <aside className="topology-side" aria-label="Details">
          <LeaderCard leader={status?.leader ?? null} member={leaderMember} onShow={pick} />
          {selectedId !== null && (
            <SelectedNodeCard
              key={selectedId}
              memberId={selectedId}
              member={selectedMember}
              onClose={() => select(null)}
              onShow={show}
            />
          )}
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
