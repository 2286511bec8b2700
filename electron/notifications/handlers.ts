import type { Channel } from '../../shared/notifications.js';
import type { notificationsMethods } from '../../shared/rpc/notifications.js';
import type { Handlers } from '../api/handler-table.js';
import type { FleetConfigSync } from '../cluster/fleet-config-sync.js';
import { compileMatchers } from '../core/label-matchers.js';
import { fleetRemove } from '../fleet-config/handlers.js';
import { redactChannel, withKeptSecrets } from './channel-secrets.js';
import type { NotificationService } from './notification-service.js';

export function notificationsHandlers(
  service: NotificationService,
  fleetChannels: FleetConfigSync<Channel>,
  origin: { fleet: string; node: string },
): Handlers<keyof typeof notificationsMethods> {
  return {
    'fleet.channels.list': async () =>
      (await fleetChannels.list()).map((entry) => ({
        ...entry,
        value: entry.value && redactChannel(entry.value),
      })),
    'fleet.channels.put': async ({ value }) => {
      const stored = (await fleetChannels.list()).find((entry) => entry.id === value.id)?.value ?? null;
      const channel = withKeptSecrets(value, stored);
      compileMatchers(channel.matchers, 'value.matchers');
      return { revision: await fleetChannels.put(channel.id, channel) };
    },
    'fleet.channels.remove': fleetRemove(fleetChannels),
    'channels.test': ({ id }) => service.test(id, origin.fleet, origin.node),
    'notifications.list': (query) => service.deliveries(query),
  };
}
