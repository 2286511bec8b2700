import { EventEmitter } from 'node:events';
import type { App, HandlerDetails, Session, WebContents, WindowOpenHandlerResponse } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  hardenApp,
  hardenSession,
  hardenWebContents,
  hardenedWebPreferences,
  hardenedWindowOptions,
  isNavigationAllowed,
  isRendererRequestAllowed,
} from '../../../electron/shell/window-hardening.js';

const silentLog = { warn: () => undefined, debug: () => undefined } as never;

/** Just enough of WebContents to drive the handlers the way Electron does. */
class FakeContents extends EventEmitter {
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  /** Emits a navigation-style event and reports whether a handler prevented it. */
  navigate(event: string, url: string): boolean {
    let prevented = false;
    this.emit(event, { url, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

const harden = () => {
  const contents = new FakeContents();
  const opened: string[] = [];
  hardenWebContents(contents as unknown as WebContents, {
    openExternal: async (url) => {
      opened.push(url);
    },
    log: silentLog,
  });
  return { contents, opened };
};

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('hardenedWebPreferences', () => {
  it('isolates, sandboxes and keeps Node out of every renderer', () => {
    const prefs = hardenedWebPreferences({ preload: '/app/dist/electron/preload.cjs', devTools: false });
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('cannot be loosened through the window options', () => {
    const base = { width: 800, webPreferences: { nodeIntegration: true, sandbox: false } };
    const options = hardenedWindowOptions(base as never, { preload: '/p.cjs', devTools: true });
    expect(options.width).toBe(800);
    expect(options.webPreferences).toMatchObject({ nodeIntegration: false, sandbox: true, contextIsolation: true });
  });
});

describe('navigation', () => {
  it('is allowed only within app://fleetdeck', () => {
    expect(isNavigationAllowed('app://fleetdeck/index.html')).toBe(true);
    expect(isNavigationAllowed('https://example.com/')).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd')).toBe(false);
    expect(isNavigationAllowed('app://elsewhere/')).toBe(false);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s away from the app is prevented', (event) => {
    const { contents, opened } = harden();
    expect(contents.navigate(event, 'https://example.com/')).toBe(true);
    expect(contents.navigate(event, 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate(event, 'app://fleetdeck/index.html')).toBe(false);
    expect(opened).toEqual([]);
  });

  it('refuses webviews', () => {
    const { contents } = harden();
    expect(contents.navigate('will-attach-webview', 'https://example.com/')).toBe(true);
  });
});

describe('window.open', () => {
  const details = (url: string) => ({ url }) as HandlerDetails;

  it('is always denied; http(s) links go to the browser through the allow-list', async () => {
    const { contents, opened } = harden();
    expect(contents.openHandler?.(details('https://github.com/'))).toEqual({ action: 'deny' });
    expect(contents.openHandler?.(details('file:///etc/passwd'))).toEqual({ action: 'deny' });
    expect(contents.openHandler?.(details('javascript:alert(1)'))).toEqual({ action: 'deny' });
    expect(contents.openHandler?.(details('app://fleetdeck/index.html'))).toEqual({ action: 'deny' });
    await flush();
    expect(opened).toEqual(['https://github.com/']);
  });
});

/**
 * A stand-in for an Electron Session (the Electron binary is not available to tests): it records the handlers the
 * hardening installs and asks them what a renderer would ask.
 */
function standInSession() {
  let onPermissionRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | undefined;
  let onPermissionCheck: (() => boolean) | undefined;
  let onDevicePermission: (() => boolean) | undefined;
  let requestFilter: { urls: string[] } | undefined;
  let onRequest: ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
  const session = {
    setPermissionRequestHandler: (handler: typeof onPermissionRequest) => (onPermissionRequest = handler),
    setPermissionCheckHandler: (handler: typeof onPermissionCheck) => (onPermissionCheck = handler),
    setDevicePermissionHandler: (handler: typeof onDevicePermission) => (onDevicePermission = handler),
    webRequest: {
      onBeforeRequest: (filter: { urls: string[] }, listener: typeof onRequest) => {
        requestFilter = filter;
        onRequest = listener;
      },
    },
  };
  return {
    session: session as unknown as Session,
    /** What each handler answers for `permission`; undefined where no handler was installed. */
    granted(permission: string) {
      let request: boolean | undefined;
      onPermissionRequest?.(null, permission, (granted) => (request = granted));
      return { request, check: onPermissionCheck?.(), device: onDevicePermission?.() };
    },
    filter: () => requestFilter,
    /** Whether a request to `url` is cancelled; undefined where no listener was installed. */
    cancelled(url: string) {
      let cancel: boolean | undefined;
      onRequest?.({ url }, (r) => (cancel = r.cancel));
      return cancel;
    },
  };
}

describe('hardenSession', () => {
  it('denies every permission and cancels requests to anything but the app', () => {
    const standIn = standInSession();
    hardenSession(standIn.session, silentLog);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(standIn.granted(permission)).toEqual({ request: false, check: false, device: false });
    }
    expect(standIn.filter()?.urls).toEqual(['<all_urls>']);
    expect(standIn.cancelled('app://fleetdeck/assets/index.js')).toBe(false);
    expect(standIn.cancelled('https://cdn.example.com/x.js')).toBe(true);
    expect(standIn.cancelled('ws://127.0.0.1:7420/')).toBe(true);
    expect(standIn.cancelled('file:///etc/passwd')).toBe(true);
  });

  it('lets a renderer load only app://, data:, blob: and devtools: URLs', () => {
    expect(isRendererRequestAllowed('app://fleetdeck/index.html')).toBe(true);
    expect(isRendererRequestAllowed('data:image/png;base64,AAAA')).toBe(true);
    expect(isRendererRequestAllowed('blob:app://fleetdeck/123')).toBe(true);
    expect(isRendererRequestAllowed('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(isRendererRequestAllowed('http://127.0.0.1:7420/rpc/node.status')).toBe(false);
    expect(isRendererRequestAllowed('app://other/x')).toBe(false);
  });
});

describe('hardenApp (what main.ts wires)', () => {
  it('hardens the default session now, and every session and webContents created later', async () => {
    const app = new EventEmitter();
    const defaultSession = standInSession();
    const opened: string[] = [];
    hardenApp(app as unknown as App, defaultSession.session, {
      openExternal: async (url) => {
        opened.push(url);
      },
      log: silentLog,
    });
    expect(defaultSession.granted('media')).toEqual({ request: false, check: false, device: false });
    expect(defaultSession.cancelled('https://example.com/')).toBe(true);

    const later = standInSession();
    app.emit('session-created', later.session);
    expect(later.granted('geolocation')).toEqual({ request: false, check: false, device: false });
    expect(later.cancelled('http://127.0.0.1:7420/rpc/node.status')).toBe(true);

    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.navigate('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.navigate('will-attach-webview', 'https://example.com/')).toBe(true);
    expect(contents.openHandler?.({ url: 'https://example.com/' } as HandlerDetails)).toEqual({ action: 'deny' });
    await flush();
    expect(opened).toEqual(['https://example.com/']);
  });
});
