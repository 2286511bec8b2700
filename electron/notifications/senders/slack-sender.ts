import type { AlertNotice } from '../../../shared/alert-notice.js';
import { consoleLink, noticeFacts, noticeTitle } from './notice-text.js';
import { postBounded } from './post-bounded.js';
import type { Sender } from './sender.js';

/** Slack's attachment colours: green when resolved, otherwise by severity. */
const colours: Record<string, string> = {
  info: '#439fe0',
  warning: '#daa038',
  critical: '#d00000',
  emergency: '#7b0000',
};

/** An incoming-webhook payload: the title as text, one attachment with the colour, the facts and the link back. */
export function slackPayload(notice: AlertNotice & { deliveryId: string; sentAt: number }, consoleUrl?: string) {
  const link = consoleLink(consoleUrl);
  return {
    text: noticeTitle(notice),
    attachments: [
      {
        color: notice.transition === 'resolved' ? '#2eb886' : (colours[notice.alert.severity] ?? colours.warning),
        title: notice.alert.ruleName,
        ...(link && { title_link: link }),
        text: notice.alert.summary,
        fields: noticeFacts(notice).map(([title, value]) => ({ title, value, short: value.length <= 40 })),
        footer: `Fleetdeck · delivery ${notice.deliveryId}`,
        ts: Math.floor(notice.sentAt / 1000),
      },
    ],
  };
}

export const sendSlack: Sender<'slack'> = async ({ settings }, body, context) => {
  const url = await context.resolveSecret(settings.webhookUrl, 'settings.webhookUrl');
  if (!/^https?:\/\//.test(url)) return { ok: false, retryable: false, detail: 'settings.webhookUrl is not a URL' };
  const payload = {
    ...slackPayload(body, context.consoleUrl),
    ...(settings.username && { username: settings.username }),
  };
  return postBounded(url, JSON.stringify(payload), {});
};
