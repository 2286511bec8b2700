import type { FleetdeckClient } from '../../shared/client.js';
import { FLEET_NODE } from '../../shared/fleet-rules.js';
import type { AgentConnection } from '../client/agent-connection.js';
import { viewHref } from '../shell/views.js';
import { useAlertLifecycleStore } from '../stores/alert-lifecycle-store.js';
import { useAlertsStore } from '../stores/alerts-store.js';
import { useNodesStore } from '../stores/nodes-store.js';
import { browserNotifier, webNotifications } from './browser-notifier.js';

/**
 * Shows a fleet alert (`<node>/<id>`) a notification was opened for: the Alerts view, on the alert's node with its
 * detail panel open. An alert of the fleet rules belongs to no member: the fleet-wide list there shows it.
 */
async function revealAlert(client: FleetdeckClient, alertId: string): Promise<void> {
  location.hash = viewHref('alerts');
  const at = alertId.lastIndexOf('/');
  const node = alertId.slice(0, at);
  const id = Number(alertId.slice(at + 1));
  if (node === FLEET_NODE || !Number.isInteger(id) || id <= 0) return;
  const self = useNodesStore.getState().self;
  await useAlertsStore.getState().selectMember(client, node === self?.id ? null : node);
  await useAlertLifecycleStore.getState().showDetail(client, id);
}

/**
 * Notifications for the life of the window. The desktop app's are shown by its main process, which only tells the
 * page which alert was opened; a browser tab shows Web notifications itself, looking again whenever the fleet's
 * alerts change and whenever events flow again (changes may have been missed meanwhile).
 */
export function startNotifications({ client, transport }: AgentConnection): void {
  if (window.fleetdeck) {
    window.fleetdeck.onRevealAlert((alertId) => void revealAlert(client, alertId));
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
      void revealAlert(client, alertId);
    },
  });
  client.subscribe((event) => {
    if (event.type === 'fleetAlerts.changed') void changed();
  });
  transport.watchConnection((state) => {
    if (state === 'live') void changed();
  });
}
