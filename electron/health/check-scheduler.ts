import { ResultStatus, type CheckDefinition, type CheckResult } from '../../shared/services.js';
import type { Clock } from '../core/clock.js';
import { CodedError } from '../core/coded-error.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { fullJitterBackoff } from './backoff.js';
import { checkKey } from './check-state-machine.js';

export interface ScheduledRun {
  serviceId: string;
  check: CheckDefinition;
}

/** What one attempt of a checker found; the scheduler stamps the run's time. */
export interface AttemptOutcome {
  status: ResultStatus;
  output: string;
  latencyMs: number;
}

export interface CheckSchedulerOptions {
  clock: Clock;
  /** Values in [0, 1): spreads first runs and jitters retry backoff. */
  random: () => number;
  logger: Logger;
  /** Runs one attempt (the checker with its timeout); never rejects. */
  runAttempt(run: ScheduledRun): Promise<AttemptOutcome>;
  /** Told the final result of a run (after retries), with the schedule lag (ms between due time and start). */
  onResult(run: ScheduledRun, result: CheckResult, lagMs: number): void;
  /** Attempts in flight at once; default 256. Attempts beyond it wait in FIFO order. */
  maxConcurrent?: number;
}

/** Counters for metrics and the bench. */
export interface CheckSchedulerStats {
  checks: number;
  /** Runs under way (an attempt in flight, waiting for a slot, or backing off before a retry). */
  running: number;
  /** Attempts waiting for a concurrency slot. */
  queued: number;
  /** Due runs not started because the previous run of the same check was still going. */
  skippedSlots: number;
}

export const DEFAULT_MAX_CONCURRENT = 256;
/**
 * `runAttempt` is trusted to honour the check's timeout; one that has not settled this long after it is
 * abandoned as `unknown`, so a checker bug cannot hold a concurrency slot (and the check) forever.
 */
export const ATTEMPT_GRACE_MS = 2_000;
/** CheckResult.output's limit. */
const MAX_OUTPUT = 4096;

interface Entry {
  readonly serviceId: string;
  readonly name: string;
  check: CheckDefinition;
  fingerprint: string;
  /** Next due time (TTL checks: the report deadline); meaningful only while in the heap. */
  dueAt: number;
  /** Tie-break for equal due times, so the heap order is deterministic (FIFO). */
  seq: number;
  /** Position in the heap, -1 when not scheduled. */
  heapIndex: number;
  inFlight: Promise<CheckResult | null> | null;
  /** Wakes a run that is backing off before a retry (on remove and stop). */
  wake: (() => void) | null;
  removed: boolean;
  /** TTL checks: the last pushed result and when it arrived. */
  lastReport: CheckResult | null;
}

/**
 * Runs many checks on their intervals with one timer: a min-heap of due times, re-armed to the earliest.
 *
 * - First runs are spread uniformly at random within each check's interval (no thundering herd on start).
 * - The next due time is the previous due time plus the interval (no drift from run time or timer lateness);
 *   slots already in the past are skipped rather than run in a burst.
 * - A check never runs concurrently with itself: a slot that comes due while its previous run (with retries)
 *   is still going is skipped.
 * - A run is one attempt plus up to `retries` more after non-passing attempts, separated by full-jitter
 *   backoff; the last attempt's result is the run's result. Backoff waits do not hold a concurrency slot.
 * - TTL checks are not run: `report()` pushes their results, and a deadline in the same heap delivers a
 *   critical result when no report arrived within `ttlMs` (once per period of silence).
 */
export class CheckScheduler {
  private readonly services = new Map<string, Map<string, Entry>>();
  private readonly heap = new DueHeap();
  private readonly inFlight = new Set<Promise<CheckResult | null>>();
  private readonly waiters: Array<(granted: boolean) => void> = [];
  private readonly maxConcurrent: number;
  private state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  private cancelTimer: (() => void) | null = null;
  private armedAt = Infinity;
  private active = 0;
  private seq = 0;
  private skippedSlots = 0;

