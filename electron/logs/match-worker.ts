import { Worker } from 'node:worker_threads';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PatternRegex } from './compile-pattern.js';
import {
  PROGRESS_PATTERN,
  PROGRESS_SLOTS,
  PROGRESS_STEP,
  type MatchHits,
  type MatchReply,
  type MatchRequest,
  type MatchWorkerData,
} from './match-protocol.js';

/** How long one pattern may take on one batch of lines before the worker is cut off and the pattern blamed. */
export const MATCH_BUDGET_MS = 2000;

/** For each pattern, in order, the lines it matched (and where, when asked); or the pattern that ran over the budget. */
export type MatchOutcome = ({ ok: true } & MatchHits) | { ok: false; slowPattern: number };

export interface MatchOptions {
  /** Also say where each matched line matched. */
  spans?: boolean;
  /** Aborted before the batch's turn comes: it is not matched, and the promise rejects. */
  signal?: AbortSignal;
}

/** Matches lines against patterns somewhere the event loop does not wait for it. */
export interface LineMatching {
  /** How long one pattern may take on one batch. */
  readonly budgetMs: number;
  match(patterns: readonly PatternRegex[], lines: readonly string[], options?: MatchOptions): Promise<MatchOutcome>;
}

/** "matching took over 2 s": what a pattern cut off by the matcher's budget did. */
export const overBudget = (matcher: LineMatching): string => `matching took over ${matcher.budgetMs / 1000} s`;

export interface MatchWorkerOptions {
  clock: Clock;
  logger: Logger;
  budgetMs?: number;
  /** The built worker script; by default the one beside the agent bundle (see `matchWorkerScript`). */
  script?: URL;
}

/** The worker script, built beside the agent bundle; in the packaged app it is unpacked from app.asar (asarUnpack). */
export function matchWorkerScript(bundleUrl: string = import.meta.url): URL {
  const url = new URL('./log-match-worker.mjs', bundleUrl);
  url.pathname = url.pathname.replace('/app.asar/', '/app.asar.unpacked/');
  return url;
}

/** A thread far beyond this is a bug, not a log line: it dies alone instead of taking the agent with it. */
const WORKER_HEAP_MB = 256;

interface Thread {
  worker: Worker;
  progress: Int32Array;
}

/**
 * One worker thread that matches batches of lines, one batch at a time. The main thread watches the worker's
 * progress (shared memory, no message needed) and, when one pattern has been busy on a batch for longer than the
 * budget, terminates the worker and answers which pattern it was; the next batch starts a fresh worker.
 */
export class MatchWorker implements LineMatching {
  readonly budgetMs: number;
  private readonly tickMs: number;
  private readonly script: URL;
  private thread: Thread | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: MatchWorkerOptions) {
    this.budgetMs = options.budgetMs ?? MATCH_BUDGET_MS;
    this.tickMs = Math.max(10, Math.min(250, this.budgetMs / 8));
    this.script = options.script ?? matchWorkerScript();
  }

  /** Batches queue: each runs once the one before it is done. */
  match(
    patterns: readonly PatternRegex[],
    lines: readonly string[],
    { spans = false, signal }: MatchOptions = {},
  ): Promise<MatchOutcome> {
    const run = this.queue.then(() => {
      if (signal?.aborted) throw new Error('matching was called off');
      return this.run(patterns, lines, spans);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Terminates the worker; a batch under way is refused. */
  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    this.thread = null;
    await thread?.worker.terminate();
  }

  private run(patterns: readonly PatternRegex[], lines: readonly string[], spans: boolean): Promise<MatchOutcome> {
    if (this.closed) return Promise.reject(new Error('the match worker is closed'));
    if (patterns.length === 0 || lines.length === 0) {
      const none = patterns.map(() => []);
      return Promise.resolve(
        spans ? { ok: true, hits: none, spans: patterns.map(() => []) } : { ok: true, hits: none },
      );
    }
    const thread = (this.thread ??= this.spawn());
    const { worker, progress } = thread;
    const { clock } = this.options;
    const id = this.nextId++;
    return new Promise<MatchOutcome>((resolve, reject) => {
      let step = Atomics.load(progress, PROGRESS_STEP);
      // Null until the worker starts on the batch: its start-up and reading the request are not a pattern's time.
      let stepSince: number | null = null;
      let cancelTick = () => {};
      const finish = () => {
        cancelTick();
        worker.off('message', onMessage);
        worker.off('error', onFailure);
        worker.off('exit', onFailure);
      };
      const onMessage = (reply: MatchReply) => {
        if (reply.id !== id) return;
        finish();
        if ('error' in reply) reject(new Error(`log matching failed: ${reply.error}`));
        else resolve({ ok: true, hits: reply.hits, ...(reply.spans && { spans: reply.spans }) });
      };
      const onFailure = (cause: unknown) => {
        finish();
        reject(
          new Error(
            `the log match worker stopped: ${typeof cause === 'number' ? `exit ${cause}` : errorMessage(cause)}`,
          ),
        );
      };
      const tick = () => {
        const current = Atomics.load(progress, PROGRESS_STEP);
        if (current !== step) {
          step = current;
          stepSince = clock.monotonic();
        } else if (stepSince !== null && clock.monotonic() - stepSince > this.budgetMs) {
          finish();
          this.discard(thread);
          resolve({ ok: false, slowPattern: Atomics.load(progress, PROGRESS_PATTERN) });
          return;
        }
        cancelTick = clock.setTimer(tick, this.tickMs);
      };
      worker.on('message', onMessage);
      worker.on('error', onFailure);
      worker.on('exit', onFailure);
      const request: MatchRequest = { id, patterns: [...patterns], lines, spans };
      worker.postMessage(request);
      cancelTick = clock.setTimer(tick, this.tickMs);
    });
  }

  private spawn(): Thread {
    const progress = new SharedArrayBuffer(PROGRESS_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const workerData: MatchWorkerData = { progress };
    const worker = new Worker(this.script, { workerData, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    // An idle worker does not keep the process alive; a batch under way has its watchdog timer for that.
    worker.unref();
    const thread: Thread = { worker, progress: new Int32Array(progress) };
    const forget = () => {
      if (this.thread === thread) this.thread = null;
    };
    worker.on('error', (error) => {
      this.options.logger.error({ err: error, script: this.script.pathname }, 'the log match worker failed');
      forget();
    });
    worker.on('exit', forget);
    return thread;
  }

  private discard(thread: Thread): void {
    if (this.thread === thread) this.thread = null;
    thread.worker.terminate().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'could not terminate the log match worker');
    });
  }
}
