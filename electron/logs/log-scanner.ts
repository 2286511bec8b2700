import type { Counter } from 'prom-client';
import type { LogMatch, LogPattern, LogPatternState, LogSourceState } from '../../shared/log-patterns.js';
import { repeat, type Clock } from '../core/clock.js';
import { coalesce } from '../core/coalesce.js';
import { CodedError } from '../core/coded-error.js';
import { DefinitionSet } from '../core/definition-set.js';
import type { EventPublisher } from '../core/event-publisher.js';
import type { Logger } from '../core/logger.js';
import type { LogMatchesRepository, NewLogMatch } from '../store/log-matches-repository.js';
import type { LogOffset, LogOffsetsRepository } from '../store/log-offsets-repository.js';
import { compilePattern, type LineMatcher } from './compile-pattern.js';
import { LogTailer } from './log-tailer.js';

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
  /** Bytes read per source per poll. */
  chunkBytes?: number;
  /** Matches kept per pattern (the newest). */
  keepPerPattern?: number;
  metrics?: { matches: Counter<'pattern'> };
  /** Hears `logs.matched` with the ids of the patterns that matched, at most every 500 ms however busy the logs. */
  events: EventPublisher;
}

export const DEFAULT_POLL_MS = 1000;
export const DEFAULT_KEEP_PER_PATTERN = 10_000;
const HOUR_MS = 3_600_000;
const MATCHED_EVENT_INTERVAL_MS = 500;
/** Matching runs at most about this long before letting other work in. */
const MATCH_SLICE_MS = 20;

interface ActivePattern {
  id: string;
  matches: LineMatcher;
  /** Null: every source. */
  sources: ReadonlySet<string> | null;
}

interface Tail {
  source: LogSource;
  tailer: LogTailer;
  /** The position last saved, to write only those that moved. */
  saved: string | null;
}

function activate(pattern: LogPattern): ActivePattern {
  return {
    id: pattern.id,
    matches: compilePattern(pattern),
    sources: pattern.sources.length > 0 ? new Set(pattern.sources) : null,
  };
}

const positionKey = (offset: LogOffset) => JSON.stringify([offset.path, offset.file, offset.offset]);

/**
 * The node's log-pattern engine: tails every log source, matches each new line against every pattern in force, and
 * stores the matches of one poll together with the tailers' new offsets in one transaction, so a restart neither
 * loses nor repeats a line. Patterns come from the node's config file and from the fleet (the config file wins).
 */
export class LogScanner {
  private readonly definitions = new DefinitionSet<LogPattern>('log pattern');
  private readonly active = new Map<string, ActivePattern>();
  private readonly tails = new Map<string, Tail>();
  /** Sources removed while a poll may be reading them: their positions are not saved again. */
  private readonly retired = new WeakSet<Tail>();
  private readonly pollMs: number;
  private readonly keepPerPattern: number;
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
    this.matchedEvent = coalesce(options.clock, MATCHED_EVENT_INTERVAL_MS, () => {
      const patternIds = [...this.matchedIds];
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
      throw new CodedError('invalid_request', `log pattern "${pattern.id}": ${error.message}`, error.issues);
    }
    if (!this.definitions.applyFleet(pattern)) return false;
    this.active.set(pattern.id, compiled);
    return true;
  }

  /** Stops a fleet pattern deleted fleet-wide; its stored matches stay until pruned. */
  withdrawFleet(id: string): boolean {
    if (!this.definitions.withdrawFleet(id)) return false;
    this.active.delete(id);
    this.options.metrics?.matches.remove({ pattern: id });
    return true;
  }

  fleetIds(): string[] {
    return this.definitions.fleetIds();
  }

  /** Every pattern in force, by id, with its matches in the last hour and its latest match time. */
  patterns(): LogPatternState[] {
    const since = this.options.clock.now() - HOUR_MS;
    return this.definitions.list().map(({ value, source }) => ({
      pattern: value,
      source,
      matchesLastHour: this.options.matches.countSince(value.id, since),
      lastMatchAt: this.options.matches.lastMatchAt(value.id),
    }));
  }

  /** Every source scanned, by name, with the reason it cannot be read, if any. */
  sourceStates(): LogSourceState[] {
    return [...this.tails.values()]
      .map(({ source, tailer }) => ({ ...source, problem: tailer.problem }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Stored matches, newest first; `beforeId` pages back. */
  matchList(query: { patternId?: string; beforeId?: number; limit: number }): LogMatch[] {
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
    this.refreshSources();
    this.cancelTimer = repeat(this.options.clock, this.pollMs, () => this.pollFromTimer());
    this.pollFromTimer();
  }

  /** Stops polling and closes every file once the poll under way (if any) has stored its matches. */
  async stop(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
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
    });
  }

  /** Adds the matches of `lines` to `found`, yielding now and then so a big backlog does not hold the event loop. */
  private async match(source: string, lines: readonly string[], found: NewLogMatch[]): Promise<void> {
    const at = this.options.clock.now();
    let sliceStart = performance.now();
    for (let index = 0; index < lines.length; index++) {
      if (index % 256 === 255 && performance.now() - sliceStart > MATCH_SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      const line = lines[index]!;
      // Read the patterns in force on every line: one withdrawn or replaced while yielding stops matching at once.
      for (const pattern of this.active.values()) {
        if (pattern.sources !== null && !pattern.sources.has(source)) continue;
        if (pattern.matches(line)) found.push({ patternId: pattern.id, source, line, at });
      }
    }
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(job).catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'log scan failed');
    });
    this.queue = run;
    return run;
  }

  private async pollOnce(): Promise<void> {
    const tails = [...this.tails.values()];
    const found: NewLogMatch[] = [];
    // One source at a time, its lines matched and dropped before the next is read: one chunk in memory at most.
    for (const tail of tails) {
      const lines = await tail.tailer.read();
      if (lines.length > 0) await this.match(tail.source.name, lines, found);
    }

    // A source removed meanwhile is not saved again: it was forgotten on purpose.
    const moved: Array<{ tail: Tail; offset: LogOffset; key: string }> = [];
    for (const tail of tails) {
      const position = tail.tailer.position();
      if (!position || this.retired.has(tail)) continue;
      const offset = { source: tail.source.name, ...position };
      const key = positionKey(offset);
      if (key !== tail.saved) moved.push({ tail, offset, key });
    }
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
      // Nothing of this poll was saved, offsets included; its lines are dropped (a restart before the next
      // successful poll would read them again).
      this.options.logger.error({ err: error, matches: found.length }, 'could not store log matches');
      return;
    }
    for (const entry of moved) entry.tail.saved = entry.key;
    if (found.length === 0) return;

    const matched = new Map<string, number>();
    for (const match of found) matched.set(match.patternId, (matched.get(match.patternId) ?? 0) + 1);
    for (const [pattern, count] of matched) this.options.metrics?.matches.inc({ pattern }, count);
    for (const id of [...matched.keys()].sort()) this.matchedIds.add(id);
    this.matchedEvent.trigger();
  }
}
