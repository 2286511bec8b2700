import type { NotificationConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { DesktopNoticeAction } from '../../../electron/desktop-notifications/desktop-notifier-port.js';
import {
  createDesktopNotifier,
  type OsNotification,
  type RevealTarget,
} from '../../../electron/shell/desktop-notifier.js';
import { ipcChannels } from '../../../shared/bridge.js';

/** A stand-in for Electron's Notification (the Electron binary is not available to tests): records what is shown. */
function standInNotificationClass(supported = true) {
  const created: StandInNotification[] = [];
  class StandInNotification implements OsNotification {
    readonly listeners = new Map<string, (details: { actionIndex: number }) => void>();
    shown = false;
    constructor(readonly options: NotificationConstructorOptions) {
      created.push(this);
    }
    static isSupported = () => supported;
    on(event: string, listener: (details: { actionIndex: number }) => void) {
      this.listeners.set(event, listener);
      return this;
    }
    show() {
      this.shown = true;
    }
    /** What the OS does when the user picks the button at `actionIndex`, or clicks the notification. */
    emit(event: 'action' | 'click' | 'close', actionIndex = 0) {
      this.listeners.get(event)?.({ actionIndex });
    }
  }
  return { Notification: StandInNotification, created };
}

/** A stand-in for the main window's WebContents. */
function standInWindow(loading: boolean) {
  const sent: Array<[string, string]> = [];
  let onLoad: (() => void) | null = null;
  const contents: RevealTarget = {
    isLoading: () => loading,
    once: (_event, listener) => (onLoad = listener),
    send: (channel, alertId) => sent.push([channel, alertId]),
  };
  return { contents, sent, finishLoading: () => onLoad?.() };
}

const warnings: string[] = [];
const log = { warn: (message: unknown) => void warnings.push(String(message)) };
const notice = {
  title: 'CRITICAL: Disk almost full firing',
  body: 'disk 97% used — on web-1',
  alertId: 'web-1/7',
  actions: ['acknowledge', 'open'] as const,
};

describe('the Electron desktop notifier', () => {
  it('shows a notification with the buttons Acknowledge and Open, and reports which one was picked', () => {
    const { Notification, created } = standInNotificationClass();
    const window = standInWindow(false);
    const port = createDesktopNotifier({ Notification, showWindow: () => window.contents, log });
    const picked: DesktopNoticeAction[] = [];
    port?.show(notice, (action) => picked.push(action));

    const [shown] = created;
    expect(shown?.shown).toBe(true);
    expect(shown?.options).toEqual({
      title: notice.title,
      body: notice.body,
      actions: [
        { type: 'button', text: 'Acknowledge' },
        { type: 'button', text: 'Open' },
      ],
    });
    shown?.emit('action', 0);
    shown?.emit('action', 1);
    shown?.emit('click');
    expect(picked).toEqual(['acknowledge', 'open', 'open']);
  });

  it('reveals an alert by bringing the window forward and telling its page, once the page has loaded', () => {
    const { Notification } = standInNotificationClass();
    const loaded = standInWindow(false);
    createDesktopNotifier({ Notification, showWindow: () => loaded.contents, log })?.reveal('web-1/7');
    expect(loaded.sent).toEqual([[ipcChannels.revealAlert, 'web-1/7']]);

    const fresh = standInWindow(true);
    createDesktopNotifier({ Notification, showWindow: () => fresh.contents, log })?.reveal('web-1/8');
    expect(fresh.sent).toEqual([]);
    fresh.finishLoading();
    expect(fresh.sent).toEqual([[ipcChannels.revealAlert, 'web-1/8']]);
  });

  it('gives no port where the system has no notifications', () => {
    const { Notification } = standInNotificationClass(false);
    expect(
      createDesktopNotifier({ Notification, showWindow: () => standInWindow(false).contents, log }),
    ).toBeUndefined();
    expect(warnings).toEqual(['this system shows no desktop notifications']);
  });
});
