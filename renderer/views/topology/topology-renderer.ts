import { mapStatuses, mapStatusIndex } from './map-status.js';
import { NODE_RADIUS, type TopologyScene } from './topology-layout.js';

/** Colours resolved from CSS custom properties once, so the canvas uses the same palette as the rest of the UI. */
export interface TopologyPalette {
  /** Indexed like `mapStatuses`: passing, warning, critical, flapping, unknown, stale, down. */
  status: readonly string[];
  background: string;
  hub: string;
  groupFill: string;
  groupStroke: string;
  edge: string;
  text: string;
  muted: string;
  match: string;
  selection: string;
  leader: string;
  leaderFill: string;
}

/** What the benchmark and tests read from `window.__fleetdeckTopologyStats`. */
export interface TopologyStats {
  /** Frames drawn since the view opened. */
  frames: number;
  /** How long the last frame took to draw (ms). */
  lastFrameMs: number;
  /** Nodes in the scene, and how many of them the last picture drew after culling (viewport and its margin). */
  nodes: number;
  visible: number;
  /** Search matches highlighted. */
  highlighted: number;
  /** Nodes in the scene by status, indexed like `mapStatuses` (e.g. how many are drawn as down). */
  byStatus: number[];
  /** True while the camera glides (centring, zoom buttons); tests wait for it to settle. */
  animating: boolean;
  /** `performance.now()` of the first frame drawn after the number of nodes last changed. */
  sceneDrawnAt: number;
  /** The last `ring` frames: draw time (ms) and start time (`performance.now()`), at index `frame % ring`. */
  ring: number;
  frameMs: Float64Array;
  frameAt: Float64Array;
}

declare global {
  interface Window {
    __fleetdeckTopologyStats?: TopologyStats;
  }
}

const RING = 1024;
const MIN_SCALE = 0.04;
const MAX_SCALE = 8;
/** Fitting never zooms in past this: a three-node fleet should not fill the screen with three huge dots. */
const MAX_FIT_SCALE = 2.5;
const FIT_PADDING = 48;
/** Below this on-screen radius a node is a square: cheaper than an arc and indistinguishable. */
const ARC_MIN_PX = 1.8;
const LABEL_LIMIT = 600;
const LABEL_WIDTH = 120;
const SMALL_SCENE = 150;
const HUB_RADIUS_PX = 9;
const TWO_PI = Math.PI * 2;
/** Stale and down nodes are drawn as outlines: what they last said no longer holds. */
const FIRST_HOLLOW = mapStatusIndex.stale;
const DOWN = mapStatusIndex.down;
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const FONT_BOLD = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

interface CameraAnimation {
  active: boolean;
  start: number;
  duration: number;
  fromX: number;
  fromY: number;
  fromScale: number;
  toX: number;
  toY: number;
  toScale: number;
}

/**
 * Draws the fleet on a 2D canvas on demand: one frame per requested change (pan, zoom, data), never a
 * running loop. Nodes outside the viewport are culled through the scene's spatial grid, nodes of one colour
 * are filled as one path, and nothing is allocated while a frame is drawn.
 */
