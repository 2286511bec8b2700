import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { errorMessage } from '../../core/errors.js';
import type { SendAttempt } from './sender.js';

export interface HttpLimits {
  /** The whole exchange, connect to last byte. */
  timeoutMs: number;
  /** Read of the answer; the rest is dropped (a receiver's reply is only shown, never parsed). */
  maxResponseBytes: number;
}

export const defaultHttpLimits: HttpLimits = { timeoutMs: 10_000, maxResponseBytes: 16 * 1024 };

// Connections are reused: the outbox sends many small POSTs to few receivers.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** POSTs `body` and reads at most `maxResponseBytes` of the answer; never throws: a failure is a retryable attempt. */
export function postBounded(
  url: string,
  body: string,
  headers: Record<string, string>,
  limits: HttpLimits = defaultHttpLimits,
): Promise<SendAttempt> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  return new Promise((resolve) => {
    const fail = (error: unknown) =>
      resolve({
        ok: false,
        retryable: true,
        detail: signal.aborted ? `no answer within ${limits.timeoutMs} ms` : errorMessage(error),
      });
    const onResponse = (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => resolve(attemptOf(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
      response.on('data', (chunk: Buffer) => {
        if (size >= limits.maxResponseBytes) return;
        chunks.push(chunk.subarray(0, limits.maxResponseBytes - size));
        size += chunk.length;
        if (size >= limits.maxResponseBytes) {
          request.destroy();
          done();
        }
      });
      response.on('error', fail);
      response.on('end', done);
    };
    const options = {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      signal,
    };
    const request = url.startsWith('https:')
      ? httpsRequest(url, { ...options, agent: agents.https }, onResponse)
      : httpRequest(url, { ...options, agent: agents.http }, onResponse);
    request.on('error', fail);
    request.end(body);
  });
}

/** 2xx is sent; 408, 429 and 5xx may pass later; any other answer will not. */
function attemptOf(status: number, text: string): SendAttempt {
  const reply = text.trim().replace(/\s+/g, ' ').slice(0, 200);
  const detail = `HTTP ${status}${reply ? `: ${reply}` : ''}`;
  const ok = status >= 200 && status < 300;
  return { ok, detail, retryable: !ok && (status === 408 || status === 429 || status >= 500) };
}
