import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import type { PatternRegex } from '../../../electron/logs/compile-pattern.js';
import { REALISTIC_PATTERNS, realisticLines } from '../../support/log-corpus.js';
import { matchWorkers } from './match-worker-support.js';

/** Override with MATCH_SEED to replay a failure; fast-check prints the seed and the counterexample. */
const seed = Number(process.env.MATCH_SEED ?? 1313);
const matchWorker = matchWorkers(10_000);

/** Words of log lines, in the cases and with the punctuation and non-ASCII letters that literal search must get right. */
const WORDS = [
  'error',
  'ERROR',
  'Error',
  'timeout',
  'TimeOut',
  'disk',
  'full',
  'at',
  'panic:',
  'kelvin',
  '\u212Aelvin',
  'ſtatus',
  'status',
  'café',
  'CAFÉ',
  'a.b',
  '(x)',
  '[1]',
  '404',
  '5xx',
  'GET',
  '/api/v1',
  'failed',
  '🙂',
];
const word = fc.constantFrom(...WORDS);
const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** A regex as operators write them: literals, classes, repetitions, optional parts, alternations, anchors. */
const piece: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: word.map(escape) },
  { weight: 1, arbitrary: fc.constantFrom('\\d+', '[0-9]{1,3}', '\\s', '\\w+', '[a-z]+', '.', '.*', '[^ ]*', ' ') },
  { weight: 1, arbitrary: word.map((text) => `(${escape(text)})?`) },
  { weight: 1, arbitrary: fc.array(word.map(escape), { minLength: 2, maxLength: 4 }).map((w) => `(${w.join('|')})`) },
  { weight: 1, arbitrary: fc.constantFrom('\\b', '\\d', '[Ee]') },
);
const pattern: fc.Arbitrary<PatternRegex> = fc.record({
  regex: fc
    .tuple(fc.boolean(), fc.array(piece, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
    .map(([start, pieces, spaced, end]) => `${start ? '^' : ''}${pieces.join(spaced ? ' ' : '')}${end ? '$' : ''}`),
  ignoreCase: fc.boolean(),
});

/** Lines of words in any case, of the corpus, and of random text. */
const line: fc.Arbitrary<string> = fc.oneof(
  fc.array(word, { maxLength: 12 }).map((words) => words.join(' ')),
  fc.array(word, { maxLength: 12 }).map((words) => words.join('')),
  fc.constantFrom(...realisticLines(200, 5)),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

/** Enough more patterns that the literals are searched by the automatons too, not only one by one. */
const MANY_LITERALS: PatternRegex[] = Array.from({ length: 40 }, (_, i) => ({
  regex: `${WORDS[i % WORDS.length]!.replace(/[^a-z]/gi, '') || 'x'}${i}`,
  ignoreCase: i % 2 === 0,
}));

const reference = (patterns: readonly PatternRegex[], lines: readonly string[]) =>
  patterns.map((p) => {
    const regex = RE2JS.compile(p.regex, p.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    return lines.flatMap((text, index) => (regex.test(text) ? [index] : []));
  });

describe('MatchWorker against a plain loop of re2js', () => {
  it('gives every pattern the same lines, for random patterns and lines', async () => {
    const { worker } = await matchWorker();
    await fc.assert(
      fc.asyncProperty(
        fc.array(pattern, { minLength: 1, maxLength: 30 }),
        fc.array(line, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        async (drawn, lines, many) => {
          const patterns = many ? [...drawn, ...MANY_LITERALS] : drawn;
          const outcome = await worker.match(patterns, lines);
          expect(outcome).toEqual({ ok: true, hits: reference(patterns, lines) });
        },
      ),
      { seed, numRuns: 300 },
    );
  });

  it('gives each of the fifty realistic patterns the same lines on a corpus', async () => {
    const { worker } = await matchWorker();
    const lines = realisticLines(20_000, 99);
    const hits = REALISTIC_PATTERNS.map((): number[] => []);
    for (let from = 0; from < lines.length; from += 700) {
      const outcome = await worker.match(REALISTIC_PATTERNS, lines.slice(from, from + 700));
      if (!outcome.ok) throw new Error('a pattern ran over the budget');
      outcome.hits.forEach((found, index) => hits[index]!.push(...found.map((line) => line + from)));
    }
    const expected = reference(REALISTIC_PATTERNS, lines);
    expect(hits).toEqual(expected);
    // The corpus makes the patterns work: most of them match some lines, none matches most lines.
    expect(expected.filter((found) => found.length > 0).length).toBeGreaterThan(40);
    expect(Math.max(...expected.map((found) => found.length))).toBeLessThan(lines.length / 10);
  });
});
