import { describe, expect, it } from 'vitest';
import type { LogMatch, LogPatternState } from '../../../shared/log-patterns.js';
import { withSpans } from '../../../electron/logs/match-spans.js';
import { abLines, SLOW_REGEX } from '../../support/slow-pattern.js';
import { matchWorkers } from './match-worker-support.js';

const newWorker = matchWorkers();
const matchWorker = async (budgetMs?: number) => (await newWorker(budgetMs)).worker;

const inForce = (id: string, regex: string, ignoreCase = false): LogPatternState => ({
  pattern: { id, name: id, description: '', regex, ignoreCase, sources: [], severity: 'warning' },
  source: 'fleet',
  matchesLastHour: 0,
  lastMatchAt: null,
  problem: null,
});

let nextId = 1;
const listed = (patternId: string, line: string): LogMatch => ({
  id: nextId++,
  patternId,
  source: 'app',
  line,
  at: 1_000,
});

describe('withSpans', () => {
  it('marks where the pattern in force matches each listed line', async () => {
    const lines = [
      listed('timeouts', 'GET /a upstream TIMEOUT after 3 s'),
      listed('codes', 'status=503 from billing'),
      listed('timeouts', 'timeout'),
    ];
    const spanned = await withSpans(
      lines,
      [inForce('timeouts', 'timeout', true), inForce('codes', '5\\d\\d')],
      await matchWorker(),
    );
    expect(spanned).toEqual([
      { ...lines[0], span: { start: 16, end: 23 } },
      { ...lines[1], span: { start: 7, end: 10 } },
      { ...lines[2], span: { start: 0, end: 7 } },
    ]);
  });

  it('lists a line without a span when its pattern is gone, no longer matches it, or runs over the budget', async () => {
    const lines = [
      listed('removed', 'ERROR x'),
      listed('changed', 'ERROR y'),
      ...abLines(4).map((line) => listed('slow', line)),
    ];
    const spanned = await withSpans(
      lines,
      [inForce('changed', 'WARN'), inForce('slow', SLOW_REGEX)],
      await matchWorker(300),
    );
    expect(spanned).toEqual(lines);
  });
});
