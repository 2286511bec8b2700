import type { TopologyGrouping } from '../../stores/topology-store.js';
import { mapStatusIndex, mapStatusLabels, mapStatusSeverity, type MapNode } from './map-status.js';
import { SpatialGrid } from './spatial-grid.js';

/** World units: at zoom 1 one unit is one CSS pixel. */
export const NODE_RADIUS = 9;
const SPACING = 27;
const GROUP_GAP = 56;
const HUB_GAP = 110;
const GRID_CELL = 64;
/** Vogel's sunflower: points at sqrt-growing radii, turned by the golden angle, pack a disc evenly. */
const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
const SUNFLOWER_STEP = SPACING * 0.56;
/** Small groups read better as a ring than as a sunflower. */
const RING_MAX = 8;
/** Screen room a node's name needs between neighbours. */
const LABEL_ROOM_PX = 72;
/** Distance between neighbours in a sunflower: each point has about π·step² of the disc to itself. */
const SUNFLOWER_NEIGHBOUR = SUNFLOWER_STEP * Math.sqrt(Math.PI);

export interface TopologyGroup {
  key: string;
  /** Drawn above the group: what its members share and how many they are. */
  caption: string;
  x: number;
  y: number;
  radius: number;
  count: number;
}

/** Everything the canvas draws, in flat typed arrays indexed by node. */
export interface TopologyScene {
  count: number;
  /** In layout order: index i of every array below is `nodes[i]`. */
  nodes: readonly MapNode[];
  indexById: ReadonlyMap<string, number>;
  x: Float32Array;
  y: Float32Array;
  /** Each node's index in `mapStatuses` (its colour). */
  status: Uint8Array;
  isConsole: Uint8Array;
  groupOf: Int32Array;
  /** -1 when no member is the leader. */
  leaderIndex: number;
  groups: readonly TopologyGroup[];
  /** The fleet itself, above the groups. */
  hub: { x: number; y: number; caption: string };
  bounds: { minX: number; minY: number; maxX: number; maxY: number };
  grid: SpatialGrid;
  /** From this zoom on, neighbours are far enough apart on screen for every node to be named. */
  labelScale: number;
}

interface GroupDraft {
  key: string;
  label: string;
  order: number;
  nodes: MapNode[];
}

