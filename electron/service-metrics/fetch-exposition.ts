import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';

/** A larger answer is refused: no service needs that much text to count its requests. */
export const MAX_EXPOSITION_BYTES = 8 * 1024 * 1024;

const ACCEPT = 'text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5,*/*;q=0.1';

/**
 * GETs a Prometheus endpoint's text within `timeoutMs` and MAX_EXPOSITION_BYTES. Throws an Error whose message says
 * what went wrong in a user's words ("no answer within 5000 ms", "HTTP 503", "request failed: ... ECONNREFUSED").
 */
export async function fetchExposition(
  url: string,
  timeoutMs: number,
  clock: Clock,
  stop: AbortSignal,
): Promise<string> {
  const controller = new AbortController();
  let timedOut = false;
  const cancelTimer = clock.setTimer(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onStop = () => controller.abort();
  stop.addEventListener('abort', onStop);
  try {
    const response = await fetch(url, { signal: controller.signal, headers: { accept: ACCEPT } });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status} from ${url}`);
    }
    return await readBounded(response);
  } catch (error) {
    if (timedOut) throw new Error(`no answer within ${timeoutMs} ms from ${url}`, { cause: error });
    if (stop.aborted) throw new Error('stopped', { cause: error });
    throw error instanceof TypeError ? new Error(`request failed: ${describeCause(error)}`, { cause: error }) : error;
  } finally {
    cancelTimer();
    stop.removeEventListener('abort', onStop);
  }
}

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_EXPOSITION_BYTES) {
      await reader.cancel();
      throw new Error(`the answer is larger than ${MAX_EXPOSITION_BYTES / 1024 / 1024} MiB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch() says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND) is in its cause. */
function describeCause(error: TypeError): string {
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  if (!cause) return error.message;
  const message = errorMessage(cause);
  return cause.code && !message.includes(cause.code) ? `${message} (${cause.code})` : message;
}
