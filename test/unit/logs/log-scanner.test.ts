import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock.js';
import { CodedError } from '../../../electron/core/coded-error.js';
import { LogScanner, type LogScannerOptions, type LogSource } from '../../../electron/logs/log-scanner.js';
import { MatchWorker } from '../../../electron/logs/match-worker.js';
import { LogMatchesRepository } from '../../../electron/store/log-matches-repository.js';
import { LogOffsetsRepository } from '../../../electron/store/log-offsets-repository.js';
import { Store } from '../../../electron/store/store.js';
import { LogPattern, type LogPatternInput } from '../../../shared/log-patterns.js';
import { ManualClock } from '../../support/manual-clock.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { abLines, SLOW_REGEX } from '../../support/slow-pattern.js';
import { builtMatchWorker } from './match-worker-support.js';

const cleanups: Array<() => Promise<void> | void> = [];
let workerScript: URL;

beforeAll(async () => {
  workerScript = await builtMatchWorker();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const pattern = (input: Partial<LogPatternInput> & { id: string; regex: string }): LogPattern =>
  LogPattern.parse({ name: input.id, ...input });

function codeOf(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** A data dir with two log files that exist (empty), a store, and a scanner over them. */
function setup(
  options: { dir?: string; sources?: LogSource[]; scanner?: Partial<LogScannerOptions>; budgetMs?: number } = {},
) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'fleetdeck-scanner-'));
  const logs = { web: join(dir, 'logs', 'web.log'), app: join(dir, 'app.log') };
  const sources: LogSource[] = options.sources ?? [
    { name: 'web', kind: 'service', path: logs.web },
    { name: 'app', kind: 'file', path: logs.app },
  ];
  if (!options.dir) {
    // The service's log dir exists, its file not yet (the supervisor creates it on first start).
    mkdirSync(join(dir, 'logs'));
    appendFileSync(logs.app, '');
  }
  const clock = new ManualClock();
  const store = Store.open(dir, { now: clock.now() });
  const offsets = store.repository((db) => new LogOffsetsRepository(db));
  const { logger, lines: logLines } = memoryLogger();
  const registry = new Registry();
  const counter = new Counter({ name: 'matches_total', help: 'x', labelNames: ['pattern'], registers: [registry] });
  const matched: string[][] = [];
  // The budget is real time (it is the worker's CPU that it bounds), whatever the scanner's clock.
  const matcher = new MatchWorker({ clock: systemClock, logger, budgetMs: options.budgetMs, script: workerScript });
  const scanner = new LogScanner({
    sources: () => sources,
    matches: store.repository((db) => new LogMatchesRepository(db)),
    offsets,
    clock,
    logger,
    metrics: { matches: counter },
    events: {
      publish: (event) => {
        if (event.type === 'logs.matched') matched.push(event.data.patternIds);
      },
    },
    matcher,
    ...options.scanner,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await scanner.stop();
    await matcher.close();
    store.close();
  };
  cleanups.push(stop);
  return { dir, logs, sources, clock, offsets, scanner, matched, counter, registry, logLines, stop };
}

const lines = (scanner: LogScanner, patternId?: string) =>
  scanner
    .matchList({ patternIds: patternId === undefined ? undefined : [patternId], limit: 500 })
    .reverse()
    .map((m) => `${m.patternId}@${m.source}: ${m.line}`);

describe('LogScanner', () => {
  it('stores each matching line per pattern and source, and reports once per poll which patterns matched', async () => {
    const { logs, scanner, matched, clock, registry } = setup();
    scanner.setConfigPatterns([pattern({ id: 'errors', regex: 'ERROR' })]);
    scanner.applyFleet(pattern({ id: 'timeouts', regex: 'timeout', ignoreCase: true }));
    scanner.start();
    await scanner.idle();
    expect(scanner.sourceStates()).toEqual([
      { name: 'app', kind: 'file', path: logs.app, problem: null },
      { name: 'web', kind: 'service', path: logs.web, problem: 'missing' },
    ]);

    appendFileSync(logs.app, 'INFO ok\nERROR disk full\nERROR Timeout talking to db\n');
    writeFileSync(logs.web, 'GET / timeout\n');
    await scanner.poll();

    // Sources in the order they are listed (web, then app), each line in file order, each pattern for each line.
    expect(lines(scanner)).toEqual([
      'timeouts@web: GET / timeout',
      'errors@app: ERROR disk full',
      'errors@app: ERROR Timeout talking to db',
      'timeouts@app: ERROR Timeout talking to db',
    ]);
    expect(scanner.matchList({ limit: 1 })[0]?.at).toBe(clock.now());
    expect(matched).toEqual([['errors', 'timeouts']]);
    expect(scanner.sourceStates().every((source) => source.problem === null)).toBe(true);
    const text = await registry.metrics();
    expect(text).toContain('matches_total{pattern="errors"} 2');
    expect(text).toContain('matches_total{pattern="timeouts"} 2');

    await scanner.poll();
    expect(matched).toHaveLength(1);
  });

  it('polls on the clock', async () => {
    const { logs, scanner, clock } = setup({ scanner: { pollMs: 500 } });
    scanner.setConfigPatterns([pattern({ id: 'errors', regex: 'ERROR' })]);
    scanner.start();
    await scanner.idle();
    appendFileSync(logs.app, 'ERROR one\n');
    await clock.advance(499);
    await scanner.idle();
    expect(lines(scanner)).toEqual([]);
    await clock.advance(1);
    await scanner.idle();
    expect(lines(scanner)).toEqual(['errors@app: ERROR one']);
    await scanner.stop();
    appendFileSync(logs.app, 'ERROR two\n');
    await clock.advance(5000);
    await scanner.idle();
    expect(lines(scanner)).toEqual(['errors@app: ERROR one']);
  });

  it('looks only in the sources a pattern names', async () => {
    const { logs, scanner } = setup();
    scanner.setConfigPatterns([
      pattern({ id: 'web-only', regex: 'boom', sources: ['web'] }),
      pattern({ id: 'absent', regex: 'boom', sources: ['nowhere'] }),
    ]);
    scanner.start();
    await scanner.idle();
    writeFileSync(logs.web, 'boom web\n');
    appendFileSync(logs.app, 'boom app\n');
    await scanner.poll();
    expect(lines(scanner)).toEqual(['web-only@web: boom web']);
  });

  it('refuses a fleet pattern whose regex does not compile and keeps the last good version in force', async () => {
    const { logs, scanner } = setup();
    expect(scanner.applyFleet(pattern({ id: 'errors', regex: 'ERROR' }))).toBe(true);
    expect(scanner.applyFleet(pattern({ id: 'errors', regex: 'ERROR' }))).toBe(false);
    const refusal = codeOf(() => scanner.applyFleet(pattern({ id: 'errors', regex: '(ERROR)\\1' })));
    expect(refusal.code).toBe('invalid_request');
    const reason = refusal.issues?.[0]?.message ?? '';
    expect(reason).toMatch(/^a back-reference \(`\\1`.* is not supported: /);
    expect(refusal.message).toBe(`log pattern "errors": the regex does not compile: ${reason}`);
    expect(scanner.patterns().map(({ pattern, problem }) => ({ regex: pattern.regex, problem }))).toEqual([
      {
        regex: 'ERROR',
        problem: `the fleet's new version was refused (the regex does not compile: ${reason}); this one stays in force`,
      },
    ]);

    scanner.start();
    await scanner.idle();
    appendFileSync(logs.app, 'ERROR still caught\n');
    await scanner.poll();
    expect(lines(scanner)).toEqual(['errors@app: ERROR still caught']);
  });

  it('refuses a too costly fleet pattern, showing why in its state until a good version comes', () => {
    const { scanner } = setup();
    const costly = pattern({ id: 'costly', regex: '(a?){500}a{500}' });
    const reason = 'pattern too costly: program of 2502 instructions, limit 1200 — reduce repetition counts like {500}';
    const refusal = codeOf(() => scanner.applyFleet(costly));
    expect(refusal.code).toBe('invalid_request');
    expect(refusal.message).toBe(`log pattern "costly": ${reason}`);
    expect(scanner.patterns()).toEqual([
      { pattern: costly, source: 'fleet', matchesLastHour: 0, lastMatchAt: null, problem: `refused: ${reason}` },
    ]);
    expect(scanner.fleetIds()).toEqual([]);

    expect(scanner.applyFleet(pattern({ id: 'costly', regex: 'a{5}' }))).toBe(true);
    expect(scanner.patterns()).toMatchObject([{ pattern: { regex: 'a{5}' }, problem: null }]);
  });

  it('disables a pattern that runs over the budget on a batch, keeping the other matches and moving on', async () => {
    const { logs, scanner, offsets, logLines } = setup({ budgetMs: 300 });
    scanner.setConfigPatterns([pattern({ id: 'slow', regex: SLOW_REGEX }), pattern({ id: 'tail', regex: 'b$' })]);
    scanner.start();
    await scanner.idle();
    const busy = abLines(20);
    appendFileSync(logs.app, `${busy.join('\n')}\n`);
    await scanner.poll();

    const [slow, tail] = scanner.patterns();
    expect(slow).toMatchObject({ pattern: { id: 'slow' }, problem: 'disabled: matching took over 0.3 s on one batch' });
    expect(tail).toMatchObject({ pattern: { id: 'tail' }, problem: null });
    expect(lines(scanner, 'tail')).toEqual(
      busy.filter((line) => line.endsWith('b')).map((line) => `tail@app: ${line}`),
    );
    expect(offsets.get('app')?.offset).toBe(busy.join('\n').length + 1);
    // Warned once, though the chunk's other batches had been queued with it.
    expect(logLines.filter((line) => String(line.msg).includes('ran over its matching budget'))).toEqual([
      expect.objectContaining({ pattern: 'slow' }),
    ]);

    // Not tried again on the next lines.
    appendFileSync(logs.app, `${busy[0]}\n`);
    const started = performance.now();
    await scanner.poll();
    expect(performance.now() - started).toBeLessThan(250);
    expect(scanner.countSince('slow', 0)).toBe(0);
  });

  it('refuses a fleet pattern with the id of a config one, which stays', () => {
    const { scanner } = setup();
    scanner.setConfigPatterns([pattern({ id: 'errors', regex: 'ERROR' })]);
    expect(codeOf(() => scanner.applyFleet(pattern({ id: 'errors', regex: 'other' }))).code).toBe('conflict');
    expect(scanner.patterns()).toMatchObject([{ pattern: { regex: 'ERROR' }, source: 'config' }]);
    expect(scanner.fleetIds()).toEqual([]);
    expect(scanner.withdrawFleet('errors')).toBe(false);
  });

  it('refuses config patterns whose regex does not compile, naming the field, and takes none of them', () => {
    const { scanner } = setup();
    const refusal = codeOf(() =>
      scanner.setConfigPatterns([pattern({ id: 'good', regex: 'ok' }), pattern({ id: 'bad', regex: '(' })]),
    );
    expect(refusal.code).toBe('invalid_request');
    expect(refusal.issues).toEqual([{ path: 'logPatterns.1.regex', message: 'missing closing ): `(`' }]);
    expect(scanner.patterns()).toEqual([]);
  });

  it('stops matching a withdrawn fleet pattern and drops its metric series', async () => {
    const { logs, scanner, registry } = setup();
    scanner.applyFleet(pattern({ id: 'errors', regex: 'ERROR' }));
    expect(scanner.fleetIds()).toEqual(['errors']);
    scanner.start();
    await scanner.idle();
    appendFileSync(logs.app, 'ERROR one\n');
    await scanner.poll();
    expect(scanner.withdrawFleet('errors')).toBe(true);
    expect(scanner.fleetIds()).toEqual([]);
    appendFileSync(logs.app, 'ERROR two\n');
    await scanner.poll();
    expect(lines(scanner)).toEqual(['errors@app: ERROR one']);
    expect(await registry.metrics()).not.toContain('pattern="errors"');
  });

  it('counts matches in a window and lists patterns with their last hour and latest match', async () => {
    const { logs, scanner, clock } = setup();
    scanner.setConfigPatterns([pattern({ id: 'errors', regex: 'ERROR' }), pattern({ id: 'quiet', regex: 'never' })]);
    scanner.applyFleet(pattern({ id: 'fleet-one', regex: 'fleet' }));
    scanner.start();
    await scanner.idle();
    const first = clock.now();
    appendFileSync(logs.app, 'ERROR a\nERROR b\n');
    await scanner.poll();
    await clock.advance(30 * 60_000);
    appendFileSync(logs.app, 'ERROR c\n');
    await scanner.poll();
    const second = clock.now();

    expect(scanner.countSince('errors', first)).toBe(3);
    expect(scanner.countSince('errors', first + 1)).toBe(1);
    expect(scanner.countSince('quiet', 0)).toBe(0);
    expect(scanner.patterns()).toEqual([
      {
        pattern: pattern({ id: 'errors', regex: 'ERROR' }),
        source: 'config',
        matchesLastHour: 3,
        lastMatchAt: second,
        problem: null,
      },
      {
        pattern: pattern({ id: 'fleet-one', regex: 'fleet' }),
        source: 'fleet',
        matchesLastHour: 0,
        lastMatchAt: null,
        problem: null,
      },
      {
        pattern: pattern({ id: 'quiet', regex: 'never' }),
        source: 'config',
        matchesLastHour: 0,
        lastMatchAt: null,
        problem: null,
      },
    ]);

    await clock.advance(31 * 60_000);
    expect(scanner.patterns()[0]).toMatchObject({ matchesLastHour: 1, lastMatchAt: second });
  });

  it('prunes matches by age and keeps each pattern to its cap', async () => {
    const { logs, scanner, clock } = setup({ scanner: { keepPerPattern: 3 } });
    scanner.setConfigPatterns([pattern({ id: 'errors', regex: 'ERROR' })]);
    scanner.start();
    await scanner.idle();
    appendFileSync(logs.app, 'ERROR 1\nERROR 2\nERROR 3\nERROR 4\nERROR 5\n');
    await scanner.poll();
    expect(lines(scanner)).toEqual(['errors@app: ERROR 3', 'errors@app: ERROR 4', 'errors@app: ERROR 5']);

    await clock.advance(2 * 3_600_000);
    appendFileSync(logs.app, 'ERROR 6\n');
    await scanner.poll();
    expect(scanner.prune(clock.now(), 3_600_000)).toBe(2);
    expect(lines(scanner)).toEqual(['errors@app: ERROR 6']);
  });

  it('continues after a restart exactly where it stopped: no line lost or stored twice', async () => {
    const first = setup();
    first.scanner.setConfigPatterns([pattern({ id: 'errors', regex: 'ERROR' })]);
    first.scanner.start();
    await first.scanner.idle();
    appendFileSync(first.logs.app, 'ERROR before\nERROR half');
    await first.scanner.poll();
    await first.stop();

    appendFileSync(first.logs.app, ' done\nERROR while down\n');
    writeFileSync(first.logs.web, 'ERROR web was created while down\n');
    const second = setup({ dir: first.dir, sources: first.sources });
    second.scanner.setConfigPatterns([pattern({ id: 'errors', regex: 'ERROR' })]);
    second.scanner.start();
    await second.scanner.idle();
    expect(lines(second.scanner)).toEqual([
      'errors@app: ERROR before',
      'errors@web: ERROR web was created while down',
      'errors@app: ERROR half done',
      'errors@app: ERROR while down',
    ]);
  });

  it('works through a backlog at most pollBytes per poll, and a stop lets the poll under way finish', async () => {
    const first = setup({ scanner: { chunkBytes: 4096, pollBytes: 4096 } });
    first.scanner.setConfigPatterns([pattern({ id: 'all', regex: 'line' })]);
    first.scanner.start();
    await first.scanner.idle();
    const backlog = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, '0')}\n`).join('');
    appendFileSync(first.logs.app, backlog);
    await first.scanner.poll();
    const afterOne = first.scanner.countSince('all', 0);
    expect(afterOne).toBeGreaterThan(0);
    expect(afterOne).toBeLessThanOrEqual(4096 / 10);
    void first.scanner.poll();
    await first.scanner.stop();
    expect(first.scanner.countSince('all', 0)).toBeGreaterThan(afterOne);
    await first.stop();

    const second = setup({ dir: first.dir, sources: first.sources, scanner: { chunkBytes: 4096 } });
    second.scanner.setConfigPatterns([pattern({ id: 'all', regex: 'line' })]);
    second.scanner.start();
    for (let i = 0; i < 5; i++) await second.scanner.poll();
    // Every line once: none lost at the stop, none read again after it.
    expect(second.scanner.countSince('all', 0)).toBe(1000);
    const newer = second.scanner.matchList({ limit: 500 });
    const older = second.scanner.matchList({ beforeId: newer.at(-1)!.id, limit: 500 });
    expect(newer[0]?.line).toBe('line 0999');
    expect(new Set([...newer, ...older].map((m) => m.line)).size).toBe(1000);
  });

  it('catches up with a backlog of many chunks in one poll, chunk by chunk, and follows at once with the rest', async () => {
    const { logs, scanner, clock } = setup({ scanner: { chunkBytes: 4096, pollBytes: 40_960 } });
    scanner.setConfigPatterns([pattern({ id: 'all', regex: 'line' })]);
    scanner.start();
    await scanner.idle();
    // 10 bytes a line: 3,000 lines are 30,000 bytes, 8 chunks within one poll's 40,960.
    appendFileSync(logs.app, Array.from({ length: 3000 }, (_, i) => `line ${String(i).padStart(4, '0')}\n`).join(''));
    await scanner.poll();
    expect(scanner.countSince('all', 0)).toBe(3000);

    // 60,000 bytes: more than one poll's worth; the rest follows without waiting for the clock's next tick.
    appendFileSync(logs.app, Array.from({ length: 6000 }, (_, i) => `line ${String(i).padStart(4, '0')}\n`).join(''));
    await clock.advance(1000);
    await waitFor('the backlog matched', () => scanner.countSince('all', 0) === 9000);
  });

  it('starts tailing sources added later and forgets those removed', async () => {
    const { dir, logs, scanner, sources, offsets } = setup();
    scanner.setConfigPatterns([pattern({ id: 'errors', regex: 'ERROR' })]);
    scanner.start();
    await scanner.idle();
    const extra = join(dir, 'extra.log');
    writeFileSync(extra, 'ERROR old history\n');
    sources.push({ name: 'extra', kind: 'file', path: extra });
    scanner.refreshSources();
    await scanner.poll();
    appendFileSync(extra, 'ERROR new\n');
    await scanner.poll();
    expect(lines(scanner)).toEqual(['errors@extra: ERROR new']);
    expect(offsets.get('extra')).not.toBeNull();

    sources.splice(0, sources.length, ...sources.filter((source) => source.name !== 'app'));
    scanner.refreshSources();
    expect(scanner.sourceStates().map((source) => source.name)).toEqual(['extra', 'web']);
    expect(offsets.get('app')).toBeNull();
    appendFileSync(logs.app, 'ERROR not scanned\n');
    await scanner.poll();
    expect(lines(scanner)).toEqual(['errors@extra: ERROR new']);
    expect(offsets.get('app')).toBeNull();
  });

  it('forgets in prune the offsets of sources that are gone', async () => {
    const { offsets, scanner, clock } = setup();
    offsets.saveMany([{ source: 'removed', path: '/gone.log', file: null, offset: 0 }], clock.now());
    scanner.start();
    await scanner.idle();
    scanner.prune(clock.now(), 3_600_000);
    expect(offsets.list().map((offset) => offset.source)).toEqual(['app', 'web']);
  });
});
