import type { AgentConnection } from '../client/agent-connection.js';
import { viewHref } from '../shell/views.js';
import { useDesktopNotificationsStore } from '../stores/desktop-notifications-store.js';
import { browserNotifier, webNotifications } from './browser-notifier.js';

/** Shows a fleet alert a notification was opened for: the Alerts view, told which alert. */
function revealAlert(alertId: string): void {
  useDesktopNotificationsStore.getState().revealed(alertId);
  location.hash = viewHref('alerts');
}

/**
 * Notifications for the life of the window. The desktop app's are shown by its main process, which only tells the
 * page which alert was opened; a browser tab shows Web notifications itself, looking again whenever the fleet's
 * alerts change and whenever events flow again (changes may have been missed meanwhile).
 */
export function startNotifications({ client, transport }: AgentConnection): void {
  if (window.fleetdeck) {
    window.fleetdeck.onRevealAlert(revealAlert);
    return;
  }
  const notifications = webNotifications();
  if (!notifications) return;
  const changed = browserNotifier({
    client,
    notifications,
    storage: localStorage,
    now: () => Date.now(),
    open: (alertId) => {
      window.focus();
      revealAlert(alertId);
    },
  });
  client.subscribe((event) => {
    if (event.type === 'fleetAlerts.changed') void changed();
  });
  transport.watchConnection((state) => {
    if (state === 'live') void changed();
  });
}
