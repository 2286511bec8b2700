/** The main window: hardened options from the one factory, bounds restored from and saved to window-state.json. */
import { BrowserWindow, screen } from 'electron';
import type { Logger } from '../core/logger.js';
import { APP_ENTRY_URL } from './app-origin.js';
import { hardenedWindowOptions } from './window-hardening.js';
import {
  MIN_HEIGHT,
  MIN_WIDTH,
  clampToDisplays,
  readWindowState,
  writeWindowState,
  type WindowState,
} from './window-state.js';

export interface MainWindowOptions {
  preload: string;
  icon: string;
  stateFile: string;
  devTools: boolean;
  log: Pick<Logger, 'warn' | 'debug'>;
  /** Whether closing the window should hide it (to the tray) instead of closing it. */
  hideOnClose: () => boolean;
}

const SAVE_DELAY_MS = 500;

export function createMainWindow({
  preload,
  icon,
  stateFile,
  devTools,
  log,
  hideOnClose,
}: MainWindowOptions): BrowserWindow {
  const stored = readWindowState(stateFile);
  if (stored.problem) log.warn({ file: stateFile, problem: stored.problem }, 'ignoring saved window state');
  const bounds = clampToDisplays(stored.state, {
    primary: screen.getPrimaryDisplay().workArea,
    all: screen.getAllDisplays().map((display) => display.workArea),
  });

  const window = new BrowserWindow(
    hardenedWindowOptions(
      {
        x: bounds.x,
        y: bounds.y,
        width: bounds.width,
        height: bounds.height,
        minWidth: MIN_WIDTH,
        minHeight: MIN_HEIGHT,
        title: 'Fleetdeck',
        icon,
        show: false,
        backgroundColor: '#0f172a',
      },
      { preload, devTools },
    ),
  );
  window.once('ready-to-show', () => {
    // Maximizing a hidden window shows it on some platforms, so it waits until the page has painted.
    if (bounds.maximized) window.maximize();
    window.show();
  });
  // Without this a UI that fails to load would leave an invisible window and, with no tray, nothing to click.
  window.webContents.once('did-fail-load', (_event, code, description, url) => {
    log.warn({ code, description, url }, 'the UI failed to load');
    window.show();
  });

  const currentState = (): WindowState => {
    const normal = window.getNormalBounds();
    return {
      ...normal,
      width: Math.max(normal.width, MIN_WIDTH),
      height: Math.max(normal.height, MIN_HEIGHT),
      maximized: window.isMaximized(),
    };
  };
  const save = (): void => {
    if (window.isDestroyed()) return;
    try {
      writeWindowState(stateFile, currentState());
    } catch (error) {
      log.warn({ file: stateFile, err: error }, 'could not save window state');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const saveSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);

  window.on('close', (event) => {
    clearTimeout(timer);
    save();
    if (hideOnClose()) {
      event.preventDefault();
      window.hide();
    }
  });

  void window.loadURL(APP_ENTRY_URL).catch((error: unknown) => log.warn({ err: error }, 'could not load the UI'));
  return window;
}