  constructor(private readonly options: CheckSchedulerOptions) {
    const max = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    if (!Number.isInteger(max) || max < 1) throw new RangeError('maxConcurrent must be a positive integer');
    this.maxConcurrent = max;
  }

  /** Adds or replaces a service's checks. Unchanged checks keep their schedule; changed and new ones are re-spread. */
  set(serviceId: string, checks: readonly CheckDefinition[]): void {
    const names = new Set<string>();
    for (const check of checks) {
      if (names.has(check.name)) {
        throw new CodedError('invalid_request', `service ${serviceId} has two checks named ${check.name}`);
      }
      names.add(check.name);
    }
    const previous = this.services.get(serviceId) ?? new Map<string, Entry>();
    for (const [name, entry] of previous) if (!names.has(name)) this.retire(entry);

    const next = new Map<string, Entry>();
    for (const check of checks) {
      const fingerprint = stableJson(check);
      let entry = previous.get(check.name);
      if (entry && entry.fingerprint === fingerprint) {
        next.set(check.name, entry);
        continue;
      }
      if (entry) {
        this.heap.remove(entry);
        if (entry.check.type !== check.type) entry.lastReport = null;
        entry.check = check;
        entry.fingerprint = fingerprint;
      } else {
        entry = {
          serviceId,
          name: check.name,
          check,
          fingerprint,
          dueAt: 0,
          seq: 0,
          heapIndex: -1,
          inFlight: null,
          wake: null,
          removed: false,
          lastReport: null,
        };
      }
      next.set(check.name, entry);
      if (this.state === 'running') this.schedule(entry, this.options.clock.now());
    }
    if (next.size > 0) this.services.set(serviceId, next);
    else this.services.delete(serviceId);
    this.arm();
  }

  /** Forgets a service's checks. Runs under way finish (stop waits for them) but their results are dropped. */
  remove(serviceId: string): void {
    const entries = this.services.get(serviceId);
    if (!entries) return;
    this.services.delete(serviceId);
    for (const entry of entries.values()) this.retire(entry);
    this.arm();
  }

  /**
   * Runs a check now, out of schedule (its schedule is unchanged), and returns the result, also delivered to
   * onResult. If the check is already running, that run's result is returned (no second concurrent run).
   * TTL checks are evaluated instead: the last report while it is fresh (not delivered again), else a
   * critical result (delivered, and the next deadline moves a full period on).
   */
  runNow(serviceId: string, checkName: string): Promise<CheckResult> {
    let entry: Entry;
    try {
      entry = this.entry(serviceId, checkName);
      if (this.state === 'stopping' || this.state === 'stopped') {
        throw new CodedError('conflict', 'the check scheduler is stopped');
      }
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (entry.check.type === 'ttl') return Promise.resolve(this.evaluateTtl(entry, entry.check.ttlMs));
    const pending = entry.inFlight ?? this.launch(entry, null);
    return pending.then((result) => {
      if (result === null) throw new CodedError('conflict', `${checkKey(serviceId, checkName)} did not run`);
      return result;
    });
  }

  /** Records a result pushed for a TTL check (delivered to onResult) and restarts its deadline. */
  report(serviceId: string, checkName: string, status: ResultStatus, output: string): CheckResult {
    const entry = this.entry(serviceId, checkName);
    if (entry.check.type !== 'ttl') {
      throw new CodedError(
        'invalid_request',
        `${checkKey(serviceId, checkName)} is a ${entry.check.type} check; only ttl checks take reports`,
      );
    }
    const now = this.options.clock.now();
    const result: CheckResult = { status, output: clip(output), latencyMs: 0, at: now };
    entry.lastReport = result;
    if (entry.heapIndex >= 0) {
      entry.dueAt = now + entry.check.ttlMs;
      this.heap.update(entry);
      this.arm();
    }
    this.deliver(entry, { serviceId, check: entry.check }, result, 0);
    return result;
  }

  start(): void {
    if (this.state === 'running') return;
    if (this.state === 'stopping') throw new CodedError('conflict', 'the check scheduler is still stopping');
    this.state = 'running';
    const now = this.options.clock.now();
    for (const entries of this.services.values()) for (const entry of entries.values()) this.schedule(entry, now);
    this.arm();
  }

  /** Stops scheduling, cuts retry backoff short, drops attempts still waiting for a slot, and waits for the rest. */
  async stop(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') {
      await Promise.all(this.inFlight);
      return;
    }
    this.state = 'stopping';
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.armedAt = Infinity;
    this.heap.clear();
    for (const entries of this.services.values()) for (const entry of entries.values()) entry.wake?.();
    for (const grant of this.waiters.splice(0)) grant(false);
    await Promise.all(this.inFlight);
    this.state = 'stopped';
  }

