import {
  localMinuteOfDay,
  notificationText,
  shouldNotify,
  type DesktopNotificationSettings,
} from '../../shared/desktop-notifications.js';
import type { FleetAlertEvent, ListedAlert } from '../../shared/fleet-alerts.js';

/** One notification for one event of one fleet alert, as a browser tab shows it. */
export interface BrowserNotice {
  /** The event's key: `<node>/<id>:<transition>:<at>`, the same in every tab of this browser. */
  key: string;
  /** The fleet-wide alert id, `<node>/<id>`. */
  alertId: string;
  title: string;
  body: string;
}

/** Events remembered per browser: far more than the fleet's records hold at once. */
export const MAX_REMEMBERED = 2000;

/** The events a listed alert went through that people are told of, keyed so one event has one key. */
export function alertEvents(alert: ListedAlert): Array<{ key: string; transition: FleetAlertEvent['transition'] }> {
  const alertId = `${alert.node}/${alert.id}`;
  const events: Array<[FleetAlertEvent['transition'], number | null | undefined]> = [
    ['firing', alert.firingAt],
    ['acknowledged', alert.acknowledged?.at],
    // A raised alert that resolved without firing tells nobody.
    ['resolved', alert.firingAt === null ? null : alert.resolvedAt],
  ];
  return events.flatMap(([transition, at]) =>
    at === null || at === undefined ? [] : [{ key: `${alertId}:${transition}:${at}`, transition }],
  );
}

/**
 * What a tab shows for the fleet's alerts as listed now: every event not yet remembered that passes the settings.
 * `remembered` null means this browser never looked before: what is there is backlog, remembered and not shown.
 * `remember` is every key to keep (the new ones last, trimmed to the newest `MAX_REMEMBERED`).
 */
export function browserNotices(
  alerts: readonly ListedAlert[],
  settings: DesktopNotificationSettings,
  remembered: readonly string[] | null,
  now: number,
  minuteOfDay: (epochMs: number) => number = localMinuteOfDay,
): { show: BrowserNotice[]; remember: string[] } {
  const known = new Set(remembered ?? []);
  const fresh: string[] = [];
  const show: BrowserNotice[] = [];
  const minute = minuteOfDay(now);
  for (const alert of alerts) {
    const passes = shouldNotify(settings, alert.severity, minute);
    for (const { key, transition } of alertEvents(alert)) {
      if (known.has(key)) continue;
      known.add(key);
      fresh.push(key);
      if (remembered === null || !passes) continue;
      const acknowledgedBy = alert.acknowledged?.by;
      const text = notificationText({ ...alert, ...(acknowledgedBy ? { acknowledgedBy } : {}) }, transition);
      show.push({ key, alertId: `${alert.node}/${alert.id}`, ...text });
    }
  }
  return { show, remember: [...(remembered ?? []), ...fresh].slice(-MAX_REMEMBERED) };
}
