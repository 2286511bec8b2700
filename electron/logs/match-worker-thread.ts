// Runs in a worker thread (built to dist/electron/log-match-worker.mjs): matching cannot hold the agent's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../core/errors.js';
import type { RE2JS } from 're2js';
import type { MatchSpan } from '../../shared/log-patterns.js';
import { compileRegex, spanOf, type PatternRegex } from './compile-pattern.js';
import {
  PROGRESS_PATTERN,
  PROGRESS_STEP,
  type MatchHits,
  type MatchReply,
  type MatchRequest,
  type MatchWorkerData,
} from './match-protocol.js';
import { LiteralIndex } from './literal-index.js';
import { literalDecides, requiredLiterals, type LiteralTree } from './required-literals.js';

const port = parentPort;
if (!port) throw new Error('the match worker runs only as a worker thread');
const progress = new Int32Array((workerData as MatchWorkerData).progress);

interface CompiledPattern {
  regex: RE2JS;
  ignoreCase: boolean;
  /** What every line the regex matches holds; null: nothing known, every line is tested. */
  literals: LiteralTree | null;
  /** A line holding the literal matches: the regex is that literal alone. */
  literalDecides: boolean;
}

const patternKey = (pattern: PatternRegex) => `${pattern.ignoreCase ? 'i' : '-'}${pattern.regex}`;

/** Compiled patterns by flag and source; forgotten all at once when there are this many (patterns changed a lot). */
const MAX_COMPILED = 256;
const compiled = new Map<string, CompiledPattern>();

function compiledFor(pattern: PatternRegex): CompiledPattern {
  const key = patternKey(pattern);
  let found = compiled.get(key);
  if (!found) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    const literals = requiredLiterals(pattern);
    found = {
      regex: compileRegex(pattern),
      ignoreCase: pattern.ignoreCase,
      literals,
      literalDecides: literalDecides(pattern, literals),
    };
    compiled.set(key, found);
  }
  return found;
}

/** The literal index of the last set of patterns asked for: the scanner asks with the same set batch after batch. */
let lastIndex: { key: string; index: LiteralIndex } | null = null;

function literalIndexFor(patterns: readonly CompiledPattern[], keys: readonly string[]): LiteralIndex {
  const key = JSON.stringify(keys);
  if (lastIndex?.key !== key) lastIndex = { key, index: new LiteralIndex(patterns) };
  return lastIndex.index;
}

function matchAll(request: MatchRequest): MatchHits {
  const hits: number[][] = [];
  const spans: MatchSpan[][] = [];
  // The literal search is one pass over the batch for all patterns, linear and short: it counts as the first one's.
  Atomics.store(progress, PROGRESS_PATTERN, 0);
  Atomics.add(progress, PROGRESS_STEP, 1);
  const patterns = request.patterns.map(compiledFor);
  const candidates = literalIndexFor(patterns, request.patterns.map(patternKey)).candidates(request.lines);
  patterns.forEach(({ regex, literalDecides }, index) => {
    Atomics.store(progress, PROGRESS_PATTERN, index);
    Atomics.add(progress, PROGRESS_STEP, 1);
    const found: number[] = [];
    const where: MatchSpan[] = [];
    const test = (lineIndex: number) => {
      const line = request.lines[lineIndex]!;
      // The plain test is the faster one; only a line that matched is searched again for where.
      if (!regex.test(line)) return;
      found.push(lineIndex);
      if (request.spans) where.push(spanOf(regex, line)!);
    };
    // Only re2js decides a match; the literals only skip lines that cannot match.
    const worthTesting = candidates[index];
    if (worthTesting && literalDecides && !request.spans) found.push(...worthTesting);
    else if (worthTesting) worthTesting.forEach(test);
    else for (let lineIndex = 0; lineIndex < request.lines.length; lineIndex++) test(lineIndex);
    hits.push(found);
    spans.push(where);
  });
  return request.spans ? { hits, spans } : { hits };
}

port.on('message', (request: MatchRequest) => {
  let reply: MatchReply;
  try {
    reply = { id: request.id, ...matchAll(request) };
  } catch (error) {
    reply = { id: request.id, error: errorMessage(error) };
  }
  port.postMessage(reply);
});
