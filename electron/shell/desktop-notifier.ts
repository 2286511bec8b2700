/**
 * The desktop notifications port on Electron's `Notification`: actions Acknowledge and Open (shown where the OS
 * offers buttons, macOS and Windows), a click opens too. Used by main.ts only; the agent core never sees Electron.
 */
import type { NotificationConstructorOptions } from 'electron';
import { ipcChannels } from '../../shared/bridge.js';
import type { Logger } from '../core/logger.js';
import type { DesktopNoticeAction, DesktopNotifierPort } from '../desktop-notifications/desktop-notifier-port.js';

const MAX_HELD = 50;
const actionLabels: Record<DesktopNoticeAction, string> = { acknowledge: 'Acknowledge', open: 'Open' };

/** The parts of one Electron `Notification` the adapter uses. */
export interface OsNotification {
  on(event: 'action', listener: (details: { actionIndex: number }) => void): unknown;
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

/** The parts of Electron's `Notification` class the adapter uses. */
export interface OsNotificationClass {
  new (options: NotificationConstructorOptions): OsNotification;
  isSupported(): boolean;
}

/** The parts of the window's WebContents that revealing an alert uses. */
export interface RevealTarget {
  isLoading(): boolean;
  once(event: 'did-finish-load', listener: () => void): unknown;
  send(channel: string, alertId: string): void;
}

export interface DesktopNotifierDeps {
  Notification: OsNotificationClass;
  /** Brings the main window forward (making one if it was closed) and gives its WebContents. */
  showWindow(): RevealTarget;
  log: Pick<Logger, 'warn'>;
}

/** The port, or none where the OS has no notifications (the agent then shows none). */
export function createDesktopNotifier({
  Notification,
  showWindow,
  log,
}: DesktopNotifierDeps): DesktopNotifierPort | undefined {
  if (!Notification.isSupported()) {
    log.warn('this system shows no desktop notifications');
    return undefined;
  }
  // Electron drops a notification's handlers once it is garbage collected: each is held until it closes (the
  // newest few only, as some Linux desktops never report a close).
  const open = new Set<OsNotification>();
  return {
    show(notice, onAction) {
      const notification = new Notification({
        title: notice.title,
        body: notice.body,
        actions: notice.actions.map((action) => ({ type: 'button', text: actionLabels[action] })),
      });
      open.add(notification);
      if (open.size > MAX_HELD) open.delete(open.values().next().value!);
      notification.on('action', ({ actionIndex }) => {
        const action = notice.actions[actionIndex];
        if (action) onAction(action);
      });
      notification.on('click', () => onAction('open'));
      notification.on('close', () => open.delete(notification));
      notification.show();
    },
    reveal(alertId) {
      const contents = showWindow();
      // A window made just now has no page to tell yet.
      if (contents.isLoading()) contents.once('did-finish-load', () => contents.send(ipcChannels.revealAlert, alertId));
      else contents.send(ipcChannels.revealAlert, alertId);
    },
  };
}
