import type { Channel } from '../../shared/notifications.js';
import type { notificationsMethods } from '../../shared/rpc/notifications.js';
import type { Handlers } from '../api/handler-table.js';
import type { FleetConfigSync } from '../cluster/fleet-config-sync.js';
import { CodedError } from '../core/coded-error.js';
import { compileMatchers } from '../core/label-matchers.js';
import { fleetRemove } from '../fleet-config/handlers.js';
import { redactChannel, withKeptSecrets } from './channel-secrets.js';
import type { NotificationService } from './notification-service.js';

export function notificationsHandlers(
  service: NotificationService,
  fleetChannels: FleetConfigSync<Channel>,
  origin: { fleet: string; node: string },
): Handlers<keyof typeof notificationsMethods> {
  const stored = async (id: string) => (await fleetChannels.list()).find((entry) => entry.id === id)?.value ?? null;
  return {
    'fleet.channels.list': async () =>
      (await fleetChannels.list()).map((entry) => ({
        ...entry,
        value: entry.value && redactChannel(entry.value),
      })),
    'fleet.channels.put': async ({ value }) => {
      const channel = withKeptSecrets(value, await stored(value.id));
      compileMatchers(channel.matchers, 'value.matchers');
      return { revision: await fleetChannels.put(channel.id, channel) };
    },
    'fleet.channels.remove': fleetRemove(fleetChannels),
    // The channel as saved, so a test right after a save needs no wait for the fleet config to arrive here.
    'channels.test': async ({ id }) => {
      const channel = await stored(id);
      if (!channel) throw new CodedError('not_found', `no channel "${id}" is saved for the fleet`);
      return service.test(channel, origin.fleet, origin.node);
    },
    'notifications.list': (query) => service.deliveries(query),
  };
}
