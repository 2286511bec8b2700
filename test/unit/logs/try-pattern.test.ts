import { describe, expect, it } from 'vitest';
import { tryPattern } from '../../../electron/logs/try-pattern.js';
import { abLines, SLOW_REGEX } from '../../support/slow-pattern.js';
import { matchWorkers } from './match-worker-support.js';

const newWorker = matchWorkers();
const matchWorker = async (budgetMs?: number) => (await newWorker(budgetMs)).worker;

describe('tryPattern', () => {
  it('lists the matching sample lines with their index and where the regex first matched', async () => {
    const worker = await matchWorker();
    expect(
      await tryPattern(worker, {
        regex: 'fail(ed|ure)',
        ignoreCase: true,
        lines: ['ok', 'FAILED x', 'a failure, failed', '', '😀 failed'],
      }),
    ).toEqual({
      ok: true,
      matches: [
        { index: 1, line: 'FAILED x', span: { start: 0, end: 6 } },
        { index: 2, line: 'a failure, failed', span: { start: 2, end: 9 } },
        // Offsets count as JavaScript strings do: the emoji is two.
        { index: 4, line: '😀 failed', span: { start: 3, end: 9 } },
      ],
    });
    expect(await tryPattern(worker, { regex: 'x', ignoreCase: false, lines: [] })).toEqual({ ok: true, matches: [] });
  });

  it('returns the reason instead of throwing for a regex that does not compile', async () => {
    const worker = await matchWorker();
    expect(await tryPattern(worker, { regex: '(a)\\1', ignoreCase: false, lines: ['aa'] })).toEqual({
      ok: false,
      error: expect.stringMatching(/^a back-reference \(`\\1`.* is not supported: .*write the repeated part out/),
    });
    expect(await tryPattern(worker, { regex: '[z-a]', ignoreCase: false, lines: [] })).toEqual({
      ok: false,
      error: 'invalid character class range: `z-a`',
    });
  });

  it('refuses a too costly regex with the words a save would use, before matching anything', async () => {
    const worker = await matchWorker();
    expect(
      await tryPattern(worker, { regex: '(a?){500}a{500}', ignoreCase: false, lines: ['a'.repeat(10_000)] }),
    ).toEqual({
      ok: false,
      error: 'pattern too costly: program of 2502 instructions, limit 1200 — reduce repetition counts like {500}',
    });
  });

  it('says so when matching the sample lines runs over the budget', async () => {
    const worker = await matchWorker(300);
    const started = performance.now();
    expect(await tryPattern(worker, { regex: SLOW_REGEX, ignoreCase: false, lines: abLines(20) })).toEqual({
      ok: false,
      error: 'matching took over 0.3 s on these lines — simplify the regex',
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
