import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock.js';
import { MatchWorker, matchWorkerScript } from '../../../electron/logs/match-worker.js';
import { memoryLogger } from '../../support/test-logger.js';
import { abLines, SLOW_REGEX } from '../../support/slow-pattern.js';
import { matchWorkers } from './match-worker-support.js';

const matchWorker = matchWorkers(300);

const slow = { regex: SLOW_REGEX, ignoreCase: false };

describe('MatchWorker', () => {
  it('answers, per pattern, the indexes of the lines it matches', async () => {
    const { worker } = await matchWorker();
    const outcome = await worker.match(
      [
        { regex: 'ERROR \\d+', ignoreCase: false },
        { regex: 'timeout', ignoreCase: true },
      ],
      ['ok', 'ERROR 42 disk full', 'upstream TimeOut', 'error 7'],
    );
    expect(outcome).toEqual({ ok: true, hits: [[1], [2]] });
  });

  it('says where each matched line matched when asked', async () => {
    const { worker } = await matchWorker();
    const outcome = await worker.match(
      [
        { regex: '\\d+', ignoreCase: false },
        { regex: 'x', ignoreCase: false },
      ],
      ['ok', 'ERROR 42 disk full', 'code 7'],
      { spans: true },
    );
    expect(outcome).toEqual({
      ok: true,
      hits: [[1, 2], []],
      spans: [
        [
          { start: 6, end: 8 },
          { start: 5, end: 6 },
        ],
        [],
      ],
    });
  });

  it('cuts off a batch on which one pattern runs over the budget, names that pattern, and recovers', async () => {
    const { worker } = await matchWorker(300);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const started = performance.now();
    const outcome = await worker.match([{ regex: 'quick', ignoreCase: false }, slow], abLines(20));
    const elapsed = performance.now() - started;
    clearInterval(ticker);

    expect(outcome).toEqual({ ok: false, slowPattern: 1 });
    // Cut off soon after the budget, not after the ~6 s the batch would take; the event loop ran meanwhile.
    expect(elapsed).toBeLessThan(1500);
    expect(ticks).toBeGreaterThan(5);
    // A fresh worker takes the next batch.
    expect(await worker.match([{ regex: 'b$', ignoreCase: false }], ['ab', 'ba'])).toEqual({ ok: true, hits: [[0]] });
  });

  it('gives each pattern its own budget on a batch', async () => {
    const lines = abLines(2);
    const slowOne = (index: number) => ({ regex: `[ab]*a[ab]{${300 + index}}$`, ignoreCase: false });
    // How long one such pattern takes here, measured now, so the budget is relative to this machine.
    const { worker: calibrating } = await matchWorker(60_000);
    const calibrationStarted = performance.now();
    await calibrating.match([slowOne(99)], lines);
    const onePattern = performance.now() - calibrationStarted;

    // Each pattern well within the budget, five of them together well over it.
    const budgetMs = Math.ceil(onePattern * 2.5);
    const { worker } = await matchWorker(budgetMs);
    const started = performance.now();
    const outcome = await worker.match(
      Array.from({ length: 5 }, (_, index) => slowOne(index)),
      lines,
    );
    expect(performance.now() - started).toBeGreaterThan(budgetMs);
    expect(outcome.ok).toBe(true);
  });

  it('does not match a batch called off before its turn, and rejects it', async () => {
    const { worker } = await matchWorker(60_000);
    const callOff = new AbortController();
    const first = worker.match([{ regex: 'a', ignoreCase: false }], ['a']);
    const second = worker.match([{ regex: 'b', ignoreCase: false }], ['b'], { signal: callOff.signal });
    callOff.abort();
    expect(await first).toEqual({ ok: true, hits: [[0]] });
    await expect(second).rejects.toThrow('matching was called off');
  });

  it('refuses batches once closed, and fails (without hanging) when its script cannot be loaded', async () => {
    const { worker } = await matchWorker();
    await worker.close();
    await expect(worker.match([slow], ['a'])).rejects.toThrow('the match worker is closed');

    const { logger, lines } = memoryLogger();
    const missing = new MatchWorker({ clock: systemClock, logger, script: new URL('file:///nonexistent/worker.mjs') });
    await expect(missing.match([slow], ['a'])).rejects.toThrow('the log match worker stopped');
    expect(lines.some((line) => line.msg === 'the log match worker failed')).toBe(true);
    await missing.close();
  });
});

describe('matchWorkerScript', () => {
  it('is the file beside the agent bundle, and outside app.asar in the packaged app', () => {
    expect(matchWorkerScript('file:///opt/fleetdeck/dist/electron/cli.js').pathname).toBe(
      '/opt/fleetdeck/dist/electron/log-match-worker.mjs',
    );
    expect(matchWorkerScript('file:///opt/Fleetdeck/resources/app.asar/dist/electron/main.js').pathname).toBe(
      '/opt/Fleetdeck/resources/app.asar.unpacked/dist/electron/log-match-worker.mjs',
    );
  });
});