  stats(): CheckSchedulerStats {
    let checks = 0;
    for (const entries of this.services.values()) checks += entries.size;
    return { checks, running: this.inFlight.size, queued: this.waiters.length, skippedSlots: this.skippedSlots };
  }

  private entry(serviceId: string, checkName: string): Entry {
    const entry = this.services.get(serviceId)?.get(checkName);
    if (!entry) throw new CodedError('not_found', `no check ${checkKey(serviceId, checkName)}`);
    return entry;
  }

  private retire(entry: Entry): void {
    entry.removed = true;
    this.heap.remove(entry);
    entry.wake?.();
  }

  /** Puts an entry in the heap: a random first slot within its interval, or its TTL deadline. */
  private schedule(entry: Entry, now: number): void {
    if (entry.check.type === 'ttl') {
      entry.dueAt = (entry.lastReport?.at ?? now) + entry.check.ttlMs;
    } else {
      entry.dueAt = now + Math.floor(unit(this.options.random()) * entry.check.intervalMs);
    }
    entry.seq = ++this.seq;
    this.heap.push(entry);
  }

  /** Keeps one timer armed for the earliest due time. An early timer is left alone: it finds nothing and re-arms. */
  private arm(): void {
    if (this.state !== 'running') return;
    const first = this.heap.peek();
    if (!first) return;
    if (this.cancelTimer && this.armedAt <= first.dueAt) return;
    this.cancelTimer?.();
    this.armedAt = first.dueAt;
    this.cancelTimer = this.options.clock.setTimer(
      () => this.onTimer(),
      Math.max(0, first.dueAt - this.options.clock.now()),
    );
  }

  private onTimer(): void {
    this.cancelTimer = null;
    this.armedAt = Infinity;
    if (this.state !== 'running') return;
    const now = this.options.clock.now();
    try {
      for (let first = this.heap.peek(); first && first.dueAt <= now; first = this.heap.peek()) {
        const entry = this.heap.pop()!;
        const due = entry.dueAt;
        const period = entry.check.type === 'ttl' ? entry.check.ttlMs : entry.check.intervalMs;
        entry.dueAt = nextSlot(due, period, now);
        entry.seq = ++this.seq;
        this.heap.push(entry);
        try {
          this.dispatch(entry, due, now);
        } catch (error) {
          this.options.logger.error({ err: error, check: checkKey(entry.serviceId, entry.name) }, 'dispatch failed');
        }
      }
    } finally {
      this.arm();
    }
  }

  private dispatch(entry: Entry, due: number, now: number): void {
    const run: ScheduledRun = { serviceId: entry.serviceId, check: entry.check };
    if (run.check.type === 'ttl') {
      this.deliver(entry, run, ttlExpired(run.check.ttlMs, now), now - due);
      return;
    }
    if (entry.inFlight) {
      this.skippedSlots++;
      this.options.logger.debug(
        { check: checkKey(entry.serviceId, entry.name), due },
        'skipped a slot: the previous run is still going',
      );
      return;
    }
    this.launch(entry, due);
  }

  private evaluateTtl(entry: Entry, ttlMs: number): CheckResult {
    const now = this.options.clock.now();
    if (entry.lastReport && now - entry.lastReport.at < ttlMs) return entry.lastReport;
    const result = ttlExpired(ttlMs, now);
    if (entry.heapIndex >= 0) {
      entry.dueAt = now + ttlMs;
      this.heap.update(entry);
      this.arm();
    }
    this.deliver(entry, { serviceId: entry.serviceId, check: entry.check }, result, 0);
    return result;
  }

