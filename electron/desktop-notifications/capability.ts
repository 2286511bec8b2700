import type { FleetAlertRecord } from '../../shared/fleet-alerts.js';
import type { desktopNotificationsMethods } from '../../shared/rpc/desktop-notifications.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import type { BackendMirror } from '../cluster/backend-mirror.js';
import { acknowledgeAlert } from './acknowledge-alert.js';
import { AlertNotifier } from './alert-notifier.js';
import { DesktopNotificationsRepository } from './desktop-notifications-repository.js';
import type { DesktopNotifierPort } from './desktop-notifier-port.js';

export interface DesktopNotificationsDeps {
  /** The fleet's alert records, as the alert delivery capability mirrors them. */
  records: BackendMirror<FleetAlertRecord>;
  /** The OS notifications of the desktop app; absent in a headless agent, where nothing is shown. */
  port?: DesktopNotifierPort;
}

/** Desktop notifications of fleet alert transitions, and this console's settings for them. */
export function createDesktopNotificationsCapability(
  context: Pick<CapabilityContext, 'clock' | 'store' | 'logger' | 'call'>,
  deps: DesktopNotificationsDeps,
): Capability<keyof typeof desktopNotificationsMethods> {
  const { clock, store } = context;
  const repository = store.repository((db) => new DesktopNotificationsRepository(db));
  const { port } = deps;
  const notifier =
    port &&
    new AlertNotifier({
      records: deps.records,
      repository,
      port,
      clock,
      logger: context.logger('desktop-notifications'),
      acknowledge: (alert) => acknowledgeAlert(context.call, alert),
    });
  let stop: (() => void) | null = null;

  return {
    name: 'desktop-notifications',
    handlers: {
      'notifications.desktop.get': () => repository.settings(),
      'notifications.desktop.set': (settings) => {
        repository.saveSettings(settings, clock.now());
        return settings;
      },
    },
    start() {
      stop = notifier?.start() ?? null;
    },
    stop() {
      stop?.();
      stop = null;
    },
  };
}
