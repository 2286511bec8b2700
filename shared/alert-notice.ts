import { z } from 'zod';
import { EpochMs, NodeId } from './ids.js';

/** What happened to an alert that people are told of. `repeat`: still firing, told again after a channel's interval. */
export const AlertTransition = z.enum(['firing', 'resolved', 'acknowledged', 'repeat']);
export type AlertTransition = z.infer<typeof AlertTransition>;

/** The alert as a notification shows it (the webhook body's `alert`). */
export const NotifiedAlert = z.object({
  /** Fleet-wide: `<node>/<local id>`. */
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  severity: z.string(),
  state: z.string(),
  summary: z.string(),
  node: NodeId,
  labels: z.record(z.string(), z.string()),
  startedAt: EpochMs,
  firingAt: EpochMs.nullable(),
  resolvedAt: EpochMs.nullable(),
  acknowledgedBy: z.string().optional(),
});
export type NotifiedAlert = z.infer<typeof NotifiedAlert>;

/** One transition to tell of, before it is routed to channels. */
export const AlertNotice = z.object({
  transition: AlertTransition,
  alert: NotifiedAlert,
  /** The fleet's name (its key prefix), so one receiver can serve several fleets. */
  fleet: z.string(),
});
export type AlertNotice = z.infer<typeof AlertNotice>;

/** The body POSTed to a webhook; `deliveryId` is the same on every attempt of one delivery, so a copy can be dropped. */
export const WebhookBody = AlertNotice.extend({ deliveryId: z.string(), sentAt: EpochMs });
export type WebhookBody = z.infer<typeof WebhookBody>;
