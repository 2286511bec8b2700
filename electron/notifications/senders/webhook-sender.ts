import { createHmac } from 'node:crypto';
import { postBounded } from './post-bounded.js';
import type { Sender } from './sender.js';

/** The webhook body as JSON; signed over its exact bytes when the channel has a secret. */
export const sendWebhook: Sender<'webhook'> = async ({ settings }, body, context) => {
  const json = JSON.stringify(body);
  const headers: Record<string, string> = { ...settings.headers, 'x-fleetdeck-delivery': body.deliveryId };
  if (settings.secret) {
    const key = await context.resolveSecret(settings.secret, 'settings.secret');
    headers['x-fleetdeck-signature'] = `sha256=${createHmac('sha256', key).update(json).digest('hex')}`;
  }
  return postBounded(settings.url, json, headers);
};
