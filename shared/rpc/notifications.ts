import { z } from 'zod';
import { ChannelInput, ChannelShown, Delivery, DeliveryState, SendOutcome } from '../notifications.js';
import { Slug } from '../services.js';
import { fleetConfigMethods } from './fleet-config.js';
import { method } from './method.js';

const fleetChannels = fleetConfigMethods(ChannelInput, 'Notification channels');

/** Where alert notifications go (fleet-wide channels) and what the outbox did with them. */
export const notificationsMethods = {
  'fleet.channels.list': method(
    fleetChannels.list.request,
    z.array(z.object({ id: Slug, value: ChannelShown.nullable(), problem: z.string().nullable() })),
    'Notification channels saved for the whole fleet; a secret is shown as set (or where it is read), never its value.',
  ),
  'fleet.channels.put': fleetChannels.put,
  'fleet.channels.remove': fleetChannels.remove,
  'channels.test': method(
    z.object({ id: Slug }).strict(),
    SendOutcome,
    'Sends a test notification through one channel from this node and answers what the receiver said.',
  ),
  'notifications.list': method(
    z
      .object({
        state: DeliveryState.optional(),
        channelId: Slug.optional(),
        /** One alert's deliveries, by its fleet-wide id (`<node>/<id>`): the notifications part of its timeline. */
        alertId: z.string().min(3).max(200).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    z.array(Delivery),
    "Deliveries in this node's outbox (the leader's sends them), newest first.",
  ),
} as const;
