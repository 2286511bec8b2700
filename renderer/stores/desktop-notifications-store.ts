import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { DesktopNotificationSettings } from '../../shared/desktop-notifications.js';
import { messageOf, outcomeOf, type Outcome } from '../client/outcome.js';
import { readBrowserSettings, saveBrowserSettings, type WebNotifications } from '../notifications/browser-notifier.js';
import { fieldSelectors } from './field-selectors.js';

/** Whether this browser may show notifications; `unsupported` where it has no Web Notification API. */
export type BrowserPermission = NotificationPermission | 'unsupported';

export interface DesktopNotificationsState {
  /** The settings in force: the console's (desktop app) or this browser's. Null until loaded. */
  settings: DesktopNotificationSettings | null;
  error: string | null;
  /** Browser only; null in the desktop app. */
  permission: BrowserPermission | null;
}

export interface DesktopNotificationsActions {
  /** The desktop app: the console's settings, from its agent. */
  loadDesktop(client: FleetdeckClient): Promise<void>;
  saveDesktop(client: FleetdeckClient, settings: DesktopNotificationSettings): Promise<Outcome>;
  /** A browser: its own settings and whether it may notify. */
  loadBrowser(storage: Storage, notifications: WebNotifications | null): void;
  saveBrowser(storage: Storage, settings: DesktopNotificationSettings): void;
  /** Asks the browser for permission (it must follow a user's press). */
  requestPermission(ask: () => Promise<NotificationPermission>): Promise<void>;
  reset(): void;
}

export const initialDesktopNotificationsState: DesktopNotificationsState = {
  settings: null,
  error: null,
  permission: null,
};

/** Settings → Notifications: the settings in force here and, in a browser, whether it may notify. */
export const useDesktopNotificationsStore = create<DesktopNotificationsState & DesktopNotificationsActions>()(
  (set) => ({
    ...initialDesktopNotificationsState,
    async loadDesktop(client) {
      try {
        set({ settings: await client.call('notifications.desktop.get', {}), error: null });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
    saveDesktop: (client, settings) =>
      outcomeOf(async () => {
        set({ settings: await client.call('notifications.desktop.set', settings) });
      }),
    loadBrowser(storage, notifications) {
      set({ settings: readBrowserSettings(storage), permission: notifications?.permission ?? 'unsupported' });
    },
    saveBrowser(storage, settings) {
      saveBrowserSettings(storage, settings);
      set({ settings });
    },
    async requestPermission(ask) {
      try {
        set({ permission: await ask(), error: null });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
    reset: () => set(initialDesktopNotificationsState),
  }),
);

export const desktopNotificationsSelectors = fieldSelectors(initialDesktopNotificationsState);