function groupOf(node: MapNode, grouping: TopologyGrouping): { key: string; label: string; order: number } {
  switch (grouping.by) {
    case 'none':
      return { key: 'all', label: 'All nodes', order: 0 };
    case 'role':
      return node.role === 'console'
        ? { key: 'console', label: 'Consoles', order: 1 }
        : { key: 'agent', label: 'Agents', order: 0 };
    case 'health':
      return { key: node.status, label: mapStatusLabels[node.status], order: mapStatusSeverity[node.status] };
    case 'label': {
      const value = node.labels[grouping.key];
      return value === undefined
        ? { key: '\u0000none', label: `no ${grouping.key}`, order: 1 }
        : { key: value, label: `${grouping.key}=${value}`, order: 0 };
    }
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lays the fleet out deterministically: the same members and grouping always give the same picture. Groups
 * are sorted (by key, or worst health first), each packed as a ring or a sunflower disc of its members
 * sorted by name then id, and the discs are shelved in rows under the fleet's hub.
 */
export function layoutTopology(
  nodes: readonly MapNode[],
  grouping: TopologyGrouping,
  leaderId: string | null,
  hubCaption: string,
): TopologyScene {
  const drafts = new Map<string, GroupDraft>();
  for (const node of nodes) {
    const { key, label, order } = groupOf(node, grouping);
    let draft = drafts.get(key);
    if (!draft) drafts.set(key, (draft = { key, label, order, nodes: [] }));
    draft.nodes.push(node);
  }
  const sortedGroups = [...drafts.values()].sort((a, b) => a.order - b.order || byText(a.key, b.key));

  const count = nodes.length;
  const ordered: MapNode[] = [];
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const status = new Uint8Array(count);
  const isConsole = new Uint8Array(count);
  const groupIndex = new Int32Array(count);
  const groups: TopologyGroup[] = [];

  // First pass: each group's radius and its members' offsets from the group centre.
  let closest = Infinity;
  const offsets: { dx: Float32Array; dy: Float32Array; radius: number }[] = sortedGroups.map((group) => {
    group.nodes.sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id));
    const n = group.nodes.length;
    const dx = new Float32Array(n);
    const dy = new Float32Array(n);
    if (n === 1) return { dx, dy, radius: SPACING * 1.5 };
    if (n <= RING_MAX) {
      const ring = Math.max(SPACING * 1.6, (SPACING * 1.3 * n) / (2 * Math.PI));
      for (let i = 0; i < n; i++) {
        const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
        dx[i] = ring * Math.cos(angle);
        dy[i] = ring * Math.sin(angle);
      }
      closest = Math.min(closest, 2 * ring * Math.sin(Math.PI / n));
      return { dx, dy, radius: ring + SPACING * 1.2 };
    }
    closest = Math.min(closest, SUNFLOWER_NEIGHBOUR);
    for (let i = 0; i < n; i++) {
      const r = SUNFLOWER_STEP * Math.sqrt(i + 0.5);
      const angle = i * GOLDEN_ANGLE;
      dx[i] = r * Math.cos(angle);
      dy[i] = r * Math.sin(angle);
    }
    return { dx, dy, radius: SUNFLOWER_STEP * Math.sqrt(n) + SPACING };
  });

  // Second pass: shelve the discs in rows about as wide as the whole picture is tall, each row centred.
  const diameters = offsets.map((o) => o.radius * 2);
  const widest = Math.max(0, ...diameters);
  const rowWidth = Math.max(widest, Math.sqrt(diameters.reduce((sum, d) => sum + (d + GROUP_GAP) ** 2, 0)) * 1.6);
  const rows: number[][] = [];
  let rowUsed = Infinity;
  diameters.forEach((diameter, index) => {
    if (rowUsed + GROUP_GAP + diameter > rowWidth) {
      rows.push([]);
      rowUsed = -GROUP_GAP;
    }
    rows.at(-1)!.push(index);
    rowUsed += GROUP_GAP + diameter;
  });
  const centres = new Array<{ x: number; y: number }>(sortedGroups.length);
  let rowTop = 0;
  for (const row of rows) {
    const width = row.reduce((sum, index) => sum + diameters[index]!, 0) + GROUP_GAP * (row.length - 1);
    const height = Math.max(...row.map((index) => diameters[index]!));
    let left = -width / 2;
    for (const index of row) {
      centres[index] = { x: left + diameters[index]! / 2, y: rowTop + diameters[index]! / 2 };
      left += diameters[index]! + GROUP_GAP;
    }
    rowTop += height + GROUP_GAP;
  }

  let leaderIndex = -1;
  sortedGroups.forEach((group, g) => {
    const centre = centres[g]!;
    const { dx, dy, radius } = offsets[g]!;
    groups.push({
      key: group.key,
      caption: `${group.label} · ${group.nodes.length}`,
      x: centre.x,
      y: centre.y,
      radius,
      count: group.nodes.length,
    });
    group.nodes.forEach((node, i) => {
      const index = ordered.length;
      ordered.push(node);
      x[index] = centre.x + dx[i]!;
      y[index] = centre.y + dy[i]!;
      status[index] = mapStatusIndex[node.status];
      isConsole[index] = node.role === 'console' ? 1 : 0;
      groupIndex[index] = g;
      if (!node.down && (node.id === leaderId || (leaderId === null && node.member?.leader === true))) {
        leaderIndex = index;
      }
    });
  });

  const hub = { x: 0, y: -HUB_GAP, caption: hubCaption };
  const bounds = { minX: -40, minY: hub.y - 40, maxX: 40, maxY: 0 };
  for (const group of groups) {
    bounds.minX = Math.min(bounds.minX, group.x - group.radius);
    bounds.maxX = Math.max(bounds.maxX, group.x + group.radius);
    bounds.maxY = Math.max(bounds.maxY, group.y + group.radius);
  }

  return {
    count,
    nodes: ordered,
    indexById: new Map(ordered.map((node, index) => [node.id, index])),
    x,
    y,
    status,
    isConsole,
    groupOf: groupIndex,
    leaderIndex,
    groups,
    hub,
    bounds,
    grid: new SpatialGrid(x, y, count, GRID_CELL),
    labelScale: Number.isFinite(closest) ? LABEL_ROOM_PX / closest : 0,
  };
}
