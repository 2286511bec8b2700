import type { Counter } from 'prom-client';
import type { LogMatch, LogPattern, LogPatternState, LogSourceState } from '../../shared/log-patterns.js';
import { repeat, type Clock } from '../core/clock.js';
import { coalesce } from '../core/coalesce.js';
import { CodedError } from '../core/coded-error.js';
import { DefinitionSet } from '../core/definition-set.js';
import type { EventPublisher } from '../core/event-publisher.js';
import type { Logger } from '../core/logger.js';
import type { LogMatchesRepository, LogMatchQuery, NewLogMatch } from '../store/log-matches-repository.js';
import type { LogOffset, LogOffsetsRepository } from '../store/log-offsets-repository.js';
import { compilePattern } from './compile-pattern.js';
import { DEFAULT_CHUNK_BYTES, LogTailer, type TailPosition } from './log-tailer.js';
import { overBudget, type LineMatching, type MatchOutcome } from './match-worker.js';

/** A file this node scans: a supervised service's output (named by the service id) or a `logFiles` entry. */
export interface LogSource {
  name: string;
  kind: 'service' | 'file';
  path: string;
}

export interface LogScannerOptions {
  /** Every source this node has right now; read again by `refreshSources()`. */
  sources: () => LogSource[];
  matches: LogMatchesRepository;
  offsets: LogOffsetsRepository;
  clock: Clock;
  logger: Logger;
  pollMs?: number;
  /** Bytes read from a source at a time: each chunk is matched and stored before the next is read. */
  chunkBytes?: number;
  /** Bytes read per source per poll at most, chunk by chunk; with more left, the next poll starts at once. */
  pollBytes?: number;
  /** Matches kept per pattern (the newest). */
  keepPerPattern?: number;
  metrics?: { matches: Counter<'pattern'> };
  /** Hears `logs.matched` with the ids of the patterns that matched, at most every 500 ms however busy the logs. */
  events: EventPublisher;
  /** Where lines are matched: off the event loop, each batch with a time budget (a `MatchWorker`). */
  matcher: LineMatching;
  /** Hears every line read, by source (the recent lines that pattern suggestions cluster). */
  onLines?: (source: string, lines: readonly string[]) => void;
}

export const DEFAULT_POLL_MS = 1000;
export const DEFAULT_KEEP_PER_PATTERN = 10_000;
export const DEFAULT_POLL_BYTES = 64 * 1024 * 1024;
const HOUR_MS = 3_600_000;
const MATCHED_EVENT_INTERVAL_MS = 500;
/** Lines go to the matcher in batches of about this many characters, so its budget is per slice of a busy log. */
const BATCH_CHARS = 64 * 1024;
/**
 * Chunks whose matches are stored in one transaction while catching up: each store also trims every pattern it
 * touched to its cap, and that walk (up to `keepPerPattern` rows) costs more than the inserts when done every chunk.
 */
const STORE_EVERY_CHUNKS = 4;

interface ActivePattern {
  id: string;
  regex: string;
  ignoreCase: boolean;
  /** Null: every source. */
  sources: ReadonlySet<string> | null;
}

/** A chunk read from a source and matched: its matches and the source's position after it. */
interface MatchedChunk {
  tail: Tail;
  position: TailPosition | null;
  found: NewLogMatch[];
}

interface Tail {
  source: LogSource;
  tailer: LogTailer;
  /** The position last saved, to write only those that moved. */
  saved: string | null;
}

/** Checks that the pattern compiles within the cost bound (the worker compiles it again for itself). */
function activate(pattern: LogPattern): ActivePattern {
  compilePattern(pattern);
  return {
    id: pattern.id,
    regex: pattern.regex,
    ignoreCase: pattern.ignoreCase,
    sources: pattern.sources.length > 0 ? new Set(pattern.sources) : null,
  };
}

const samePatterns = (a: readonly ActivePattern[], b: readonly ActivePattern[]) =>
  a.length === b.length && a.every((pattern, index) => pattern === b[index]);