  /** Starts a run and tracks it; `due` null for runNow (lag 0). */
  private launch(entry: Entry, due: number | null): Promise<CheckResult | null> {
    const run: ScheduledRun = { serviceId: entry.serviceId, check: entry.check };
    const pending = this.execute(entry, run, due);
    entry.inFlight = pending;
    this.inFlight.add(pending);
    void pending.then(() => {
      if (entry.inFlight === pending) entry.inFlight = null;
      this.inFlight.delete(pending);
    });
    return pending;
  }

  /** One run: an attempt, then retries with backoff while it does not pass. Never rejects. */
  private async execute(entry: Entry, run: ScheduledRun, due: number | null): Promise<CheckResult | null> {
    try {
      // A free slot is taken synchronously, so the first attempt starts in the same tick as the timer or runNow.
      if (!this.tryAcquire() && !(await this.waitForSlot())) return null;
      if (entry.removed) {
        this.release();
        return null;
      }
      const startedAt = this.options.clock.now();
      const lagMs = due === null ? 0 : Math.max(0, startedAt - due);
      let outcome = await this.attemptWithSlot(run);
      const { retries, retryBaseMs, retryMaxMs } = run.check;
      for (let retry = 0; retry < retries && outcome.status !== 'passing'; retry++) {
        if (!this.mayContinue(entry)) break;
        const delay = fullJitterBackoff(retry, retryBaseMs, retryMaxMs, this.options.random);
        if (!(await this.sleep(entry, delay)) || !this.mayContinue(entry)) break;
        if (!this.tryAcquire() && !(await this.waitForSlot())) break;
        outcome = await this.attemptWithSlot(run);
      }
      const result: CheckResult = { ...outcome, at: this.options.clock.now() };
      if (!entry.removed) this.deliver(entry, run, result, lagMs);
      return result;
    } catch (error) {
      this.options.logger.error({ err: error, check: checkKey(run.serviceId, run.check.name) }, 'check run failed');
      return null;
    }
  }

  private mayContinue(entry: Entry): boolean {
    return !entry.removed && this.state !== 'stopping' && this.state !== 'stopped';
  }

  /** Runs one attempt in an already acquired slot and releases it. */
  private async attemptWithSlot(run: ScheduledRun): Promise<AttemptOutcome> {
    try {
      return await this.attempt(run);
    } finally {
      this.release();
    }
  }

  private async attempt(run: ScheduledRun): Promise<AttemptOutcome> {
    const limitMs = run.check.timeoutMs + ATTEMPT_GRACE_MS;
    let cancelGuard = () => {};
    const guard = new Promise<AttemptOutcome>((resolve) => {
      cancelGuard = this.options.clock.setTimer(
        () => resolve({ status: 'unknown', output: `checker did not return within ${limitMs} ms`, latencyMs: limitMs }),
        limitMs,
      );
    });
    try {
      return normalise(await Promise.race([this.options.runAttempt(run), guard]));
    } catch (error) {
      this.options.logger.warn({ err: error, check: checkKey(run.serviceId, run.check.name) }, 'checker threw');
      return { status: 'unknown', output: clip(`checker failed: ${errorMessage(error)}`), latencyMs: 0 };
    } finally {
      cancelGuard();
    }
  }

