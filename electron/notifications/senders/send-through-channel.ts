import type { WebhookBody } from '../../../shared/alert-notice.js';
import type { Channel } from '../../../shared/notifications.js';
import { errorMessage } from '../../core/errors.js';
import { sendEmail } from './email-sender.js';
import { sendLog } from './log-sender.js';
import type { SendAttempt, SendContext } from './sender.js';
import { sendSlack } from './slack-sender.js';
import { sendWebhook } from './webhook-sender.js';

/** Sends one body through any channel; a secret that cannot be read is a failed (retryable) attempt, not a throw. */
export async function sendThroughChannel(
  channel: Channel,
  body: WebhookBody,
  context: SendContext,
): Promise<SendAttempt> {
  try {
    switch (channel.type) {
      case 'webhook':
        return await sendWebhook(channel, body, context);
      case 'slack':
        return await sendSlack(channel, body, context);
      case 'email':
        return await sendEmail(channel, body, context);
      case 'log':
        return await sendLog(channel, body, context);
      case 'desktop':
        return { ok: true, retryable: false, detail: 'desktop channels are shown by the consoles, not sent' };
    }
  } catch (error) {
    return { ok: false, retryable: true, detail: errorMessage(error) };
  }
}
