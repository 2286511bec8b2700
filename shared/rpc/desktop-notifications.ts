import { DesktopNotificationSettings } from '../desktop-notifications.js';
import { method, NoParams } from './method.js';

/** This console's own notification settings (kept in its SQLite, not fleet-wide). */
export const desktopNotificationsMethods = {
  'notifications.desktop.get': method(
    NoParams,
    DesktopNotificationSettings,
    'Which fleet alert transitions this console shows as desktop notifications.',
  ),
  'notifications.desktop.set': method(
    DesktopNotificationSettings,
    DesktopNotificationSettings,
    "Saves this console's desktop notification settings: on/off, the minimum severity, do-not-disturb hours.",
  ),
} as const;
