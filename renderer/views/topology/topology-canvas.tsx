import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { mapStatuses } from './map-status.js';
import type { TopologyScene } from './topology-layout.js';
import { TopologyRenderer, type TopologyPalette } from './topology-renderer.js';
import { TopologyTooltip, type TooltipAnchor } from './topology-tooltip.js';

/** A request to centre a node; `seq` makes asking twice for the same node centre it again. */
export interface FocusRequest {
  id: string;
  seq: number;
}

interface TopologyCanvasProps {
  scene: TopologyScene;
  /** Changes when the picture changes shape (grouping, filter): the camera fits it again. */
  layoutKey: string;
  highlights: Uint8Array | null;
  highlightCount: number;
  selectedIndex: number;
  /** Status indices (`mapStatuses`) of the selected node's services. */
  satellites: Uint8Array | null;
  focus: FocusRequest | null;
  /** What a screen reader hears for the picture. */
  summary: string;
  onSelect(index: number): void;
}

/** Pointer travel (CSS px) under which a press counts as a click rather than a drag. */
const CLICK_SLOP = 4;
const WHEEL_SPEED = 0.0015;
const KEY_PAN = 80;

function readPalette(element: HTMLElement): TopologyPalette {
  const style = getComputedStyle(element);
  const value = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const fallbacks: Record<string, string> = {
    passing: '#16a34a',
    warning: '#d97706',
    critical: '#dc2626',
    flapping: '#7c3aed',
    unknown: '#94a3b8',
    stale: '#78716c',
    down: '#991b1b',
  };
  return {
    status: mapStatuses.map((status) => value(`--map-${status}`, fallbacks[status]!)),
    background: value('--topology-bg', '#ffffff'),
    hub: value('--topology-hub', '#0f172a'),
    groupFill: value('--topology-group-fill', '#f8fafc'),
    groupStroke: value('--topology-group-stroke', '#e2e8f0'),
    edge: value('--topology-edge', '#cbd5e1'),
    text: value('--topology-text', '#0f172a'),
    muted: value('--topology-muted', '#64748b'),
    match: value('--topology-match', '#2563eb'),
    selection: value('--topology-selection', '#0f172a'),
    leader: value('--leader', '#b45309'),
    leaderFill: value('--topology-leader-fill', '#fbbf24'),
  };
}

/**
 * The fleet map: one canvas drawn by TopologyRenderer, panned by dragging or the arrow keys, zoomed with the
 * wheel, the buttons or +/-. React only hands it new data; pointer moves never re-render React.
 */
