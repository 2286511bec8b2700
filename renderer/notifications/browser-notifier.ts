import { DesktopNotificationSettings, defaultDesktopNotificationSettings } from '../../shared/desktop-notifications.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { browserNotices, type BrowserNotice } from './browser-notices.js';

const SETTINGS_KEY = 'fleetdeck.notifications.settings';
const SEEN_KEY = 'fleetdeck.notifications.seen';

/** The parts of the Web Notification API the notifier uses. */
export interface WebNotifications {
  readonly permission: NotificationPermission;
  show(notice: BrowserNotice, onClick: () => void): void;
}

/** The Web Notification API of this page, or null where the browser has none (or the page is not secure). */
export function webNotifications(): WebNotifications | null {
  if (typeof Notification === 'undefined') return null;
  return {
    get permission() {
      return Notification.permission;
    },
    show(notice, onClick) {
      // The tag makes a browser replace, not repeat, a notification another tab showed for the same event.
      const notification = new Notification(notice.title, { body: notice.body, tag: notice.key });
      notification.onclick = onClick;
    },
  };
}

/** This browser's settings for notifications (kept in it, not in the agent: every browser chooses its own). */
export function readBrowserSettings(storage: Storage): DesktopNotificationSettings {
  const parsed = DesktopNotificationSettings.safeParse(parseJson(storage.getItem(SETTINGS_KEY)));
  return parsed.success ? parsed.data : defaultDesktopNotificationSettings;
}

export function saveBrowserSettings(storage: Storage, settings: DesktopNotificationSettings): void {
  storage.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

function readSeen(storage: Storage): string[] | null {
  const seen = parseJson(storage.getItem(SEEN_KEY));
  return Array.isArray(seen) ? seen.filter((key): key is string => typeof key === 'string') : null;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export interface BrowserNotifierDeps {
  client: FleetdeckClient;
  notifications: WebNotifications;
  storage: Storage;
  now(): number;
  /** Shows the alert in this tab (a click on its notification). */
  open(alertId: string): void;
  minuteOfDay?: (epochMs: number) => number;
}

/**
 * Shows the fleet's alert events as Web notifications while this tab is open and allowed to: on every change, the
 * fleet's alerts are listed and each event not yet remembered in this browser's storage is remembered (before it is
 * shown), then shown if it passes the settings. Returns the function to call on a change.
 */
export function browserNotifier(deps: BrowserNotifierDeps): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const check = async (): Promise<void> => {
    const { client, notifications, storage } = deps;
    // Until allowed, events are still remembered: granting later must not bring the ones before it.
    if (notifications.permission === 'denied') return;
    const alerts = await client.call('alerts.list', { scope: 'fleet', state: 'all', limit: 1000 });
    // Read right before writing: another tab of this browser may have remembered events meanwhile.
    const { show, remember } = browserNotices(
      alerts,
      readBrowserSettings(storage),
      readSeen(storage),
      deps.now(),
      deps.minuteOfDay,
    );
    storage.setItem(SEEN_KEY, JSON.stringify(remember));
    if (notifications.permission !== 'granted') return;
    for (const notice of show) notifications.show(notice, () => deps.open(notice.alertId));
  };
  // One listing at a time; changes during one bring exactly one more.
  const changed = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await check();
        } catch (error) {
          console.warn(`[notifications] could not list the fleet's alerts: ${String(error)}`);
        }
      } while (again);
    })().finally(() => (running = null));
    return running;
  };
  return changed;
}
