import { describe, expect, it } from 'vitest';
import { pathologicalLine, REALISTIC_PATTERNS, seededRandom } from '../../support/log-corpus.js';
import { matchWorkers } from './match-worker-support.js';

const matchWorker = matchWorkers(60_000);

describe('MatchWorker on pathological lines', () => {
  it('takes time linear in the length of the lines, and little of it, with fifty patterns', async () => {
    const { worker } = await matchWorker();
    const random = seededRandom(10);
    /** Milliseconds to match 1 MB of pathological lines of `length` characters, in 64 KB batches as the scanner does. */
    const megabyteOf = async (length: number) => {
      const perBatch = Math.floor(65_536 / length);
      const batches = Array.from({ length: Math.ceil(1_000_000 / (perBatch * length)) }, () =>
        Array.from({ length: perBatch }, () => pathologicalLine(random, length)),
      );
      const started = performance.now();
      for (const batch of batches) {
        const outcome = await worker.match(REALISTIC_PATTERNS, batch);
        if (!outcome.ok) throw new Error('a pattern ran over the budget');
        expect(outcome.hits.flat().length).toBeGreaterThan(0);
      }
      return performance.now() - started;
    };
    await megabyteOf(1_000);
    const short = await megabyteOf(1_000);
    const long = await megabyteOf(10_000);
    // Linear: the same bytes cost about the same however they are cut into lines. Quadratic would be 10× here;
    // long lines cost up to ~3× as each holds more of the literals (more patterns run on it), so the bound is 5×.
    expect(long).toBeLessThan(short * 5);
    // And cheap: 1 MB of the worst lines within 5 s even on a loaded 2-core machine.
    expect(long).toBeLessThan(5_000);
  });
});