  /** Waits `ms` on the clock; resolves false when woken early (remove, stop). */
  private sleep(entry: Entry, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = this.options.clock.setTimer(() => {
        entry.wake = null;
        resolve(true);
      }, ms);
      entry.wake = () => {
        cancel();
        entry.wake = null;
        resolve(false);
      };
    });
  }

  /** Takes a free concurrency slot if there is one (and the scheduler is not stopping). */
  private tryAcquire(): boolean {
    if (this.state === 'stopping' || this.state === 'stopped' || this.active >= this.maxConcurrent) return false;
    this.active++;
    return true;
  }

  /** Waits in FIFO order for a slot; false when the scheduler stopped before one was free. */
  private waitForSlot(): Promise<boolean> {
    if (this.state === 'stopping' || this.state === 'stopped') return Promise.resolve(false);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Hands the slot to the longest waiter, or frees it. */
  private release(): void {
    const next = this.waiters.shift();
    if (next) next(true);
    else this.active--;
  }

  private deliver(entry: Entry, run: ScheduledRun, result: CheckResult, lagMs: number): void {
    try {
      this.options.onResult(run, result, lagMs);
    } catch (error) {
      this.options.logger.error({ err: error, check: checkKey(entry.serviceId, entry.name) }, 'onResult failed');
    }
  }
}

/** The first slot on the grid `due + k × period` (k ≥ 1) that is after `now`: missed slots are skipped. */
export function nextSlot(due: number, period: number, now: number): number {
  const next = due + period;
  if (next > now) return next;
  return due + (Math.floor((now - due) / period) + 1) * period;
}

const ttlExpired = (ttlMs: number, now: number): CheckResult => ({
  status: 'critical',
  output: `no report within ${ttlMs / 1000} s`,
  latencyMs: 0,
  at: now,
});

const clip = (text: string): string => (text.length > MAX_OUTPUT ? `${text.slice(0, MAX_OUTPUT - 1)}…` : text);

const unit = (value: number): number => (Number.isFinite(value) ? Math.min(Math.max(value, 0), 0.999_999_999) : 0);

/** Whatever a checker returned, as a valid outcome: an unexpected shape is `unknown`, never a crash. */
function normalise(value: AttemptOutcome): AttemptOutcome {
  const status = ResultStatus.safeParse(value?.status);
  if (!status.success) {
    return { status: 'unknown', output: `checker returned an invalid status: ${String(value?.status)}`, latencyMs: 0 };
  }
  const latency = Number(value.latencyMs);
  return {
    status: status.data,
    output: clip(typeof value.output === 'string' ? value.output : String(value.output)),
    latencyMs: Number.isFinite(latency) && latency > 0 ? latency : 0,
  };
}

/** JSON with object keys sorted, so two equal definitions compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** A binary min-heap of entries by (dueAt, seq) that knows each entry's position, for O(log n) update and remove. */
class DueHeap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  push(entry: Entry): void {
    entry.heapIndex = this.items.length;
    this.items.push(entry);
    this.up(entry.heapIndex);
  }

  pop(): Entry | undefined {
    const first = this.items[0];
    if (first) this.removeAt(0);
    return first;
  }

  remove(entry: Entry): void {
    if (entry.heapIndex >= 0 && this.items[entry.heapIndex] === entry) this.removeAt(entry.heapIndex);
    entry.heapIndex = -1;
  }

  /** Restores order after the entry's dueAt changed. */
  update(entry: Entry): void {
    if (entry.heapIndex < 0) return;
    this.up(entry.heapIndex);
    this.down(entry.heapIndex);
  }

  clear(): void {
    for (const entry of this.items) entry.heapIndex = -1;
    this.items.length = 0;
  }

  private removeAt(index: number): void {
    const removed = this.items[index]!;
    const last = this.items.pop()!;
    removed.heapIndex = -1;
    if (index < this.items.length) {
      this.items[index] = last;
      last.heapIndex = index;
      this.up(index);
      this.down(last.heapIndex);
    }
  }

  private less(a: Entry, b: Entry): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
  }

  private up(index: number): void {
    const item = this.items[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.items[parentIndex]!;
      if (!this.less(item, parent)) break;
      this.items[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    this.items[index] = item;
    item.heapIndex = index;
  }

  private down(index: number): void {
    const item = this.items[index]!;
    const length = this.items.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this.less(this.items[right]!, this.items[left]!) ? right : left;
      const childItem = this.items[child]!;
      if (!this.less(childItem, item)) break;
      this.items[index] = childItem;
      childItem.heapIndex = index;
      index = child;
    }
    this.items[index] = item;
    item.heapIndex = index;
  }
}
