import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nodeSecrets } from '../../../electron/notifications/node-secrets.js';
import { sendThroughChannel } from '../../../electron/notifications/senders/send-through-channel.js';
import type { SendContext } from '../../../electron/notifications/senders/sender.js';
import type { WebhookBody } from '../../../shared/alert-notice.js';
import { Channel } from '../../../shared/notifications.js';
import { alertNotice } from '../../support/alert-notices.js';
import { memoryLogger } from '../../support/test-logger.js';
import { createTestCertificates, type TestCertificates } from '../../support/tls-certs.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';
import { freePort } from '../../../electron/core/free-port.js';

const body = (transition: WebhookBody['transition'] = 'firing'): WebhookBody => ({
  ...alertNotice('a1', transition, { severity: 'critical' }),
  deliveryId: 'd-123',
  sentAt: Date.UTC(2026, 0, 1, 12),
});

/** What Slack's incoming-webhook endpoint accepts: text, and attachments with colour, fields and a link. */
const SlackPayload = z
  .object({
    text: z.string().min(1),
    username: z.string().optional(),
    attachments: z
      .array(
        z
          .object({
            color: z.string().regex(/^#[0-9a-f]{6}$/),
            title: z.string(),
            title_link: z.url().optional(),
            text: z.string(),
            fields: z.array(z.object({ title: z.string(), value: z.string(), short: z.boolean() }).strict()),
            footer: z.string(),
            ts: z.number().int(),
          })
          .strict(),
      )
      .length(1),
  })
  .strict();

describe('Slack sender against a stand-in for Slack’s incoming-webhook endpoint', () => {
  let slackStandIn: WebhookReceiver;
  beforeAll(async () => {
    slackStandIn = await new WebhookReceiver(await freePort()).start();
  });
  afterAll(() => slackStandIn.stop());

  const context = (consoleUrl?: string): SendContext => ({
    ...nodeSecrets([], { SLACK_URL: slackStandIn.url }),
    consoleUrl,
    logger: memoryLogger().logger,
  });
  const slack = Channel.parse({
    id: 'ops-slack',
    name: 'Ops Slack',
    type: 'slack',
    settings: { webhookUrl: { env: 'SLACK_URL' }, username: 'fleetdeck' },
  });

  it('posts a readable message coloured by severity, linking back to the console', async () => {
    const answer = await sendThroughChannel(slack, body(), context('https://console.example:7400/'));
    expect(answer).toEqual({ ok: true, retryable: false, detail: 'HTTP 200: ok' });
    const payload = SlackPayload.parse(JSON.parse(slackStandIn.posts.at(-1)!.body));
    expect(payload.text).toBe('[FIRING] critical: Disk almost full on web-1');
    expect(payload.username).toBe('fleetdeck');
    const [attachment] = payload.attachments;
    expect(attachment).toMatchObject({
      color: '#d00000',
      title_link: 'https://console.example:7400/#/alerts',
      text: 'disk 93% used',
    });
    expect(attachment!.fields).toContainEqual({ title: 'Labels', value: 'service=api', short: true });
  });

  it('is green when resolved and has no link without a console URL', async () => {
    await sendThroughChannel(slack, body('resolved'), context());
    const payload = SlackPayload.parse(JSON.parse(slackStandIn.posts.at(-1)!.body));
    expect(payload.text).toBe('[RESOLVED] critical: Disk almost full on web-1');
    expect(payload.attachments[0]!.color).toBe('#2eb886');
    expect(payload.attachments[0]!.title_link).toBeUndefined();
  });

  it('answers the status a refusing endpoint gave, as not worth retrying', async () => {
    slackStandIn.status = 404;
    slackStandIn.reply = 'no_service';
    try {
      expect(await sendThroughChannel(slack, body(), context())).toEqual({
        ok: false,
        retryable: false,
        detail: 'HTTP 404: no_service',
      });
    } finally {
      slackStandIn.status = 200;
      slackStandIn.reply = 'ok';
    }
  });
});

interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  secured: boolean;
  text: string;
}

describe('email sender against a real SMTP server (STARTTLS with a test CA, AUTH)', () => {
  let certs: TestCertificates;
  let server: SMTPServer;
  let port: number;
  const mails: ReceivedMail[] = [];

  beforeAll(async () => {
    certs = createTestCertificates();
    server = new SMTPServer({
      key: certs.server.key,
      cert: certs.server.cert,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'alerts' && auth.password === 'smtp-pass-9') callback(null, { user: auth.username });
        else callback(new Error('535 invalid credentials'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            secured: session.secure,
            text: Buffer.concat(chunks).toString(),
          });
          callback(null, 'queued as F1');
        });
      },
      logger: false,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    certs.remove();
  });

  const email = (password: string) =>
    Channel.parse({
      id: 'mail',
      name: 'On-call mail',
      type: 'email',
      settings: {
        host: '127.0.0.1',
        port,
        security: 'starttls',
        caFile: certs.caFile,
        auth: { user: 'alerts', password },
        from: 'fleetdeck@example.com',
        to: ['oncall@example.com', 'lead@example.com'],
      },
    });
  const context = (): SendContext => ({ ...nodeSecrets([certs.dir], {}), logger: memoryLogger().logger });

  it('delivers the mail over STARTTLS after AUTH and answers with the server’s reply', async () => {
    const answer = await sendThroughChannel(email('smtp-pass-9'), body(), context());
    expect(answer.ok).toBe(true);
    expect(answer.detail).toMatch(/^250 .*queued as F1/);
    const mail = mails.at(-1)!;
    expect(mail).toMatchObject({
      from: 'fleetdeck@example.com',
      to: ['oncall@example.com', 'lead@example.com'],
      user: 'alerts',
      secured: true,
    });
    expect(mail.text).toContain('Subject: [FIRING] critical: Disk almost full on web-1');
    expect(mail.text).toContain('disk 93% used');
    expect(mail.text).toContain('X-Fleetdeck-Delivery: d-123');
  });

  it('answers the refusal of bad credentials, as not worth retrying', async () => {
    const answer = await sendThroughChannel(email('wrong'), body(), context());
    expect(answer).toMatchObject({ ok: false, retryable: false, detail: expect.stringContaining('535') });
  });
});
