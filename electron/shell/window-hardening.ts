/**
 * Signal-style: every window and every webContents gets the same hardening from this one module.
 * Web preferences cannot be weakened by callers, navigation away from app:// is refused, new windows
 * are denied (http(s) links go to the user's browser through the one allow-list helper), webviews are
 * refused, and every permission request or remote request from a renderer is denied.
 */
import type { App, BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';
import type { Logger } from '../core/logger.js';
import { isAppUrl, parseUrl } from './app-origin.js';
import { openExternalLink, type ExternalOpener } from './external-links.js';

export interface HardenedPreferencesOptions {
  /** Absolute path of the bundled CommonJS preload. */
  preload: string;
  /** DevTools stay available in development builds only. */
  devTools: boolean;
}

/** Web preferences for every window; spread last so nothing a caller passes can loosen them. */
export function hardenedWebPreferences({ preload, devTools }: HardenedPreferencesOptions): WebPreferences {
  return {
    preload,
    devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** The window-hardening factory's options: the caller's look and size, our webPreferences. */
export function hardenedWindowOptions(
  base: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
  preferences: HardenedPreferencesOptions,
): BrowserWindowConstructorOptions {
  return { ...base, webPreferences: hardenedWebPreferences(preferences) };
}

/** Navigation is allowed only within our own origin. */
export const isNavigationAllowed = (url: string): boolean => isAppUrl(url);

/** Schemes a renderer may request; http(s), ws(s), file and everything else is cancelled ("no remote content"). */
const rendererSchemes = new Set(['data:', 'blob:', 'devtools:']);

export function isRendererRequestAllowed(url: string): boolean {
  if (isAppUrl(url)) return true;
  const parsed = parseUrl(url);
  return parsed !== null && rendererSchemes.has(parsed.protocol);
}

export interface HardeningDeps {
  openExternal: ExternalOpener;
  log: Pick<Logger, 'warn' | 'debug'>;
}

/** Applied from `app.on('web-contents-created')`, so it covers every webContents, not just the ones we create. */
export function hardenWebContents(contents: WebContents, { openExternal, log }: HardeningDeps): void {
  const refuseNavigation = (event: { url: string; preventDefault(): void }, kind: string): void => {
    if (isNavigationAllowed(event.url)) return;
    event.preventDefault();
    log.warn({ url: event.url, kind }, 'blocked navigation away from the app');
  };
  contents.on('will-navigate', (event) => refuseNavigation(event, 'will-navigate'));
  contents.on('will-frame-navigate', (event) => refuseNavigation(event, 'will-frame-navigate'));
  contents.on('will-redirect', (event) => refuseNavigation(event, 'will-redirect'));

  contents.setWindowOpenHandler(({ url }) => {
    void openExternalLink(url, openExternal).then(
      (opened) => {
        if (!opened) log.warn({ url }, 'blocked window.open of a non-http(s) URL');
      },
      (error: unknown) => log.warn({ url, err: error }, 'could not open link externally'),
    );
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn({}, 'blocked a <webview>');
  });
}

/** Deny-by-default for permissions and remote requests on a session (the default one is all we use). */
export function hardenSession(session: Session, log: Pick<Logger, 'warn' | 'debug'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn({ permission }, 'denied a permission request');
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const allowed = isRendererRequestAllowed(details.url);
    if (!allowed) log.warn({ url: details.url }, 'cancelled a request to a non-app URL');
    callback({ cancel: !allowed });
  });
}

/**
 * What main.ts wires once the app is ready: the default session now, every session and webContents created later
 * (including ones we do not create ourselves, such as DevTools) as they appear.
 */
export function hardenApp(app: Pick<App, 'on'>, defaultSession: Session, deps: HardeningDeps): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, deps));
  app.on('session-created', (created) => hardenSession(created, deps.log));
  hardenSession(defaultSession, deps.log);
}
