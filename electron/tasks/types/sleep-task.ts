import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { defineTaskType } from '../task-types.js';

const STEPS = 10;

/** `sleep {ms}`: waits on the injected clock, reporting progress in tenths; for tests and demos. */
export const sleepTask = (clock: Clock) =>
  defineTaskType({
    name: 'sleep',
    description: 'Waits for `ms` milliseconds, reporting progress; for tests and demos.',
    payload: z.object({ ms: z.number().int().min(0).max(86_400_000) }).strict(),
    run: ({ ms }, { signal, progress }) =>
      new Promise((resolve, reject) => {
        let step = 0;
        let cancel = () => {};
        const onAbort = () => {
          cancel();
          reject(signal.reason as Error);
        };
        const tick = () => {
          step += 1;
          progress((step * 100) / STEPS);
          if (step < STEPS) {
            cancel = clock.setTimer(tick, ms / STEPS);
            return;
          }
          signal.removeEventListener('abort', onAbort);
          resolve({ sleptMs: ms });
        };
        if (signal.aborted) return reject(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
        cancel = clock.setTimer(tick, ms / STEPS);
      }),
  });
