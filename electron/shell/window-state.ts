/**
 * Window bounds remembered across runs in userData/window-state.json. The file is untrusted input
 * (hand-edited, truncated by a crash, written on a machine with other monitors): it is schema-checked
 * on read, falls back to defaults when unusable, and is clamped so the window lands on a visible display.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export const MIN_WIDTH = 640;
export const MIN_HEIGHT = 420;
const MAX_EXTENT = 100_000;
/** How much of the window must overlap a display for the saved position to be kept. */
const MIN_VISIBLE = 80;

const Coordinate = z.number().int().min(-MAX_EXTENT).max(MAX_EXTENT);

export const WindowState = z
  .object({
    x: Coordinate.optional(),
    y: Coordinate.optional(),
    width: z.number().int().min(MIN_WIDTH).max(MAX_EXTENT),
    height: z.number().int().min(MIN_HEIGHT).max(MAX_EXTENT),
    maximized: z.boolean().default(false),
  })
  .refine((s) => (s.x === undefined) === (s.y === undefined), { message: 'x and y must be given together' });
export type WindowState = z.infer<typeof WindowState>;

export const defaultWindowState: WindowState = { width: 1280, height: 800, maximized: false };

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ParsedWindowState {
  state: WindowState;
  /** Why the stored state was not used; absent when it was, or when there was none. */
  problem?: string;
}

/** Parses the file's text (null when there is no file); anything unusable yields the defaults and a reason. */
export function parseWindowState(text: string | null): ParsedWindowState {
  if (text === null) return { state: { ...defaultWindowState } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: { ...defaultWindowState }, problem: 'not valid JSON' };
  }
  const parsed = WindowState.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { state: { ...defaultWindowState }, problem: `${where}${issue?.message ?? 'invalid'}` };
  }
  return { state: parsed.data };
}

export function readWindowState(file: string): ParsedWindowState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseWindowState(null);
    return { state: { ...defaultWindowState }, problem: `cannot read: ${(error as Error).message}` };
  }
  return parseWindowState(text);
}

/** Writes via a temporary file and rename, so a crash mid-write never leaves a truncated file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  renameSync(temp, file);
}

const overlap = (a: Rect, b: Rect): { width: number; height: number } => ({
  width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
  height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
});

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), Math.max(low, high));

/**
 * Fits the state to the current displays' work areas. A position that is (almost) off every display is
 * dropped, so Electron centres the window on the primary display; otherwise the window is shrunk to fit
 * the display it is mostly on and moved fully inside it.
 */
export function clampToDisplays(state: WindowState, workAreas: { primary: Rect; all: readonly Rect[] }): WindowState {
  const { primary } = workAreas;
  const fit = (area: Rect) => ({
    width: Math.min(state.width, area.width),
    height: Math.min(state.height, area.height),
  });
  if (state.x === undefined || state.y === undefined) {
    return { width: fit(primary).width, height: fit(primary).height, maximized: state.maximized };
  }
  const window: Rect = { x: state.x, y: state.y, width: state.width, height: state.height };
  let best: { area: Rect; visible: number } | null = null;
  for (const area of workAreas.all.length > 0 ? workAreas.all : [primary]) {
    const o = overlap(window, area);
    const visible = o.width * o.height;
    if (o.width >= Math.min(MIN_VISIBLE, window.width) && o.height >= Math.min(MIN_VISIBLE, window.height)) {
      if (!best || visible > best.visible) best = { area, visible };
    }
  }
  if (!best) return { width: fit(primary).width, height: fit(primary).height, maximized: state.maximized };
  const { area } = best;
  const size = fit(area);
  return {
    x: clamp(state.x, area.x, area.x + area.width - size.width),
    y: clamp(state.y, area.y, area.y + area.height - size.height),
    ...size,
    maximized: state.maximized,
  };
}
