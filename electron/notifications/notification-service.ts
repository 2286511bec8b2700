import { createHash, randomUUID } from 'node:crypto';
import type { AlertNotice } from '../../shared/alert-notice.js';
import { type Channel, type Delivery, type SendOutcome, severityRank } from '../../shared/notifications.js';
import type { Clock } from '../core/clock.js';
import { compileMatchers, type LabelPredicate } from '../core/label-matchers.js';
import type { Logger } from '../core/logger.js';
import type { FleetTarget } from '../fleet-config/fleet-config.js';
import { Outbox, type OutboxPolicy } from './outbox.js';
import type { DeliveryQuery, OutboxRepository, PendingDelivery } from './outbox-repository.js';
import { sendThroughChannel } from './senders/send-through-channel.js';
import type { SendAttempt, SendContext } from './senders/sender.js';

export interface NotificationServiceOptions {
  repository: OutboxRepository;
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** This node's secrets, files and console link, for every send. */
  sendContext: SendContext;
  policy?: Partial<OutboxPolicy>;
}

/** A stable id for one notice to one channel: the same on every node and every attempt. */
export const deliveryIdOf = (key: string, channelId: string): string =>
  createHash('sha256').update(`${key}\n${channelId}`).digest('hex').slice(0, 32);

/**
 * The channels in force on this node (fleet config), routing of alert notices to them, and the outbox that sends
 * them. Every node keeps the channels; only the leader runs the delivery loop (`start`).
 */
export class NotificationService implements FleetTarget<Channel> {
  private readonly inForce = new Map<string, { channel: Channel; matches: LabelPredicate }>();
  private readonly outbox: Outbox;

  constructor(private readonly options: NotificationServiceOptions) {
    this.outbox = new Outbox({
      repository: options.repository,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      policy: options.policy,
      send: (delivery) => this.send(delivery),
    });
  }

  applyFleet(channel: Channel): void {
    this.inForce.set(channel.id, { channel, matches: compileMatchers(channel.matchers) });
  }

  withdrawFleet(id: string): void {
    this.inForce.delete(id);
  }

  fleetIds(): string[] {
    return [...this.inForce.keys()];
  }

  /** The channels in force (secrets as stored: references are resolved only when sending). */
  channels(): Channel[] {
    return [...this.inForce.values()].map(({ channel }) => channel);
  }

  /**
   * Routes the notice (enabled, minSeverity, matchers on the alert's labels plus `node`, `rule`, `severity`; a
   * `repeat` only to channels with a repeat interval) and enqueues one delivery per matching channel that is sent.
   * Returns the deliveries (new or already there) and the desktop channels that matched. With `onlyChannelId`, that
   * channel alone is considered (a reminder due on one channel's interval).
   */
  enqueueNotice(
    notice: AlertNotice,
    key: string,
    onlyChannelId?: string,
  ): { deliveryIds: string[]; desktopChannelIds: string[] } {
    const { alert } = notice;
    const labels = { ...alert.labels, node: alert.node, rule: alert.ruleId, severity: alert.severity };
    const matched = [...this.inForce.values()]
      .filter(({ channel }) => onlyChannelId === undefined || channel.id === onlyChannelId)
      .filter(({ channel, matches }) => channel.enabled && matches(labels))
      .map(({ channel }) => channel)
      .filter((channel) => severityRank(alert.severity) >= severityRank(channel.minSeverity))
      .filter((channel) => notice.transition !== 'repeat' || channel.repeatIntervalSeconds !== undefined);
    const sent = matched.filter((channel) => channel.type !== 'desktop');
    const deliveries = sent.map((channel) => ({
      deliveryId: deliveryIdOf(key, channel.id),
      noticeKey: key,
      channelId: channel.id,
      stream: `${alert.id}\n${channel.id}`,
      notice,
    }));
    this.outbox.enqueue(deliveries);
    return {
      deliveryIds: deliveries.map((d) => d.deliveryId),
      desktopChannelIds: matched.filter((channel) => channel.type === 'desktop').map((channel) => channel.id),
    };
  }

  isSettled(key: string): boolean {
    return this.outbox.isSettled(key);
  }

  onSettled(listener: (key: string) => void): () => void {
    return this.outbox.onSettled(listener);
  }

  /** Starts the delivery loop (the leader only). */
  start(): void {
    this.outbox.start();
  }

  stop(): Promise<void> {
    return this.outbox.stop();
  }

  /** Sends a made-up firing notice through a channel now, outside the outbox, with this node's secrets. */
  async test(channel: Channel, fleet: string, node: string): Promise<SendOutcome> {
    const now = this.options.clock.now();
    const { ok, detail } = await sendThroughChannel(
      channel,
      {
        deliveryId: `test-${randomUUID()}`,
        sentAt: now,
        transition: 'firing',
        fleet,
        alert: {
          id: `${node}/test`,
          ruleId: 'test',
          ruleName: 'Test notification',
          severity: channel.minSeverity,
          state: 'firing',
          summary: `A test of channel "${channel.name}" from Fleetdeck`,
          node,
          labels: {},
          startedAt: now,
          firingAt: now,
          resolvedAt: null,
        },
      },
      this.options.sendContext,
    );
    return { ok, detail };
  }

  deliveries(query: DeliveryQuery): Delivery[] {
    return this.options.repository.list(query);
  }

  /** Removes deliveries settled before `before`. */
  prune(before: number): number {
    return this.options.repository.prune(before);
  }

  private async send(delivery: PendingDelivery): Promise<SendAttempt> {
    const entry = this.inForce.get(delivery.channelId);
    if (!entry) return { ok: false, retryable: false, detail: 'the channel was removed' };
    const body = { ...delivery.notice, deliveryId: delivery.deliveryId, sentAt: this.options.clock.now() };
    return sendThroughChannel(entry.channel, body, this.options.sendContext);
  }
}