export function TopologyCanvas(props: TopologyCanvasProps) {
  const { scene, layoutKey, highlights, highlightCount, selectedIndex, satellites, focus, summary, onSelect } = props;
  const stageRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<TopologyRenderer | null>(null);
  const layoutKeyRef = useRef<string | null>(null);
  const sceneRef = useRef(scene);
  const onSelectRef = useRef(onSelect);
  const drag = useRef({ pointerId: -1, startX: 0, startY: 0, lastX: 0, lastY: 0, moved: false });
  const hintId = useId();
  // Set only when the node under the pointer changes, so moving over the map does not re-render React. Kept by
  // id: a new scene (a status changed) shows the node's new state, and a node gone from it hides the tooltip.
  const [hover, setHover] = useState<{ id: string; anchor: TooltipAnchor } | null>(null);
  const hoverIndex = hover === null ? undefined : scene.indexById.get(hover.id);
  const hoverNode = hoverIndex === undefined ? undefined : scene.nodes[hoverIndex];

  const hoverAt = (renderer: TopologyRenderer, index: number) => {
    renderer.setHovered(index);
    const anchor = renderer.toScreen(index);
    const id = sceneRef.current.nodes[index]?.id;
    setHover((previous) =>
      anchor === null || id === undefined ? null : previous?.id === id ? previous : { id, anchor },
    );
  };

  useEffect(() => {
    sceneRef.current = scene;
    onSelectRef.current = onSelect;
  });

  useEffect(() => {
    const stage = stageRef.current;
    const canvas = canvasRef.current;
    if (!stage || !canvas) return;
    const renderer = new TopologyRenderer(canvas, readPalette(stage));
    rendererRef.current = renderer;
    layoutKeyRef.current = null;
    const resize = () => renderer.setSize(stage.clientWidth, stage.clientHeight, window.devicePixelRatio || 1);
    resize();
    const observer = new ResizeObserver(resize);
    observer.observe(stage);
    // Moving the window to a screen of another pixel ratio fires a resize without the stage changing size.
    window.addEventListener('resize', resize);
    // The wheel must be a non-passive listener to keep the page from scrolling while the map zooms.
    // The palette follows the OS switching between light and dark while the map is shown.
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const repaint = () => renderer.setPalette(readPalette(stage));
    scheme.addEventListener('change', repaint);
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      renderer.zoomAt(event.clientX - rect.left, event.clientY - rect.top, Math.exp(-delta * WHEEL_SPEED));
      setHover(null);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      observer.disconnect();
      scheme.removeEventListener('change', repaint);
      window.removeEventListener('resize', resize);
      canvas.removeEventListener('wheel', onWheel);
      renderer.destroy();
      rendererRef.current = null;
    };
  }, []);

  useEffect(() => {
    const refit = layoutKeyRef.current !== layoutKey;
    layoutKeyRef.current = layoutKey;
    rendererRef.current?.setScene(scene, refit);
  }, [scene, layoutKey]);

  useEffect(() => rendererRef.current?.setHighlights(highlights, highlightCount), [highlights, highlightCount]);
  useEffect(() => rendererRef.current?.setSelected(selectedIndex), [selectedIndex]);
  useEffect(() => rendererRef.current?.setSatellites(satellites), [satellites]);
  useEffect(() => {
    if (!focus) return;
    const index = sceneRef.current.indexById.get(focus.id);
    if (index !== undefined) rendererRef.current?.focus(index);
  }, [focus]);

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = {
      pointerId: event.pointerId,
      startX: event.clientX,
      startY: event.clientY,
      lastX: event.clientX,
      lastY: event.clientY,
      moved: false,
    };
  };

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const renderer = rendererRef.current;
    if (!renderer) return;
    const state = drag.current;
    if (state.pointerId !== event.pointerId) {
      const { x, y } = point(event);
      const hovered = renderer.pick(x, y);
      hoverAt(renderer, hovered);
      event.currentTarget.style.cursor = hovered >= 0 ? 'pointer' : 'grab';
      return;
    }
    if (!state.moved && Math.hypot(event.clientX - state.startX, event.clientY - state.startY) > CLICK_SLOP) {
      state.moved = true;
      event.currentTarget.style.cursor = 'grabbing';
      hoverAt(renderer, -1);
    }
    if (state.moved) renderer.panBy(event.clientX - state.lastX, event.clientY - state.lastY);
    state.lastX = event.clientX;
    state.lastY = event.clientY;
  };

  const onPointerUp = (event: PointerEvent<HTMLCanvasElement>) => {
    const state = drag.current;
    if (state.pointerId !== event.pointerId) return;
    state.pointerId = -1;
    event.currentTarget.style.cursor = 'grab';
    if (state.moved) return;
    const { x, y } = point(event);
    onSelectRef.current(rendererRef.current?.pick(x, y) ?? -1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    const renderer = rendererRef.current;
    if (!renderer) return;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => renderer.panBy(KEY_PAN, 0),
      ArrowRight: () => renderer.panBy(-KEY_PAN, 0),
      ArrowUp: () => renderer.panBy(0, KEY_PAN),
      ArrowDown: () => renderer.panBy(0, -KEY_PAN),
      '+': () => renderer.zoomBy(1.4),
      '=': () => renderer.zoomBy(1.4),
      '-': () => renderer.zoomBy(1 / 1.4),
      '0': () => renderer.fit(true),
      Escape: () => onSelectRef.current(-1),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    hoverAt(renderer, -1);
    action();
  };

  return (
    <div className="topology-stage" ref={stageRef}>
      <canvas
        ref={canvasRef}
        className="topology-canvas"
        data-testid="topology-canvas"
        role="img"
        aria-label={summary}
        aria-describedby={hintId}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={() => {
          rendererRef.current?.setHovered(-1);
          setHover(null);
        }}
        onKeyDown={onKeyDown}
      />
      <p id={hintId} className="visually-hidden">
        Drag or use the arrow keys to pan, the wheel or plus and minus to zoom, 0 to fit. Click a node for its details;
        the search box finds nodes by name or id.
      </p>
      {hover && hoverNode && <TopologyTooltip node={hoverNode} anchor={hover.anchor} />}
      <div className="topology-zoom" role="group" aria-label="Zoom">
        <button type="button" className="button" onClick={() => rendererRef.current?.zoomBy(1.4)}>
          Zoom in
        </button>
        <button type="button" className="button" onClick={() => rendererRef.current?.zoomBy(1 / 1.4)}>
          Zoom out
        </button>
        <button type="button" className="button" onClick={() => rendererRef.current?.fit(true)}>
          Fit
        </button>
      </div>
    </div>
  );
}
