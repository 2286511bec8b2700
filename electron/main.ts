/**
 * The Electron shell: one instance, one hardened window, a tray, and the agent (console role) running
 * in this process. Everything testable lives in ./shell; this file only wires Electron to it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BrowserWindow,
  Notification,
  app,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  type Tray,
} from 'electron';
import { ipcChannels } from '../shared/bridge.js';
import { runAgent, type RunningAgent } from './agent/run-agent.js';
import { ConfigError, loadAgentConfig, type LoadedConfig } from './config/load-config.js';
import { settingOptions } from './config/options.js';
import { errorMessage } from './core/errors.js';
import { componentLogger, createLogger, type Logger } from './core/logger.js';
import { desktopSecretBox } from './secrets/safe-storage-box.js';
import type { SecretsFor } from './secrets/secret-box.js';
import { APP_SCHEME } from './shell/app-origin.js';
import { appSchemePrivileges, handleAppRequest } from './shell/app-protocol.js';
import { userFlags } from './shell/argv.js';
import { broadcastEvent } from './shell/event-broadcast.js';
import { createDesktopNotifier } from './shell/desktop-notifier.js';
import { createCallHandler } from './shell/ipc-sender.js';
import { createMainWindow } from './shell/main-window.js';
import { shellPaths } from './shell/paths.js';
import { createTray } from './shell/tray.js';
import { tooltipFollowsTitle } from './shell/tray-tooltip.js';
import { hardenApp } from './shell/window-hardening.js';

/** How long quitting waits for the agent to drain before giving up on it. */
const STOP_TIMEOUT_MS = 15_000;
const EXIT_CONFIG_ERROR = 2;
const EXIT_STARTUP_FAILURE = 1;

// Both must happen before `ready`: privileged schemes cannot be registered later, and the sandbox
// switch applies to every renderer, including any we did not create ourselves.
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another Fleetdeck is running; its 'second-instance' handler focuses its window.
  app.quit();
} else {
  main().catch((error: unknown) => failStartup('Fleetdeck could not start', errorMessage(error), EXIT_STARTUP_FAILURE));
}

