import { z } from 'zod';
import { AlertAck } from './alert-lifecycle.js';
import { NotifiedAlert } from './alert-notice.js';
import { Alert } from './alerts.js';
import { EpochMs, NodeId } from './ids.js';

/** A transition people are told of, in the order the alert's node saw them. */
export const FleetAlertEvent = z.object({
  seq: z.number().int().positive(),
  transition: z.enum(['firing', 'resolved', 'acknowledged']),
  at: EpochMs,
});
export type FleetAlertEvent = z.infer<typeof FleetAlertEvent>;

/** Events kept on one record: enough for any real life of an alert (firing, a few acks, resolved). */
export const MAX_RECORD_EVENTS = 32;

/**
 * One alert as its node published it to the coordination backend (`alerts/records/<node>/<id>`): written by that
 * node only, kept without a lease so it outlives the node, and deleted by the leader once the alert is resolved and
 * every event was told. `localId`, `value`, `description` and `acknowledged` let a console show and relay it like
 * one of its own.
 */
export const FleetAlertRecord = z.object({
  alert: NotifiedAlert.extend({
    localId: z.number().int().positive(),
    value: z.number().nullable(),
    firingValue: z.number().nullable().default(null),
    description: z.string(),
    acknowledged: AlertAck.nullable(),
  }),
  events: z.array(FleetAlertEvent).max(MAX_RECORD_EVENTS),
});
export type FleetAlertRecord = z.infer<typeof FleetAlertRecord>;

/**
 * How far the leader got with one record (`alerts/progress/<node>/<id>`), written fenced by its leadership so a new
 * leader resumes there: events up to `notifiedSeq` are settled; `firingSent` says a firing went out, so its resolved
 * must go out too (even if a silence began in between).
 */
export const FleetAlertProgress = z.object({
  notifiedSeq: z.number().int().nonnegative(),
  firingSent: z.boolean(),
});
export type FleetAlertProgress = z.infer<typeof FleetAlertProgress>;

/** An alert as `alerts.list` returns it: with the node it belongs to (`scope: 'fleet'` lists every node's). */
export const ListedAlert = Alert.extend({ node: NodeId });
export type ListedAlert = z.infer<typeof ListedAlert>;
