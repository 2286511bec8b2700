import { z } from 'zod';
import { EpochMs } from './ids.js';
import { LabelMatchers } from './label-matchers.js';
import { Slug } from './services.js';

/** Someone is on it: the alert stays open and stops repeating until it resolves, is unacknowledged or `untilMs`. */
export const AlertAck = z.object({
  /** The principal that acknowledged (a token's name, `desktop`, …), never what a client claimed. */
  by: z.string(),
  at: EpochMs,
  note: z.string(),
  /** When the acknowledgement lapses by itself; null: until the alert resolves. */
  untilMs: EpochMs.nullable(),
});
export type AlertAck = z.infer<typeof AlertAck>;

/** Every change of an alert, in the order it happened: what its timeline shows. */
export const TimelineKind = z.enum([
  'raised',
  'firing',
  'resolved',
  'acknowledged',
  'unacknowledged',
  'ackExpired',
  'manuallyResolved',
]);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const TimelineEntry = z.object({
  id: z.number().int().positive(),
  alertId: z.number().int().positive(),
  at: EpochMs,
  kind: TimelineKind,
  /** Who did it (acknowledge, unacknowledge, manual resolve); null for what the rule or the clock did. */
  actor: z.string().nullable(),
  /** The ack's note, or the alert's summary when its state changed. */
  detail: z.string(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

const silenceShape = {
  /** Which alerts: matched against their labels plus `node`, `rule`, `severity` and `service` (see README). */
  matchers: LabelMatchers.min(1, 'a silence needs at least one matcher'),
  startsAt: EpochMs,
  endsAt: EpochMs,
  comment: z.string().max(1000).default(''),
};

const endsAfterStart = (value: { startsAt: number; endsAt: number }, ctx: z.RefinementCtx) => {
  if (value.endsAt <= value.startsAt) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  }
};

/** A silence as a client sends it: without an id it is a new one; its creator is the caller. */
export const SilenceDraft = z
  .object({ id: Slug.optional(), ...silenceShape })
  .strict()
  .superRefine(endsAfterStart);
export type SilenceDraft = z.infer<typeof SilenceDraft>;
export type SilenceDraftInput = z.input<typeof SilenceDraft>;

/** Alerts it matches are still raised, stored and shown, but marked silenced: channels do not tell of them. */
export const Silence = z
  .object({ id: Slug, ...silenceShape, createdBy: z.string() })
  .strict()
  .superRefine(endsAfterStart);
export type Silence = z.infer<typeof Silence>;

/** Once, or every time a cron expression (croner syntax, minutes resolution) ticks, for `durationMinutes`. */
export const WindowSchedule = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('once'), startsAt: EpochMs, endsAt: EpochMs })
    .strict()
    .superRefine(endsAfterStart),
  z
    .object({
      kind: z.literal('recurring'),
      cron: z.string().min(1).max(200),
      durationMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60),
      /** IANA time zone the expression is read in; UTC when absent. */
      timezone: z.string().min(1).max(64).optional(),
    })
    .strict(),
]);
export type WindowSchedule = z.infer<typeof WindowSchedule>;

/** Planned work: silences the alerts its matchers select (a node label, `node`, `service`, …) while it is open. */
export const MaintenanceWindow = z
  .object({
    id: Slug,
    name: z.string().min(1).max(128),
    matchers: LabelMatchers.min(1, 'a maintenance window needs at least one matcher'),
    schedule: WindowSchedule,
    comment: z.string().max(1000).default(''),
  })
  .strict();
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;
export type MaintenanceWindowInput = z.input<typeof MaintenanceWindow>;
