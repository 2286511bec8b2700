import { createTransport } from 'nodemailer';
import { errorMessage } from '../../core/errors.js';
import { consoleLink, noticeFacts, noticeTitle } from './notice-text.js';
import type { Sender } from './sender.js';

const TIMEOUT_MS = 10_000;

/** A plain-text mail over SMTP (TLS, STARTTLS required, or plain), with auth when set; the server's reply is shown. */
export const sendEmail: Sender<'email'> = async ({ settings }, body, context) => {
  try {
    const transport = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      tls: settings.caFile ? { ca: await context.readFile(settings.caFile, 'settings.caFile') } : undefined,
      auth: settings.auth && {
        user: settings.auth.user,
        pass: await context.resolveSecret(settings.auth.password, 'settings.auth.password'),
      },
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
    try {
      const link = consoleLink(context.consoleUrl);
      const text = [
        body.alert.summary,
        '',
        ...noticeFacts(body).map(([name, value]) => `${name}: ${value}`),
        ...(link ? ['', `Open: ${link}`] : []),
        '',
        `Delivery ${body.deliveryId}`,
      ].join('\n');
      const info = await transport.sendMail({
        from: settings.from,
        to: settings.to,
        subject: noticeTitle(body),
        text,
        headers: { 'X-Fleetdeck-Delivery': body.deliveryId },
      });
      return { ok: true, retryable: false, detail: String(info.response) };
    } finally {
      transport.close();
    }
  } catch (error) {
    // An SMTP 5xx reply is permanent; anything else (a timeout, a 4xx, a refused connection) may pass later.
    const code = (error as { responseCode?: unknown }).responseCode;
    const permanent = typeof code === 'number' && code >= 500;
    const reply = (error as { response?: unknown }).response;
    return { ok: false, retryable: !permanent, detail: typeof reply === 'string' ? reply : errorMessage(error) };
  }
};
