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

const port = parentPort;
if (!port) throw new Error('the match worker runs only as a worker thread');
const progress = new Int32Array((workerData as MatchWorkerData).progress);

/** Compiled regexes by flag and source; forgotten all at once when there are this many (patterns changed a lot). */
const MAX_COMPILED = 256;
const compiled = new Map<string, RE2JS>();

function regexFor(pattern: PatternRegex): RE2JS {
  const key = `${pattern.ignoreCase ? 'i' : '-'}${pattern.regex}`;
  let regex = compiled.get(key);
  if (!regex) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    regex = compileRegex(pattern);
    compiled.set(key, regex);
  }
  return regex;
}

function matchAll(request: MatchRequest): MatchHits {
  const hits: number[][] = [];
  const spans: MatchSpan[][] = [];
  request.patterns.forEach((pattern, index) => {
    const regex = regexFor(pattern);
    Atomics.store(progress, PROGRESS_PATTERN, index);
    Atomics.add(progress, PROGRESS_STEP, 1);
    const found: number[] = [];
    const where: MatchSpan[] = [];
    request.lines.forEach((line, lineIndex) => {
      // The plain test is the faster one; only a line that matched is searched again for where.
      if (!regex.test(line)) return;
      found.push(lineIndex);
      if (request.spans) where.push(spanOf(regex, line)!);
    });
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
