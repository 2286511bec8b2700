import { z } from 'zod';
import { defineTaskType } from '../task-types.js';

const payload = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    headers: z.record(z.string().min(1).max(256), z.string().max(8192)).default({}),
    body: z
      .string()
      .max(1024 * 1024)
      .optional(),
    /** The status that counts as success; any 2xx when absent. */
    expectStatus: z.number().int().min(100).max(599).optional(),
  })
  .strict();

/** Reads at most `max` characters of the body, then stops the download. */
async function readCapped(response: Response, max: number): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: '', truncated: false };
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let body = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { body, truncated: false };
    body += value;
    if (body.length > max) {
      await reader.cancel();
      return { body: body.slice(0, max), truncated: true };
    }
  }
}

/** `http {url, method?, headers?, body?, expectStatus?}`: one request, aborted with the task; the body is capped. */
export const httpTask = (maxBodyChars: number) =>
  defineTaskType({
    name: 'http',
    description: 'Sends an HTTP request and succeeds on the expected status.',
    payload,
    async run({ url, method, headers, body, expectStatus }, { signal, log }) {
      const response = await fetch(url, { method, headers, body, signal, redirect: 'manual' });
      log(`${method} ${url} → ${response.status}`);
      const read = await readCapped(response, maxBodyChars);
      const ok =
        expectStatus === undefined ? response.status >= 200 && response.status < 300 : response.status === expectStatus;
      if (!ok) {
        throw new Error(`expected status ${expectStatus ?? '2xx'}, got ${response.status}`);
      }
      return { status: response.status, body: read.body, truncated: read.truncated };
    },
  });