async function main(): Promise<void> {
  const mainDir = dirname(fileURLToPath(import.meta.url));
  const paths = shellPaths({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    mainDir,
  });

  const argv = userFlags(
    process.argv,
    settingOptions.map((option) => option.flag),
  );
  // The saved backend's password is sealed with the OS keychain, which Linux offers only once the app is ready.
  await app.whenReady();
  const secrets: SecretsFor = (dataDir) => desktopSecretBox(safeStorage, { dataDir, env: process.env });
  let loaded: LoadedConfig;
  try {
    loaded = loadAgentConfig({
      argv: argv.flags,
      env: process.env,
      secrets,
      // The UI talks over IPC, so the console's HTTP API takes any free port rather than clash with a
      // headless agent on 7420; set api.port to pin it. A first start shows the demo services (one
      // action removes them for good; `demo: false` in a config file turns them off).
      base: { dataDir: app.getPath('userData'), role: 'console', api: { port: 0 }, demo: true },
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await failStartup('Fleetdeck: invalid configuration', error.message, EXIT_CONFIG_ERROR);
    return;
  }
  const { config, backendOrigin } = loaded;

  const logger = createLogger(config.log);
  const log = componentLogger(logger, 'shell');
  if (argv.ignored.length > 0) log.debug({ ignored: argv.ignored }, 'arguments that are not Fleetdeck settings');

  if (!existsSync(paths.nativeBinding)) {
    await failStartup(
      'Fleetdeck: missing native module',
      `better-sqlite3 built for Electron was not found at ${paths.nativeBinding}.` +
        (app.isPackaged
          ? ' The installation is incomplete; reinstall Fleetdeck.'
          : ' Run `node scripts/electron-native.mjs` (npm start does).'),
      EXIT_STARTUP_FAILURE,
    );
    return;
  }

  hardenApp(app, session.defaultSession, { openExternal: (url) => shell.openExternal(url), log });

  // Fleet alerts as OS notifications; Open (or a click) brings the window forward on that alert.
  const desktopNotifier = createDesktopNotifier({ Notification, showWindow: () => showWindow().webContents, log });

  // Started before the window so the UI and the agent come up together; IPC calls wait for it.
  const agentStarting = runAgent(config, {
    logger,
    nativeBinding: paths.nativeBinding,
    rendererDir: null,
    resourcesDir: paths.resourcesDir,
    backendOrigin,
    secrets,
    desktopNotifier,
  });
  agentStarting.catch(() => undefined); // Reported below; this only keeps an early failure from being "unhandled".

  ipcMain.handle(
    ipcChannels.call,
    createCallHandler({
      agent: () => agentStarting,
      onRejectedSender: (url) => log.warn({ url }, 'refused IPC from an untrusted frame'),
    }),
  );

  if (process.platform === 'win32') app.setAppUserModelId('dev.fleetdeck.desktop');
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, { rootDir: paths.rendererDir, readFile }));

  let quitting = false;
  let stopped = false;
  let stopping: Promise<void> | null = null;
  let unsubscribe: (() => void) | null = null;
  let tray: Tray | null = null;
  let window: BrowserWindow | null = null;

  // Registered before the agent is up, so quitting mid-startup still waits for it and stops it cleanly.
  app.on('before-quit', (event) => {
    quitting = true;
    if (stopped) return;
    event.preventDefault();
    stopping ??= stopAgent(agentStarting, () => unsubscribe?.(), log).finally(() => {
      stopped = true;
      tray?.destroy();
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  const openWindow = (): BrowserWindow => {
    const opened = createMainWindow({
      preload: paths.preload,
      icon: join(paths.iconsDir, 'icon.png'),
      stateFile: join(app.getPath('userData'), 'window-state.json'),
      devTools: !app.isPackaged,
      log,
      hideOnClose: () => tray !== null && !quitting,
    });
    tooltipFollowsTitle(opened, () => tray);
    return opened;
  };
  const showWindow = (): BrowserWindow => {
    if (!window || window.isDestroyed()) window = openWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  };

  window = openWindow();
  try {
    tray = createTray({ iconsDir: paths.iconsDir, show: showWindow, quit: () => app.quit() });
  } catch (error) {
    // Some Linux desktops have no status area; the app still works, and closing the window then quits.
    log.warn({ err: error }, 'no tray icon');
  }
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => app.quit());

  let agent: RunningAgent;
  try {
    agent = await agentStarting;
  } catch (error) {
    log.error({ err: error }, 'agent failed to start');
    await failStartup('Fleetdeck: the agent could not start', errorMessage(error), EXIT_STARTUP_FAILURE);
    return;
  }
  log.info({ url: agent.url }, 'agent running');
  if (!quitting) {
    unsubscribe = agent.subscribe((event) =>
      broadcastEvent(
        BrowserWindow.getAllWindows().map((open) => open.webContents),
        event,
        log,
      ),
    );
  }
}

/** Stops the agent (waiting for it to finish starting if need be), bounded so quitting never hangs. */
async function stopAgent(starting: Promise<RunningAgent>, unsubscribe: () => void, log: Logger): Promise<void> {
  unsubscribe();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  const stop = async (): Promise<'stopped' | 'not-started'> => {
    let agent: RunningAgent;
    try {
      agent = await starting;
    } catch {
      return 'not-started'; // A failed start already cleaned up after itself.
    }
    await agent.stop();
    return 'stopped';
  };
  try {
    const outcome = await Promise.race([stop(), timeout]);
    if (outcome === 'timeout') log.warn({ timeoutMs: STOP_TIMEOUT_MS }, 'agent did not stop in time; quitting anyway');
    else if (outcome === 'stopped') log.info('agent stopped');
  } catch (error) {
    log.error({ err: error }, 'agent stop failed');
  } finally {
    clearTimeout(timer);
  }
}

/** Shows why Fleetdeck cannot start, then exits without running the quit handlers. */
async function failStartup(title: string, message: string, code: number): Promise<void> {
  // An error box shown before `ready` only prints to stderr on Linux.
  await app.whenReady();
  dialog.showErrorBox(title, message);
  app.exit(code);
}
