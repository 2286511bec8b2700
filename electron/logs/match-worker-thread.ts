// Runs in a worker thread (built to dist/electron/log-match-worker.mjs): matching cannot hold the agent's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../core/errors.js';
import { compilePattern, type LineMatcher, type PatternRegex } from './compile-pattern.js';
import {
  PROGRESS_PATTERN,
  PROGRESS_STEP,
  type MatchReply,
  type MatchRequest,
  type MatchWorkerData,
} from './match-protocol.js';

const port = parentPort;
if (!port) throw new Error('the match worker runs only as a worker thread');
const progress = new Int32Array((workerData as MatchWorkerData).progress);

/** Compiled regexes by flag and source; forgotten all at once when there are this many (patterns changed a lot). */
const MAX_COMPILED = 256;
const compiled = new Map<string, LineMatcher>();

function matcherFor(pattern: PatternRegex): LineMatcher {
  const key = `${pattern.ignoreCase ? 'i' : '-'}${pattern.regex}`;
  let matches = compiled.get(key);
  if (!matches) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    matches = compilePattern(pattern);
    compiled.set(key, matches);
  }
  return matches;
}

function matchAll(request: MatchRequest): number[][] {
  return request.patterns.map((pattern, index) => {
    const matches = matcherFor(pattern);
    Atomics.store(progress, PROGRESS_PATTERN, index);
    Atomics.add(progress, PROGRESS_STEP, 1);
    const found: number[] = [];
    request.lines.forEach((line, lineIndex) => {
      if (matches(line)) found.push(lineIndex);
    });
    return found;
  });
}

port.on('message', (request: MatchRequest) => {
  let reply: MatchReply;
  try {
    reply = { id: request.id, hits: matchAll(request) };
  } catch (error) {
    reply = { id: request.id, error: errorMessage(error) };
  }
  port.postMessage(reply);
});
