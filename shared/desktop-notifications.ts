import { z } from 'zod';
import { AlertSeverity } from './alerts.js';
import type { FleetAlertEvent, FleetAlertRecord } from './fleet-alerts.js';

/** A local time of day, `HH:MM` (24 h). */
export const LocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM (00:00 to 23:59)');
export type LocalTime = z.infer<typeof LocalTime>;

/** Hours without notifications, in the console's local time; `from` after `to` wraps past midnight (22:00–07:00). */
export const DoNotDisturb = z.object({ from: LocalTime, to: LocalTime }).strict();
export type DoNotDisturb = z.infer<typeof DoNotDisturb>;

/** Which fleet alert transitions one console (or one browser) shows as notifications. */
export const DesktopNotificationSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** Alerts below this severity are not shown. */
    minSeverity: AlertSeverity.default('warning'),
    doNotDisturb: DoNotDisturb.nullable().default(null),
  })
  .strict();
export type DesktopNotificationSettings = z.infer<typeof DesktopNotificationSettings>;
export type DesktopNotificationSettingsInput = z.input<typeof DesktopNotificationSettings>;

export const defaultDesktopNotificationSettings: DesktopNotificationSettings = DesktopNotificationSettings.parse({});

const minutesOf = (time: LocalTime): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The minute of the local day (0–1439) at `epochMs`, in the time zone this process runs in. */
export const localMinuteOfDay = (epochMs: number): number => {
  const date = new Date(epochMs);
  return date.getHours() * 60 + date.getMinutes();
};

/** Whether `minute` (of the local day) falls in the quiet hours: `from` inclusive, `to` exclusive; equal means none. */
export function inDoNotDisturb(doNotDisturb: DoNotDisturb | null, minute: number): boolean {
  if (!doNotDisturb) return false;
  const from = minutesOf(doNotDisturb.from);
  const to = minutesOf(doNotDisturb.to);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

const severityRank = (severity: string): number =>
  Math.max(0, AlertSeverity.options.indexOf(severity as AlertSeverity));

/** Whether an alert of `severity` is shown at `minute` of the local day under `settings`. */
export function shouldNotify(settings: DesktopNotificationSettings, severity: string, minute: number): boolean {
  return (
    settings.enabled &&
    severityRank(severity) >= severityRank(settings.minSeverity) &&
    !inDoNotDisturb(settings.doNotDisturb, minute)
  );
}

/** What a notification of one event says: the same in the desktop app and in a browser tab. */
export function notificationText(
  alert: Pick<FleetAlertRecord['alert'], 'severity' | 'ruleName' | 'summary' | 'node' | 'acknowledgedBy'>,
  transition: FleetAlertEvent['transition'],
): { title: string; body: string } {
  const by = transition === 'acknowledged' && alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : '';
  return {
    title: `${alert.severity.toUpperCase()}: ${alert.ruleName} ${transition}${by}`,
    body: `${alert.summary} — on ${alert.node}`,
  };
}
