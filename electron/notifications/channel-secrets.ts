import type {
  Channel,
  ChannelInput,
  ChannelShown,
  Secret,
  SecretInput,
  SecretShown,
} from '../../shared/notifications.js';
import { Channel as ChannelSchema } from '../../shared/notifications.js';
import { CodedError } from '../core/coded-error.js';

/** Applies `map` to every secret of a channel (the HMAC secret, the Slack URL, the SMTP password), naming its field. */
function mapSecrets<A, B>(channel: { type: string; settings: unknown }, map: (secret: A, field: string) => B): unknown {
  const settings = channel.settings as Record<string, unknown>;
  switch (channel.type) {
    case 'webhook':
      return settings.secret === undefined
        ? channel
        : { ...channel, settings: { ...settings, secret: map(settings.secret as A, 'settings.secret') } };
    case 'slack':
      return {
        ...channel,
        settings: { ...settings, webhookUrl: map(settings.webhookUrl as A, 'settings.webhookUrl') },
      };
    case 'email': {
      const auth = settings.auth as { user: string; password: A } | undefined;
      return auth
        ? {
            ...channel,
            settings: { ...settings, auth: { ...auth, password: map(auth.password, 'settings.auth.password') } },
          }
        : channel;
    }
    default:
      return channel;
  }
}

/** The channel as a list shows it: a literal secret only as `{set: true}`; a reference (where, not what) as it is. */
export const redactChannel = (channel: Channel): ChannelShown =>
  mapSecrets<Secret, SecretShown>(channel, (secret) =>
    typeof secret === 'string' ? { set: true } : secret,
  ) as ChannelShown;

/**
 * The channel to store from a put: a secret given as `{set: true}` (the editor did not know it) keeps the stored one;
 * without one stored it is refused naming the field.
 */
export function withKeptSecrets(input: ChannelInput, stored: Channel | null): Channel {
  const storedSecrets = new Map<string, Secret>();
  if (stored && stored.type === input.type) {
    mapSecrets<Secret, Secret>(stored, (secret, field) => {
      storedSecrets.set(field, secret);
      return secret;
    });
  }
  const merged = mapSecrets<SecretInput, Secret>(input, (secret, field) => {
    if (typeof secret === 'string' || !('set' in secret)) return secret;
    const kept = storedSecrets.get(field);
    if (kept === undefined) {
      const message = 'no secret is stored to keep: give its value, {env} or {file}';
      throw new CodedError('invalid_request', `value.${field}: ${message}`, [{ path: `value.${field}`, message }]);
    }
    return kept;
  });
  return ChannelSchema.parse(merged);
}
