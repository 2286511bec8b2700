import type { MatchSpan } from '../../shared/log-patterns.js';
import type { PatternRegex } from './compile-pattern.js';

/** What the main thread asks of the match worker: which of `lines` each pattern matches (and where, with `spans`). */
export interface MatchRequest {
  id: number;
  patterns: PatternRegex[];
  lines: readonly string[];
  spans: boolean;
}

/** Each pattern's matches, in request order: the indexes of the lines, and when asked each one's span (same order). */
export interface MatchHits {
  hits: number[][];
  spans?: MatchSpan[][];
}

/** The worker's answer. */
export type MatchReply = ({ id: number } & MatchHits) | { id: number; error: string };

/**
 * Slots of the Int32Array (over a SharedArrayBuffer) in which the worker says what it is doing, so the main thread
 * can tell which pattern holds it without the worker having to answer: STEP goes up by one each time the worker
 * starts a pattern on a batch; PATTERN is that pattern's index in the request.
 */
export const PROGRESS_STEP = 0;
export const PROGRESS_PATTERN = 1;
export const PROGRESS_SLOTS = 2;

export interface MatchWorkerData {
  progress: SharedArrayBuffer;
}
