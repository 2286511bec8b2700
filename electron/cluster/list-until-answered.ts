import type { CoordinationBackend, KvEntry } from './coordination-backend.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

const RETRY_MS = 1000;

/** Lists a prefix, again every second while the backend does not answer; `cancel` stops trying. */
export function listUntilAnswered(
  deps: { backend: CoordinationBackend; clock: Clock; logger: Logger },
  prefix: string,
): { entries: Promise<KvEntry[]>; cancel: () => void } {
  let cancelled = false;
  let cancelRetry = () => {};
  const entries = new Promise<KvEntry[]>((resolve) => {
    const list = () => {
      deps.backend.list(prefix).then(
        (listed) => {
          if (!cancelled) resolve(listed);
        },
        (error: unknown) => {
          if (cancelled) return;
          deps.logger.warn({ err: errorMessage(error), prefix }, 'listing fleet state failed; trying again');
          cancelRetry = deps.clock.setTimer(list, RETRY_MS);
        },
      );
    };
    list();
  });
  return {
    entries,
    cancel: () => {
      cancelled = true;
      cancelRetry();
    },
  };
}