export class TopologyRenderer {
  private readonly ctx: CanvasRenderingContext2D;
  /**
   * The picture (groups, nodes, labels) drawn into a bitmap a margin larger than the view on every side, so a pan
   * only moves it: redrawing thousands of nodes costs a software rasteriser far more than the draw calls show.
   * Drawn again when anything but the camera's position changes, or the camera leaves the margin.
   */
  private readonly layer: HTMLCanvasElement;
  private readonly layerCtx: CanvasRenderingContext2D;
  private layerStale = true;
  private layerCx = 0;
  private layerCy = 0;
  private layerScale = 0;
  private layerMargin = 0;
  private layerDrawn = 0;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private cx = 0;
  private cy = 0;
  private scale = 1;
  private scene: TopologyScene | null = null;
  private visible = new Int32Array(0);
  /** The visible nodes sorted by status (a counting sort per frame): status c is `byStatus[statusStart[c]..[c + 1]]`. */
  private byStatus = new Int32Array(0);
  private readonly statusStart = new Int32Array(mapStatuses.length + 1);
  private readonly statusFill = new Int32Array(mapStatuses.length);
  private highlighted: Uint8Array | null = null;
  private selected = -1;
  private hovered = -1;
  private satellites: Uint8Array | null = null;
  private frameId = 0;
  private sceneCountChanged = false;
  /** Until the user pans or zooms, every new scene is fitted to the canvas. */
  private userMoved = false;
  private readonly animation: CameraAnimation = {
    active: false,
    start: 0,
    duration: 0,
    fromX: 0,
    fromY: 0,
    fromScale: 1,
    toX: 0,
    toY: 0,
    toScale: 1,
  };
  readonly stats: TopologyStats = {
    frames: 0,
    lastFrameMs: 0,
    nodes: 0,
    visible: 0,
    highlighted: 0,
    byStatus: mapStatuses.map(() => 0),
    animating: false,
    sceneDrawnAt: 0,
    ring: RING,
    frameMs: new Float64Array(RING),
    frameAt: new Float64Array(RING),
  };

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private palette: TopologyPalette,
  ) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('this browser has no 2D canvas');
    this.ctx = ctx;
    this.layer = document.createElement('canvas');
    const layerCtx = this.layer.getContext('2d', { alpha: false });
    if (!layerCtx) throw new Error('this browser has no 2D canvas');
    this.layerCtx = layerCtx;
    window.__fleetdeckTopologyStats = this.stats;
  }

  destroy(): void {
    if (this.frameId) cancelAnimationFrame(this.frameId);
    this.frameId = 0;
    this.animation.active = false;
  }

  setPalette(palette: TopologyPalette): void {
    this.palette = palette;
    this.layerStale = true;
    this.requestDraw();
  }

  /** CSS size of the canvas and the device pixel ratio; the backing store follows both. */
  setSize(width: number, height: number, dpr: number): void {
    if (width === this.width && height === this.height && dpr === this.dpr) return;
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.layerStale = true;
    if (!this.userMoved) this.fit(false);
    this.requestDraw();
  }

  /** `refit`: the picture changed shape (grouping, filter), so the camera starts over. */
  setScene(scene: TopologyScene, refit: boolean): void {
    if (scene.count !== this.scene?.count) this.sceneCountChanged = true;
    this.scene = scene;
    this.layerStale = true;
    this.stats.byStatus.fill(0);
    for (let i = 0; i < scene.count; i++) this.stats.byStatus[scene.status[i]!]! += 1;
    if (this.visible.length < scene.count) {
      this.visible = new Int32Array(scene.count);
      this.byStatus = new Int32Array(scene.count);
    }
    if (refit) this.userMoved = false;
    if (!this.userMoved) this.fit(false);
    this.requestDraw();
  }

  /** One byte per node (1: a search match), or null for no search. */
  setHighlights(mask: Uint8Array | null, count: number): void {
    this.layerStale = true;
    this.highlighted = mask;
    this.stats.highlighted = count;
    this.requestDraw();
  }

  setSelected(index: number): void {
    this.layerStale = true;
    this.selected = index;
    this.requestDraw();
  }

  /** Health indices of the selected node's services, drawn around it once they are known. */
  setSatellites(satellites: Uint8Array | null): void {
    this.layerStale = true;
    this.satellites = satellites;
    this.requestDraw();
  }

  setHovered(index: number): void {
    if (index === this.hovered) return;
    this.hovered = index;
    this.requestDraw();
  }

  panBy(dx: number, dy: number): void {
    this.userMoved = true;
    this.animation.active = false;
    this.cx -= dx / this.scale;
    this.cy -= dy / this.scale;
    this.requestDraw();
  }

  /** Zooms by `factor` keeping the world point under (sx, sy) in place, as a map does under the wheel. */
  zoomAt(sx: number, sy: number, factor: number): void {
    this.userMoved = true;
    this.animation.active = false;
    const next = clamp(this.scale * factor, MIN_SCALE, MAX_SCALE);
    const wx = this.cx + (sx - this.width / 2) / this.scale;
    const wy = this.cy + (sy - this.height / 2) / this.scale;
    this.scale = next;
    this.cx = wx - (sx - this.width / 2) / next;
    this.cy = wy - (sy - this.height / 2) / next;
    this.requestDraw();
  }

  /** Zoom buttons: about the centre, animated. */
  zoomBy(factor: number): void {
    this.userMoved = true;
    // Clicks in quick succession add up: each starts from where the previous one was heading.
    const a = this.animation;
    const [x, y, scale] = a.active ? [a.toX, a.toY, a.toScale] : [this.cx, this.cy, this.scale];
    this.animateTo(x, y, clamp(scale * factor, MIN_SCALE, MAX_SCALE));
  }

  fit(animated: boolean): void {
    const scene = this.scene;
    if (!scene || this.width === 0 || this.height === 0) return;
    const { minX, minY, maxX, maxY } = scene.bounds;
    const scale = clamp(
      Math.min(
        (this.width - FIT_PADDING * 2) / Math.max(1, maxX - minX),
        (this.height - FIT_PADDING * 2) / Math.max(1, maxY - minY),
      ),
      MIN_SCALE,
      MAX_FIT_SCALE,
    );
    if (animated) {
      this.userMoved = false;
      this.animateTo((minX + maxX) / 2, (minY + maxY) / 2, scale);
    } else {
      this.animation.active = false;
      this.cx = (minX + maxX) / 2;
      this.cy = (minY + maxY) / 2;
      this.scale = scale;
      this.requestDraw();
    }
  }

  /** Centres a node, zooming in far enough to tell it from its neighbours. */
  focus(index: number): void {
    const scene = this.scene;
    if (!scene || index < 0 || index >= scene.count) return;
    this.userMoved = true;
    this.animateTo(scene.x[index]!, scene.y[index]!, Math.max(this.scale, 2.2));
  }

  /** Where a node is on the canvas (CSS pixels), e.g. to place its tooltip. */
  toScreen(index: number): { x: number; y: number; radius: number } | null {
    const scene = this.scene;
    if (!scene || index < 0 || index >= scene.count) return null;
    return {
      x: (scene.x[index]! - this.cx) * this.scale + this.width / 2,
      y: (scene.y[index]! - this.cy) * this.scale + this.height / 2,
      radius: Math.max(NODE_RADIUS * this.scale, 2),
    };
  }

  /** The node under a point of the canvas (CSS pixels), or -1. */
  pick(sx: number, sy: number): number {
    const scene = this.scene;
    if (!scene) return -1;
    const wx = this.cx + (sx - this.width / 2) / this.scale;
    const wy = this.cy + (sy - this.height / 2) / this.scale;
    // Small on screen still means clickable: at least 6 CSS pixels of slack.
    return scene.grid.nearest(wx, wy, NODE_RADIUS + 6 / this.scale);
  }

  requestDraw(): void {
    if (this.frameId === 0) this.frameId = requestAnimationFrame(this.onFrame);
  }

  private animateTo(x: number, y: number, scale: number): void {
    const a = this.animation;
    a.active = true;
    a.start = performance.now();
    a.duration = 320;
    a.fromX = this.cx;
    a.fromY = this.cy;
    a.fromScale = this.scale;
    a.toX = x;
    a.toY = y;
    a.toScale = scale;
    this.stats.animating = true;
    this.requestDraw();
  }

  private readonly onFrame = (now: number): void => {
    this.frameId = 0;
    const a = this.animation;
    if (a.active) {
      const t = Math.min(1, (now - a.start) / a.duration);
      const eased = 1 - (1 - t) ** 3;
      // Interpolating the zoom logarithmically keeps the apparent speed even.
      this.scale = a.fromScale * (a.toScale / a.fromScale) ** eased;
      this.cx = a.fromX + (a.toX - a.fromX) * eased;
      this.cy = a.fromY + (a.toY - a.fromY) * eased;
      if (t >= 1) a.active = false;
      else this.frameId = requestAnimationFrame(this.onFrame);
    }
    this.draw();
    this.stats.animating = a.active;
  };

  private draw(): void {
    const started = performance.now();
    const { ctx, scene, scale, dpr, width, height } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    let drawn = 0;
    if (scene && width > 0 && height > 0) {
      const margin = this.layerMargin;
      const moved = Math.max(Math.abs(this.layerCx - this.cx), Math.abs(this.layerCy - this.cy)) * scale;
      if (this.layerStale || scale !== this.layerScale || moved > margin) this.drawLayer(scene);
      const offsetX = (this.layerCx - this.cx) * scale - this.layerMargin;
      const offsetY = (this.layerCy - this.cy) * scale - this.layerMargin;
      ctx.drawImage(this.layer, Math.round(offsetX * dpr), Math.round(offsetY * dpr));
      drawn = this.layerDrawn;
      this.drawHoverLabel(scene);
    }
    const finished = performance.now();
    const stats = this.stats;
    const slot = stats.frames % RING;
    stats.frameMs[slot] = finished - started;
    stats.frameAt[slot] = started;
    stats.frames += 1;
    stats.lastFrameMs = finished - started;
    stats.visible = drawn;
    stats.nodes = scene?.count ?? 0;
    if (this.sceneCountChanged) {
      this.sceneCountChanged = false;
      stats.sceneDrawnAt = finished;
    }
  }

  private drawLayer(scene: TopologyScene): void {
    const { width, height, dpr, layer, layerCtx } = this;
    // Half the view's shorter side: a drag that far draws the picture again; a bigger bitmap costs memory.
    const margin = Math.round(Math.min(width, height) / 2);
    const layerWidth = Math.round((width + margin * 2) * dpr);
    const layerHeight = Math.round((height + margin * 2) * dpr);
    if (layer.width !== layerWidth || layer.height !== layerHeight) {
      layer.width = layerWidth;
      layer.height = layerHeight;
    }
    layerCtx.setTransform(1, 0, 0, 1, 0, 0);
    layerCtx.fillStyle = this.palette.background;
    layerCtx.fillRect(0, 0, layerWidth, layerHeight);
    this.layerDrawn = this.drawScene(
      layerCtx,
      scene,
      this.palette,
      this.scale,
      dpr,
      width + margin * 2,
      height + margin * 2,
    );
    this.layerCx = this.cx;
    this.layerCy = this.cy;
    this.layerScale = this.scale;
    this.layerMargin = margin;
    this.layerStale = false;
  }

  /** The hovered node's name, over the picture: hovering must not draw the whole picture again. */
  private drawHoverLabel(scene: TopologyScene): void {
    const hovered = this.hovered;
    if (hovered < 0 || hovered >= scene.count || hovered === this.selected || this.scale >= scene.labelScale) return;
    const { ctx, dpr, scale } = this;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    ctx.font = FONT_BOLD;
    ctx.fillStyle = this.palette.text;
    const below = Math.max(NODE_RADIUS * scale, 2) + 14;
    this.label(ctx, scene, hovered, this.width / 2 - this.cx * scale, this.height / 2 - this.cy * scale, below);
  }

  private drawScene(
    ctx: CanvasRenderingContext2D,
    scene: TopologyScene,
    palette: TopologyPalette,
    scale: number,
    dpr: number,
    width: number,
    height: number,
  ): number {
    const { cx, cy } = this;
    const halfW = width / 2 / scale;
    const halfH = height / 2 / scale;
    const margin = NODE_RADIUS * 2 + 12 / scale;
    const left = cx - halfW - margin;
    const right = cx + halfW + margin;
    const top = cy - halfH - margin;
    const bottom = cy + halfH + margin;
    const px = 1 / scale;
    const { x, y, status, isConsole, groups, hub } = scene;
    ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * (width / 2 - cx * scale), dpr * (height / 2 - cy * scale));

    // The fleet hub's edges to each group's centre, under the group discs so they never cross a group.
    ctx.strokeStyle = palette.edge;
    ctx.lineWidth = 1.25 * px;
    ctx.beginPath();
    for (let g = 0; g < groups.length; g++) {
      ctx.moveTo(hub.x, hub.y);
      ctx.lineTo(groups[g]!.x, groups[g]!.y);
    }
    ctx.stroke();
    ctx.lineWidth = px;
    ctx.fillStyle = palette.groupFill;
    ctx.strokeStyle = palette.groupStroke;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      if (group.x + group.radius < left || group.x - group.radius > right) continue;
      if (group.y + group.radius < top || group.y - group.radius > bottom) continue;
      ctx.beginPath();
      ctx.arc(group.x, group.y, group.radius, 0, TWO_PI);
      ctx.fill();
      ctx.stroke();
    }

    const visible = this.visible;
    const n = scene.grid.query(left, top, right, bottom, visible);

    // A small fleet reads as a graph: a spoke from each group's centre to each of its nodes.
    if (scene.count <= SMALL_SCENE) {
      ctx.lineWidth = px;
      ctx.beginPath();
      for (let j = 0; j < n; j++) {
        const i = visible[j]!;
        const group = groups[scene.groupOf[i]!]!;
        if (group.count === 1) continue;
        ctx.moveTo(group.x, group.y);
        ctx.lineTo(x[i]!, y[i]!);
      }
      ctx.stroke();
    }

    ctx.fillStyle = palette.hub;
    ctx.beginPath();
    ctx.arc(hub.x, hub.y, HUB_RADIUS_PX * px, 0, TWO_PI);
    ctx.fill();

    // Nodes, one path per colour: a handful of fills however many nodes there are.
    const r = NODE_RADIUS;
    const onScreen = r * scale;
    const tiny = onScreen < ARC_MIN_PX;
    const outline = Math.min(r * 0.45, 3 * px);
    const { byStatus, statusStart, statusFill } = this;
    statusStart.fill(0);
    for (let j = 0; j < n; j++) statusStart[status[visible[j]!]! + 1]! += 1;
    for (let c = 0; c < statusFill.length; c++) {
      statusStart[c + 1]! += statusStart[c]!;
      statusFill[c] = statusStart[c]!;
    }
    for (let j = 0; j < n; j++) byStatus[statusFill[status[visible[j]!]!]!++] = visible[j]!;
    for (let c = 0; c < statusFill.length; c++) {
      const from = statusStart[c]!;
      const to = statusStart[c + 1]!;
      if (from === to) continue;
      const hollow = !tiny && c >= FIRST_HOLLOW;
      ctx.beginPath();
      for (let k = from; k < to; k++) {
        const i = byStatus[k]!;
        const nx = x[i]!;
        const ny = y[i]!;
        if (c === DOWN && hollow) {
          // A cross through the outline: gone, not merely failing.
          const arm = (r - outline) * 0.6;
          ctx.moveTo(nx - arm, ny - arm);
          ctx.lineTo(nx + arm, ny + arm);
          ctx.moveTo(nx + arm, ny - arm);
          ctx.lineTo(nx - arm, ny + arm);
        }
        if (tiny) {
          const half = Math.max(r, 1.1 * px);
          ctx.rect(nx - half, ny - half, half * 2, half * 2);
        } else if (isConsole[i] === 1) {
          // Consoles are diamonds: they watch the fleet rather than run services.
          const d = (hollow ? r - outline / 2 : r) * 1.3;
          ctx.moveTo(nx, ny - d);
          ctx.lineTo(nx + d, ny);
          ctx.lineTo(nx, ny + d);
          ctx.lineTo(nx - d, ny);
          ctx.closePath();
        } else {
          const radius = hollow ? r - outline / 2 : r;
          ctx.moveTo(nx + radius, ny);
          ctx.arc(nx, ny, radius, 0, TWO_PI);
        }
      }
      // No outline on filled nodes: neighbours never touch, and stroking hundreds of arcs costs a software
      // rasteriser more than everything else in the frame together (the benchmark's zoomed-in figure halved with
      // it). Only the few stale and down nodes are stroked.
      if (hollow) {
        ctx.strokeStyle = palette.status[c]!;
        ctx.lineWidth = outline;
        ctx.stroke();
      } else {
        ctx.fillStyle = palette.status[c]!;
        ctx.fill();
      }
    }

    // Search matches: a ring that stays visible at any zoom.
    const mask = this.highlighted;
    if (mask) {
      const ring = Math.max(r, 2 * px) + 4 * px;
      ctx.strokeStyle = palette.match;
      ctx.lineWidth = 2.5 * px;
      ctx.beginPath();
      for (let j = 0; j < n; j++) {
        const i = visible[j]!;
        if (mask[i] !== 1) continue;
        ctx.moveTo(x[i]! + ring, y[i]!);
        ctx.arc(x[i]!, y[i]!, ring, 0, TWO_PI);
      }
      ctx.stroke();
    }

    const selected = this.selected < scene.count ? this.selected : -1;
    // How far the selected node's decorations (selection ring, service satellites) reach, in world units.
    let selectedReach = 0;
    if (selected >= 0) {
      const sx = x[selected]!;
      const sy = y[selected]!;
      const satellites = this.satellites;
      selectedReach = Math.max(r, 2 * px) + 7 * px;
      if (satellites && satellites.length > 0) {
        const orbit = Math.max(r, 2 * px) + 14 * px;
        selectedReach = orbit + 3.5 * px;
        ctx.strokeStyle = palette.edge;
        ctx.lineWidth = px;
        ctx.beginPath();
        ctx.arc(sx, sy, orbit, 0, TWO_PI);
        ctx.stroke();
        // Half a step off the top, so no satellite sits under the leader's crown.
        const step = TWO_PI / satellites.length;
        for (let k = 0; k < satellites.length; k++) {
          const angle = -Math.PI / 2 + step * (k + 0.5);
          ctx.fillStyle = palette.status[satellites[k]!] ?? palette.muted;
          ctx.beginPath();
          ctx.arc(sx + orbit * Math.cos(angle), sy + orbit * Math.sin(angle), 3.5 * px, 0, TWO_PI);
          ctx.fill();
        }
      }
      ctx.strokeStyle = palette.selection;
      ctx.lineWidth = 2.5 * px;
      ctx.beginPath();
      ctx.arc(sx, sy, Math.max(r, 2 * px) + 7 * px, 0, TWO_PI);
      ctx.stroke();
    }

    const leader = scene.leaderIndex;
    if (leader >= 0) {
      const clearance = leader === selected ? selectedReach + 2 * px : Math.max(r, 2 * px) + 3 * px;
      this.drawCrown(ctx, x[leader]!, y[leader]! - clearance, px, palette);
    }

    // Text in screen space, so it stays crisp and the same size at any zoom.
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    ctx.font = FONT_BOLD;
    ctx.fillStyle = palette.text;
    const offsetX = width / 2 - cx * scale;
    const offsetY = height / 2 - cy * scale;
    ctx.fillText(hub.caption, hub.x * scale + offsetX, hub.y * scale + offsetY - HUB_RADIUS_PX - 8);
    ctx.fillStyle = palette.muted;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const gx = group.x * scale + offsetX;
      const gy = (group.y - group.radius) * scale + offsetY - 8;
      if (gx < -200 || gx > width + 200 || gy < -20 || gy > height + 20) continue;
      ctx.fillText(group.caption, gx, gy, Math.max(80, group.radius * 2 * scale + 40));
    }
    ctx.font = FONT;
    ctx.fillStyle = palette.text;
    const below = Math.max(onScreen, 2) + 14;
    const labelAll = scale >= scene.labelScale;
    if (labelAll) {
      const limit = Math.min(n, LABEL_LIMIT);
      for (let j = 0; j < limit; j++) {
        const i = visible[j]!;
        if (i === selected) continue;
        ctx.fillText(scene.nodes[i]!.name, x[i]! * scale + offsetX, y[i]! * scale + offsetY + below, LABEL_WIDTH);
      }
    }
    // The nodes the user is looking at are named at any zoom, in bold.
    ctx.font = FONT_BOLD;
    if (!labelAll && leader >= 0 && leader !== selected) this.label(ctx, scene, leader, offsetX, offsetY, below);
    if (selected >= 0) this.label(ctx, scene, selected, offsetX, offsetY, selectedReach * scale + 14);
    return n;
  }

  private label(
    ctx: CanvasRenderingContext2D,
    scene: TopologyScene,
    index: number,
    offsetX: number,
    offsetY: number,
    below: number,
  ): void {
    if (index >= scene.count) return;
    const lx = scene.x[index]! * this.scale + offsetX;
    const ly = scene.y[index]! * this.scale + offsetY + below;
    ctx.fillText(scene.nodes[index]!.name, lx, ly, LABEL_WIDTH * 1.5);
  }

  /** A small crown above the leader, the same size on screen at any zoom. */
  private drawCrown(
    ctx: CanvasRenderingContext2D,
    cx: number,
    baseY: number,
    px: number,
    palette: TopologyPalette,
  ): void {
    const w = 8 * px;
    const h = 9 * px;
    ctx.beginPath();
    ctx.moveTo(cx - w, baseY);
    ctx.lineTo(cx - w, baseY - h);
    ctx.lineTo(cx - w / 2, baseY - h * 0.5);
    ctx.lineTo(cx, baseY - h * 1.15);
    ctx.lineTo(cx + w / 2, baseY - h * 0.5);
    ctx.lineTo(cx + w, baseY - h);
    ctx.lineTo(cx + w, baseY);
    ctx.closePath();
    ctx.fillStyle = palette.leaderFill;
    ctx.fill();
    ctx.strokeStyle = palette.leader;
    ctx.lineWidth = 1.25 * px;
    ctx.stroke();
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