const positionKey = (offset: LogOffset) => JSON.stringify([offset.path, offset.file, offset.offset]);

/** Consecutive runs of lines of about `BATCH_CHARS` in all (at least one line each). */
export function batchesOf(lines: readonly string[]): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let chars = 0;
  for (const line of lines) {
    if (batch.length > 0 && chars + line.length > BATCH_CHARS) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(line);
    chars += line.length;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * The node's log-pattern engine: tails every log source, matches each new line against every pattern in force, and
 * stores the matches of one poll together with the tailers' new offsets in one transaction, so a restart neither
 * loses nor repeats a line. Patterns come from the node's config file and from the fleet (the config file wins).
 */
export class LogScanner {
  private readonly definitions = new DefinitionSet<LogPattern>('log pattern');
  private readonly active = new Map<string, ActivePattern>();
  /** Patterns taken out of matching for running over the budget, with why; until a new version is applied. */
  private readonly disabled = new Map<string, string>();
  /** Fleet versions this node refused (too costly, not compiling), with why; shown in the pattern's state. */
  private readonly refused = new Map<string, { pattern: LogPattern; reason: string }>();
  private readonly tails = new Map<string, Tail>();
  /** Sources removed while a poll may be reading them: their positions are not saved again. */
  private readonly retired = new WeakSet<Tail>();
  private readonly pollMs: number;
  private readonly keepPerPattern: number;
  private readonly chunksPerPoll: number;
  /** A source still had a backlog at the end of the last poll: the next one follows at once. */
  private backlog = false;
  private cancelCatchUp: (() => void) | null = null;
  /** Set by `stop()`: a poll under way finishes the chunk it is on and goes no further. */
  private stopping = false;
  /** Polls and descriptor closes run one after another, never overlapping. */
  private queue: Promise<void> = Promise.resolve();
  private timerPollPending = false;
  private cancelTimer: (() => void) | null = null;
  /** Patterns that matched since the last `logs.matched` event. */
  private readonly matchedIds = new Set<string>();
  private readonly matchedEvent: { trigger(): void; cancel(): void };

  constructor(private readonly options: LogScannerOptions) {
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.keepPerPattern = options.keepPerPattern ?? DEFAULT_KEEP_PER_PATTERN;
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.chunksPerPoll = Math.max(1, Math.floor((options.pollBytes ?? DEFAULT_POLL_BYTES) / chunkBytes));
    this.matchedEvent = coalesce(options.clock, MATCHED_EVENT_INTERVAL_MS, () => {
      const patternIds = [...this.matchedIds].sort();
      this.matchedIds.clear();
      try {
        options.events.publish({ type: 'logs.matched', data: { patternIds } });
      } catch (error) {
        options.logger.error({ err: error }, 'a log match listener failed');
      }
    });
  }

  /** The node's own patterns, from its config file; call once, before `start()`. All compile or nothing changes. */
  setConfigPatterns(patterns: readonly LogPattern[]): void {
    const compiled = patterns.map((pattern, index) => {
      try {
        return activate(pattern);
      } catch (error) {
        if (!(error instanceof CodedError)) throw error;
        throw new CodedError(
          'invalid_request',
          `log pattern "${pattern.id}": ${error.message}`,
          (error.issues ?? []).map((issue) => ({ ...issue, path: `logPatterns.${index}.${issue.path}` })),
        );
      }
    });
    this.definitions.setConfig(patterns);
    for (const pattern of compiled) this.active.set(pattern.id, pattern);
  }

  /**
   * Puts a fleet pattern in force (or replaces it); false when it already was, unchanged. Throws `invalid_request`
   * when its regex does not compile and `conflict` when the config file has the id; either way the version in force
   * before stays.
   */
  applyFleet(pattern: LogPattern): boolean {
    let compiled: ActivePattern;
    try {
      compiled = activate(pattern);
    } catch (error) {
      if (!(error instanceof CodedError)) throw error;
      this.refused.set(pattern.id, { pattern, reason: error.message });
      throw new CodedError('invalid_request', `log pattern "${pattern.id}": ${error.message}`, error.issues);
    }
    this.refused.delete(pattern.id);
    if (!this.definitions.applyFleet(pattern)) return false;
    this.active.set(pattern.id, compiled);
    this.disabled.delete(pattern.id);
    return true;
  }

  /** Stops a fleet pattern deleted fleet-wide; its stored matches stay until pruned. */
  withdrawFleet(id: string): boolean {
    this.refused.delete(id);
    if (!this.definitions.withdrawFleet(id)) return false;
    this.active.delete(id);
    this.disabled.delete(id);
    this.options.metrics?.matches.remove({ pattern: id });
    return true;
  }

  fleetIds(): string[] {
    return this.definitions.fleetIds();
  }

  /**
   * Every pattern in force, by id, with its matches in the last hour, its latest match time and any problem (taken
   * out of matching, or a newer fleet version refused); then each fleet pattern refused outright, with why.
   */
  patterns(): LogPatternState[] {
    const since = this.options.clock.now() - HOUR_MS;
    const state = (pattern: LogPattern, source: LogPatternState['source'], problem: string | null) => ({
      pattern,
      source,
      matchesLastHour: this.options.matches.countSince(pattern.id, since),
      lastMatchAt: this.options.matches.lastMatchAt(pattern.id),
      problem,
    });
    const inForce = this.definitions.list().map(({ value, source }) => {
      const refused = this.refused.get(value.id);
      const problem =
        this.disabled.get(value.id) ??
        (refused ? `the fleet's new version was refused (${refused.reason}); this one stays in force` : null);
      return state(value, source, problem);
    });
    const ids = new Set(inForce.map((entry) => entry.pattern.id));
    const refusedOnly = [...this.refused.values()]
      .filter(({ pattern }) => !ids.has(pattern.id))
      .map(({ pattern, reason }) => state(pattern, 'fleet', `refused: ${reason}`));
    return [...inForce, ...refusedOnly];
  }

  /** Every source scanned, by name, with the reason it cannot be read, if any. */
  sourceStates(): LogSourceState[] {
    return [...this.tails.values()]
      .map(({ source, tailer }) => ({ ...source, problem: tailer.problem }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Stored matches, newest first; `beforeId` pages back. */
  matchList(query: LogMatchQuery): LogMatch[] {
    return this.options.matches.list(query);
  }

  /** Matches of the pattern at or after `sinceMs` (alert rules: "at least N matches in the last W seconds"). */
  countSince(patternId: string, sinceMs: number): number {
    return this.options.matches.countSince(patternId, sinceMs);
  }

  /**
   * Reads `sources()` again: starts tailing new sources (at their end, or where a previous run stopped) and stops
   * tailing those gone. A source gone is forgotten, so if it comes back it starts at its end like any new one.
   */
  refreshSources(): void {
    const wanted = new Map<string, LogSource>();
    for (const source of this.options.sources()) {
      if (wanted.has(source.name)) {
        this.options.logger.warn({ source: source.name }, 'two log sources have the same name; scanning the first');
        continue;
      }
      wanted.set(source.name, source);
    }
    for (const [name, tail] of this.tails) {
      const source = wanted.get(name);
      if (source?.path === tail.source.path) {
        tail.source = source;
        continue;
      }
      this.tails.delete(name);
      this.retired.add(tail);
      this.options.offsets.delete(name);
      void this.enqueue(() => tail.tailer.close());
    }
    for (const [name, source] of wanted) {
      if (this.tails.has(name)) continue;
      const tailer = new LogTailer({
        path: source.path,
        resume: this.options.offsets.get(name),
        logger: this.options.logger.child({ source: name }),
        chunkBytes: this.options.chunkBytes,
      });
      this.tails.set(name, { source, tailer, saved: null });
    }
  }

  /** Starts tailing: a first poll at once (which is where new sources start), then one every `pollMs`. */
  start(): void {
    if (this.cancelTimer) return;
    this.stopping = false;
    this.refreshSources();
    this.cancelTimer = repeat(this.options.clock, this.pollMs, () => this.pollFromTimer());
    this.pollFromTimer();
  }

  /** Stops polling and closes every file once the poll under way (if any) has stored its matches. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.cancelCatchUp?.();
    this.cancelCatchUp = null;
    await this.enqueue(async () => {
      const tails = [...this.tails.values()];
      this.tails.clear();
      await Promise.all(tails.map((tail) => tail.tailer.close()));
    });
    this.matchedEvent.cancel();
  }

  /** One poll now, after any under way; resolves once its matches and offsets are stored. Never rejects. */
  poll(): Promise<void> {
    return this.enqueue(() => this.pollOnce());
  }

  /** Resolves when every poll and close queued so far is done. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Deletes matches older than `keepMs` and beyond each pattern's cap, and offsets of sources gone; returns matches deleted. */
  prune(now: number, keepMs: number): number {
    const deleted = this.options.matches.prune(now - keepMs, this.keepPerPattern);
    const current = new Set(this.options.sources().map((source) => source.name));
    for (const { source } of this.options.offsets.list()) {
      if (!current.has(source) && !this.tails.has(source)) this.options.offsets.delete(source);
    }
    return deleted;
  }

  private pollFromTimer(): void {
    // A poll slower than the interval delays the next one; polls never pile up.
    if (this.timerPollPending) return;
    this.timerPollPending = true;
    void this.poll().finally(() => {
      this.timerPollPending = false;
      if (this.backlog && this.cancelTimer && !this.cancelCatchUp) {
        // Not a wait: the next poll only yields to the event loop first.
        const immediate = setImmediate(() => {
          this.cancelCatchUp = null;
          if (this.cancelTimer) this.pollFromTimer();
        });
        this.cancelCatchUp = () => clearImmediate(immediate);
      }
    });
  }

  /** The patterns in force for `source`, not taken out of matching. */
  private patternsFor(source: string): ActivePattern[] {
    return [...this.active.values()].filter(
      (pattern) => !this.disabled.has(pattern.id) && (pattern.sources === null || pattern.sources.has(source)),
    );
  }

  /**
   * Adds the matches of `lines` to `found`, line by line in order, batch by batch through the matcher. Every batch is
   * queued at once, so the worker matches the next while this thread takes in the last. A pattern that runs over the
   * budget on a batch is taken out of matching (with why, in its state), the batches still queued are called off and
   * queued again without it, from that batch on: one costly pattern neither stalls the node nor loses the other
   * patterns' matches.
   */
  private async match(source: string, lines: readonly string[], found: NewLogMatch[]): Promise<void> {
    const at = this.options.clock.now();
    const batches = batchesOf(lines);
    let queued: { patterns: ActivePattern[]; from: number; outcomes: Promise<MatchOutcome>[] } | null = null;
    let callOff = new AbortController();
    try {
      for (const [index, batch] of batches.entries()) {
        for (;;) {
          const patterns = this.patternsFor(source);
          if (patterns.length === 0) return;
          if (!queued || !samePatterns(queued.patterns, patterns)) {
            callOff.abort();
            callOff = new AbortController();
            const { signal } = callOff;
            const outcomes = batches.slice(index).map((rest) => this.options.matcher.match(patterns, rest, { signal }));
            // Those called off reject unawaited.
            for (const outcome of outcomes) outcome.catch(() => undefined);
            queued = { patterns, from: index, outcomes };
          }
          const outcome = await queued.outcomes[index - queued.from]!;
          if (!outcome.ok) {
            this.disable(patterns[outcome.slowPattern]!, batch.length);
            continue;
          }
          const perLine = batch.map((): ActivePattern[] => []);
          outcome.hits.forEach((indexes, patternIndex) => {
            for (const line of indexes) perLine[line]!.push(patterns[patternIndex]!);
          });
          perLine.forEach((matched, line) => {
            for (const pattern of matched) {
              // One withdrawn or replaced while the batch was out is not counted.
              if (this.active.get(pattern.id) === pattern)
                found.push({ patternId: pattern.id, source, line: batch[line]!, at });
            }
          });
          break;
        }
      }
    } finally {
      callOff.abort();
    }
  }

  private disable(pattern: ActivePattern, lines: number): void {
    this.disabled.set(pattern.id, `disabled: ${overBudget(this.options.matcher)} on one batch`);
    this.options.logger.warn(
      { pattern: pattern.id, regex: pattern.regex, lines, budgetMs: this.options.matcher.budgetMs },
      'a log pattern ran over its matching budget; it is disabled until a new version is applied',
    );
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(job).catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'log scan failed');
    });
    this.queue = run;
    return run;
  }

  /**
   * Reads every source a chunk at a time, round after round while any has a backlog, up to `pollBytes` per source.
   * Matches are stored with their sources' offsets after them in one transaction, every `STORE_EVERY_CHUNKS` chunks
   * and at the end of the poll, so a restart neither loses nor repeats a line, memory holds a few chunks' matches
   * at most, and a busy source does not keep the others waiting. Chunks are taken in while the worker matches the next.
   */
  private async pollOnce(): Promise<void> {
    let round = [...this.tails.values()];
    this.backlog = false;
    let pending: (MatchedChunk & { matched: Promise<void> }) | null = null;
    const unstored: MatchedChunk[] = [];
    const takePending = async () => {
      if (!pending) return;
      const { matched, ...chunk } = pending;
      pending = null;
      await matched;
      unstored.push(chunk);
    };
    const store = () => this.store(unstored.splice(0));
    for (let chunk = 0; round.length > 0; chunk++) {
      const behind: Tail[] = [];
      for (const tail of round) {
        const lines = await tail.tailer.read();
        const position = tail.tailer.position();
        this.options.onLines?.(tail.source.name, lines);
        const found: NewLogMatch[] = [];
        const matched = lines.length > 0 ? this.match(tail.source.name, lines, found) : Promise.resolve();
        // Awaited by takePending; a poll that fails before then must not leave it rejecting unheard.
        matched.catch(() => undefined);
        await takePending();
        if (unstored.length >= STORE_EVERY_CHUNKS) store();
        pending = { tail, position, found, matched };
        if (tail.tailer.behind) behind.push(tail);
      }
      if (chunk + 1 >= this.chunksPerPoll || this.stopping || behind.length === 0) {
        this.backlog = behind.length > 0;
        break;
      }
      round = behind;
    }
    await takePending();
    store();
  }

  /**
   * Stores the matches of `chunks` and each source's position after its last one in one transaction; counts and
   * announces them.
   */
  private store(chunks: readonly MatchedChunk[]): void {
    const found = chunks.flatMap((chunk) => chunk.found);
    const latest = new Map<Tail, TailPosition>();
    for (const { tail, position } of chunks) {
      // A source removed meanwhile is not saved again: it was forgotten on purpose.
      if (position && !this.retired.has(tail)) latest.set(tail, position);
    }
    const moved = [...latest].flatMap(([tail, position]) => {
      const offset = { source: tail.source.name, ...position };
      const key = positionKey(offset);
      return key === tail.saved ? [] : [{ tail, offset, key }];
    });
    if (found.length === 0 && moved.length === 0) return;

    try {
      this.options.matches.transaction(() => {
        this.options.matches.insertMany(found, this.keepPerPattern);
        this.options.offsets.saveMany(
          moved.map((entry) => entry.offset),
          this.options.clock.now(),
        );
      });
    } catch (error) {
      // Nothing of these chunks was saved, offsets included; their lines are dropped (a restart before the next
      // successful store would read them again).
      this.options.logger.error({ err: error, matches: found.length }, 'could not store log matches');
      return;
    }
    for (const entry of moved) entry.tail.saved = entry.key;
    if (found.length === 0) return;

    const matched = new Map<string, number>();
    for (const match of found) matched.set(match.patternId, (matched.get(match.patternId) ?? 0) + 1);
    for (const [pattern, count] of matched) this.options.metrics?.matches.inc({ pattern }, count);
    for (const id of matched.keys()) this.matchedIds.add(id);
    this.matchedEvent.trigger();
  }
}
