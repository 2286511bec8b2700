import { localMinuteOfDay, notificationText, shouldNotify } from '../../shared/desktop-notifications.js';
import type { FleetAlertEvent, FleetAlertRecord } from '../../shared/fleet-alerts.js';
import type { BackendMirror } from '../cluster/backend-mirror.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DesktopNotificationsRepository } from './desktop-notifications-repository.js';
import type { DesktopNoticeAction, DesktopNotifierPort } from './desktop-notifier-port.js';

export interface AlertNotifierDeps {
  records: Pick<BackendMirror<FleetAlertRecord>, 'ready' | 'values' | 'onChange'>;
  repository: DesktopNotificationsRepository;
  port: DesktopNotifierPort;
  clock: Clock;
  logger: Logger;
  /** Acknowledges the alert on its node, as this console's user. */
  acknowledge(alert: FleetAlertRecord['alert']): Promise<void>;
  /** The minute of the local day at a time (do-not-disturb hours); the process's time zone by default. */
  minuteOfDay?: (epochMs: number) => number;
}

/**
 * Shows one OS notification per event of the fleet's alerts (firing, acknowledged, resolved) that passes this
 * console's settings. Each event is dealt with once: how far each alert got is saved before anything is shown, so
 * neither a new record revision nor a restart shows an event twice. On the very first pass the fleet's alerts as
 * they are then are backlog, taken in without a notification.
 */
export class AlertNotifier {
  /** Alert id → last event seq dealt with; read from the database on the first pass. */
  private seen: Map<string, number> | null = null;
  private baselineTaken = false;

  constructor(private readonly deps: AlertNotifierDeps) {}

  /** Deals with what the mirror holds now and on every change; returns a function that stops it. */
  start(): () => void {
    const stop = this.deps.records.onChange(() => this.pass());
    this.pass();
    return stop;
  }

  private pass(): void {
    const { records, repository, clock } = this.deps;
    // Until the mirror has listed everything, absence means nothing and the backlog is not all there.
    if (!records.ready) return;
    const seen = (this.seen ??= repository.seen());
    this.baselineTaken ||= repository.hasBaseline();
    const backlog = !this.baselineTaken;
    const now = clock.now();
    const settings = repository.settings();
    const minute = (this.deps.minuteOfDay ?? localMinuteOfDay)(now);
    const advanced = new Map<string, number>();
    const present = new Set<string>();
    const due: Array<{ record: FleetAlertRecord; event: FleetAlertEvent }> = [];
    for (const { value: record } of records.values()) {
      const { id, severity } = record.alert;
      present.add(id);
      const fresh = record.events.filter((event) => event.seq > (seen.get(id) ?? 0));
      const last = fresh.at(-1);
      if (!last) continue;
      advanced.set(id, last.seq);
      if (backlog || !shouldNotify(settings, severity, minute)) continue;
      for (const event of fresh) due.push({ record, event });
    }
    const gone = [...seen.keys()].filter((id) => !present.has(id));
    if (advanced.size > 0 || gone.length > 0 || backlog) {
      repository.saveSeen({ seen: advanced, gone, baseline: backlog, now });
      for (const [id, seq] of advanced) seen.set(id, seq);
      for (const id of gone) seen.delete(id);
      this.baselineTaken = true;
    }
    for (const { record, event } of due) this.show(record, event);
  }

  private show(record: FleetAlertRecord, event: FleetAlertEvent): void {
    const { port, logger } = this.deps;
    const { alert } = record;
    const actions: DesktopNoticeAction[] = event.transition === 'firing' ? ['acknowledge', 'open'] : ['open'];
    const onAction = (action: DesktopNoticeAction) => {
      if (action === 'open') {
        port.reveal(alert.id);
        return;
      }
      this.deps.acknowledge(alert).then(
        () => logger.info({ alertId: alert.id }, 'acknowledged from its notification'),
        (error: unknown) =>
          logger.warn({ alertId: alert.id, err: errorMessage(error) }, 'acknowledging from a notification failed'),
      );
    };
    try {
      port.show({ ...notificationText(alert, event.transition), alertId: alert.id, actions }, onAction);
    } catch (error) {
      logger.warn({ alertId: alert.id, err: errorMessage(error) }, 'the desktop notification could not be shown');
    }
  }
}
