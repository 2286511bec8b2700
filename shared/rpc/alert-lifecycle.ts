import { z } from 'zod';
import { MaintenanceWindow, Silence, SilenceDraft, TimelineEntry } from '../alert-lifecycle.js';
import { Alert } from '../alerts.js';
import { EpochMs } from '../ids.js';
import { LabelMatchers } from '../label-matchers.js';
import { Slug } from '../services.js';
import { fleetConfigMethods } from './fleet-config.js';
import { method } from './method.js';

const AlertId = z.object({ id: z.number().int().positive() }).strict();
const fleetSilences = fleetConfigMethods(Silence, 'Silences');
const fleetWindows = fleetConfigMethods(MaintenanceWindow, 'Maintenance windows');

/** Acknowledge, manual resolve and the timeline of this node's alerts; the fleet's silences and maintenance windows. */
export const alertLifecycleMethods = {
  'alerts.acknowledge': method(
    z
      .object({
        id: z.number().int().positive(),
        note: z.string().max(1000).default(''),
        /** When the acknowledgement lapses by itself; absent: until the alert resolves or is unacknowledged. */
        untilMs: EpochMs.optional(),
      })
      .strict(),
    Alert,
    'Marks an open alert of this node as being looked after, by the caller; it stays open and stops repeating.',
  ),
  'alerts.unacknowledge': method(AlertId, Alert, "Withdraws an alert's acknowledgement."),
  'alerts.resolve': method(
    AlertId,
    Alert,
    "Resolves an open alert by hand; refused while its rule's condition still holds, naming the current value.",
  ),
  'alerts.timeline': method(AlertId, z.array(TimelineEntry), 'Every change of one alert of this node, oldest first.'),
  'alerts.silencePreview': method(
    z.object({ matchers: LabelMatchers, startsAt: EpochMs.optional(), endsAt: EpochMs.optional() }).strict(),
    z.array(Alert),
    "This node's open alerts a draft silence would match (at `startsAt`, now when absent), before it is saved.",
  ),
  'fleet.silences.list': fleetSilences.list,
  'fleet.silences.put': method(
    z.object({ value: SilenceDraft }).strict(),
    z.object({ id: Slug, revision: z.string() }),
    'Saves a silence for the whole fleet (a new one without an id); its creator is the caller.',
  ),
  'fleet.silences.remove': fleetSilences.remove,
  'fleet.maintenanceWindows.list': fleetWindows.list,
  'fleet.maintenanceWindows.put': fleetWindows.put,
  'fleet.maintenanceWindows.remove': fleetWindows.remove,
} as const;
