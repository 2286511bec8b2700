import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MIN_HEIGHT,
  MIN_WIDTH,
  clampToDisplays,
  defaultWindowState,
  parseWindowState,
  readWindowState,
  writeWindowState,
  type Rect,
} from '../../../electron/shell/window-state.js';

describe('parseWindowState', () => {
  it('uses defaults, without complaint, when there is no file', () => {
    expect(parseWindowState(null)).toEqual({ state: defaultWindowState });
  });

  it('accepts a valid state', () => {
    const state = { x: 10, y: 20, width: 1000, height: 700, maximized: true };
    expect(parseWindowState(JSON.stringify(state))).toEqual({ state });
  });

  it.each([
    ['truncated JSON', '{"x": 10, "wid'],
    ['an empty file', ''],
    ['a non-object', '[1, 2, 3]'],
    ['null', 'null'],
    ['a string width', '{"width": "1000", "height": 700}'],
    ['a fractional size', '{"width": 1000.5, "height": 700}'],
    ['a size below the minimum', '{"width": 10, "height": 10}'],
    ['an absurd size', '{"width": 1e9, "height": 700}'],
    ['NaN-like values', '{"width": null, "height": 700}'],
    ['x without y', '{"x": 5, "width": 1000, "height": 700}'],
    ['a non-boolean maximized', '{"width": 1000, "height": 700, "maximized": "yes"}'],
  ])('falls back to defaults for %s and says why', (_name, text) => {
    const parsed = parseWindowState(text);
    expect(parsed.state).toEqual(defaultWindowState);
    expect(parsed.problem).toBeTruthy();
  });
});

describe('readWindowState / writeWindowState', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fleetdeck-window-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through the file', async () => {
    const file = path.join(dir, 'nested', 'window-state.json');
    const state = { x: -1200, y: 40, width: 900, height: 640, maximized: false };
    writeWindowState(file, state);
    expect(readWindowState(file)).toEqual({ state });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(state);
  });

  it('treats a missing file as no state and a corrupt one as defaults with a problem', async () => {
    expect(readWindowState(path.join(dir, 'missing.json'))).toEqual({ state: defaultWindowState });
    const file = path.join(dir, 'window-state.json');
    await writeFile(file, '\u0000\u0000garbage');
    const read = readWindowState(file);
    expect(read.state).toEqual(defaultWindowState);
    expect(read.problem).toMatch(/JSON/);
  });

  it('reports an unreadable path (a directory) as a problem', () => {
    const read = readWindowState(dir);
    expect(read.state).toEqual(defaultWindowState);
    expect(read.problem).toMatch(/cannot read/);
  });
});

describe('clampToDisplays', () => {
  const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
  const left: Rect = { x: -1280, y: 0, width: 1280, height: 984 };
  const displays = { primary, all: [primary, left] };

  it('keeps a window that is fully visible', () => {
    const state = { x: 100, y: 100, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(state, displays)).toEqual(state);
  });

  it('keeps a window on a secondary display', () => {
    const state = { x: -1200, y: 50, width: 1000, height: 700, maximized: true };
    expect(clampToDisplays(state, displays)).toEqual(state);
  });

  it('drops the position of a window on a display that is gone, so it is centred on the primary', () => {
    const state = { x: 4000, y: 200, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(state, displays)).toEqual({ width: 1200, height: 800, maximized: false });
  });

  it('drops the position when only a sliver would be visible', () => {
    const state = { x: 1900, y: 100, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(state, { primary, all: [primary] })).toEqual({ width: 1200, height: 800, maximized: false });
  });

  it('moves a partly visible window fully onto its display', () => {
    const state = { x: 1500, y: 600, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(state, displays)).toEqual({ x: 720, y: 240, width: 1200, height: 800, maximized: false });
  });

  it('pulls a title bar that is above the work area back down', () => {
    const state = { x: 100, y: -300, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(state, displays)).toMatchObject({ x: 100, y: 0 });
  });

  it('shrinks a window larger than its display', () => {
    const state = { x: 0, y: 0, width: 5000, height: 3000, maximized: false };
    expect(clampToDisplays(state, displays)).toEqual({ x: 0, y: 0, width: 1920, height: 1040, maximized: false });
  });

  it('fits an unpositioned window to the primary display', () => {
    const small: Rect = { x: 0, y: 0, width: 1024, height: 700 };
    const state = { width: 1280, height: 800, maximized: false };
    expect(clampToDisplays(state, { primary: small, all: [small] })).toEqual({
      width: 1024,
      height: 700,
      maximized: false,
    });
  });

  it('uses the primary display when the display list is empty', () => {
    const state = { x: 10, y: 10, width: 800, height: 600, maximized: false };
    expect(clampToDisplays(state, { primary, all: [] })).toEqual(state);
  });

  it('exports minimums that the defaults respect', () => {
    expect(defaultWindowState.width).toBeGreaterThanOrEqual(MIN_WIDTH);
    expect(defaultWindowState.height).toBeGreaterThanOrEqual(MIN_HEIGHT);
  });
});
