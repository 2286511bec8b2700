import { z } from 'zod';
import { AlertTransition } from './alert-notice.js';
import { EpochMs } from './ids.js';
import { LabelMatchers } from './label-matchers.js';
import { Slug } from './services.js';

/**
 * Severities in rising order, for a channel's `minSeverity`. Kept here until `shared/alerts.ts` has `emergency`; an
 * alert severity this list does not know ranks lowest.
 */
export const NotificationSeverity = z.enum(['info', 'warning', 'critical', 'emergency']);
export type NotificationSeverity = z.infer<typeof NotificationSeverity>;

export const severityRank = (severity: string): number =>
  Math.max(0, NotificationSeverity.options.indexOf(severity as NotificationSeverity));

/** Where a secret is read on the sending node: an environment variable, or a file inside its `files.readDirs`. */
export const SecretReference = z.union([
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name') }).strict(),
  z.object({ file: z.string().min(1).max(4096) }).strict(),
]);
export type SecretReference = z.infer<typeof SecretReference>;

/** A secret as stored: the literal value, or where to read it. */
export const Secret = z.union([z.string().min(1).max(4096), SecretReference]);
export type Secret = z.infer<typeof Secret>;

/** A literal secret as a list shows it (set, never its value); in a put, "keep the one stored". */
export const SecretKept = z.object({ set: z.literal(true) }).strict();
export const SecretShown = z.union([SecretKept, SecretReference]);
export type SecretShown = z.infer<typeof SecretShown>;
export const SecretInput = z.union([Secret, SecretKept]);
export type SecretInput = z.infer<typeof SecretInput>;

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048);
const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'an HTTP header name');

/** One channel, its secrets given as `secret` (stored, put or listed). */
function channelSchema<S extends z.ZodType>(secret: S) {
  const base = {
    id: Slug,
    name: z.string().min(1).max(128),
    /** Alerts below this severity are not sent here. */
    minSeverity: NotificationSeverity.default('warning'),
    /** Matched against the alert's labels plus `node`, `rule` (its rule id) and `severity`; all must hold. */
    matchers: LabelMatchers.default([]),
    /** A still-firing alert is told again this often; without it, once. */
    repeatIntervalSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .optional(),
    enabled: z.boolean().default(true),
  };
  const variant = <T extends string, O extends z.ZodType>(type: T, settings: O) =>
    z.object({ ...base, type: z.literal(type), settings }).strict();
  return z.discriminatedUnion('type', [
    // Shown by consoles, never sent by the outbox.
    variant('desktop', z.object({}).strict().default({})),
    variant(
      'webhook',
      z
        .object({
          url: HttpUrl,
          /** Signs the body: `X-Fleetdeck-Signature: sha256=<hex HMAC-SHA256>`. */
          secret: secret.optional(),
          headers: z.record(HeaderName, z.string().max(1024)).default({}),
        })
        .strict(),
    ),
    variant(
      'slack',
      z
        .object({
          /** The incoming-webhook URL, itself the credential. */
          webhookUrl: secret,
          username: z.string().max(80).optional(),
        })
        .strict(),
    ),
    variant(
      'email',
      z
        .object({
          host: z.string().min(1).max(253),
          port: z.number().int().min(1).max(65_535).default(587),
          /** tls: TLS from the first byte (465); starttls: upgrade required (587); none: plain (a local relay). */
          security: z.enum(['tls', 'starttls', 'none']).default('starttls'),
          /** A CA to trust for the server's certificate, inside the node's `files.readDirs`. */
          caFile: z.string().min(1).max(4096).optional(),
          auth: z
            .object({ user: z.string().min(1).max(256), password: secret })
            .strict()
            .optional(),
          from: z.email(),
          to: z.array(z.email()).min(1).max(50),
        })
        .strict(),
    ),
    variant('log', z.object({}).strict().default({})),
  ]);
}

export const Channel = channelSchema(Secret);
export type Channel = z.infer<typeof Channel>;
export type ChannelType = Channel['type'];
export const ChannelType = z.enum(['desktop', 'webhook', 'slack', 'email', 'log']);

/** A put: a secret given as `{set: true}` keeps the stored one. */
export const ChannelInput = channelSchema(SecretInput);
export type ChannelInput = z.infer<typeof ChannelInput>;

/** A list's channel: no literal secret in it. */
export const ChannelShown = channelSchema(SecretShown);
export type ChannelShown = z.infer<typeof ChannelShown>;

export const DeliveryState = z.enum(['pending', 'sent', 'failed']);
export type DeliveryState = z.infer<typeof DeliveryState>;

/** One notice to one channel, as the outbox holds it. */
export const Delivery = z.object({
  deliveryId: z.string(),
  channelId: z.string(),
  state: DeliveryState,
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  createdAt: EpochMs,
  sentAt: EpochMs.nullable(),
  notice: z.object({
    transition: AlertTransition,
    alertId: z.string(),
    ruleName: z.string(),
    severity: z.string(),
    summary: z.string(),
    node: z.string(),
  }),
});
export type Delivery = z.infer<typeof Delivery>;

/** What a test send (or one attempt) answered: the status code, the SMTP reply, or the error. */
export const SendOutcome = z.object({ ok: z.boolean(), detail: z.string() });
export type SendOutcome = z.infer<typeof SendOutcome>;
