import { Channel } from '../../shared/notifications.js';
import type { notificationsMethods } from '../../shared/rpc/notifications.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import { PRUNE_INTERVAL_MS } from '../config/history-retention.js';
import { repeat } from '../core/clock.js';
import { notificationsHandlers } from './handlers.js';
import { nodeSecrets } from './node-secrets.js';
import { NotificationService } from './notification-service.js';
import { OutboxRepository } from './outbox-repository.js';

/** Settled deliveries are kept this long for the deliveries table and the alert timelines. */
const KEEP_SETTLED_MS = 7 * 24 * 3_600_000;

/**
 * Notification channels (a fleet config kind) and the outbox. The service is exposed for the leader's fleet-wide
 * delivery, which starts and stops its delivery loop; this capability never starts it.
 */
export function createNotificationsCapability(context: CapabilityContext) {
  const { config, clock, random, store, fleet, node } = context;
  const logger = context.logger('notifications');
  const service = new NotificationService({
    repository: store.repository((db) => new OutboxRepository(db)),
    clock,
    random,
    logger,
    sendContext: { ...nodeSecrets(config.files.readDirs), consoleUrl: config.notifications.consoleUrl, logger },
  });
  const fleetChannels = fleet.register('channels', Channel, service);
  const stops: Array<() => void> = [];
  const prune = () => service.prune(clock.now() - KEEP_SETTLED_MS);

  return {
    name: 'notifications',
    service,
    handlers: notificationsHandlers(service, fleetChannels, { fleet: config.cluster, node: node.id }),
    start() {
      prune();
      stops.push(repeat(clock, PRUNE_INTERVAL_MS, prune));
    },
    async stop() {
      for (const stop of stops.splice(0)) stop();
      await service.stop();
    },
  } satisfies Capability<keyof typeof notificationsMethods> & { service: NotificationService };
}

export type NotificationsCapability = ReturnType<typeof createNotificationsCapability>;
