import { randomFillSync, randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import type { Labels } from '../../shared/ids.js';
import { issuesFromZod } from '../../shared/rpc.js';
import {
  parseTaskTarget,
  TaskListQuery,
  TaskSubmit,
  TaskSubmitBatch,
  type JsonValue,
  type Task,
  type TaskChanged,
  type TaskLogLine,
  type TasksConfig,
  type TaskStats,
  type TaskSummary,
} from '../../shared/tasks.js';
import { repeat, type Clock } from '../core/clock.js';
import { CodedError } from '../core/coded-error.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { matchesTarget } from './placement.js';
import { TaskRepository, type AttemptOutcome, type ClaimedTask } from './task-repository.js';
import type { TaskContext, TaskTypeRegistry } from './task-types.js';

export interface TaskChangedEvent {
  type: 'task.changed';
  data: TaskChanged;
}

export interface TaskQueueDeps {
  db: Database;
  clock: Clock;
  /** In [0, 1): backoff jitter. */
  random: () => number;
  logger: Logger;
  publish: (event: TaskChangedEvent) => void;
  nodeId: string;
  labels: Labels;
  config: TasksConfig;
  types: TaskTypeRegistry;
  /** Monotonic milliseconds for attempt durations; `performance.now` unless a test injects one. */
  monotonic?: () => number;
  /** Ids of submitted tasks; `timeOrderedId` by default. */
  newId?: () => string;
}

/** Why a running attempt was aborted. */
type StopReason = 'timeout' | 'cancel' | 'stop' | 'lost';

interface RunningTask {
  controller: AbortController;
  reason?: StopReason;
  /** Settles once the attempt's outcome is recorded (or dropped). */
  done: Promise<void>;
  lines: TaskLogLine[];
  progress?: number;
  cancelFlush?: () => void;
}

type Outcome = { ok: true; result: JsonValue } | { ok: false; error: string };

interface EndedAttempt {
  id: string;
  task: RunningTask;
  outcome: Outcome;
  durationMs: number;
  finished: () => void;
}

/** Progress and log lines are written at most this often per task: a chatty command is not a write per line. */
const FLUSH_MS = 200;
const STATS_WINDOW_MS = 60 * 60_000;

/**
 * A task id that sorts by submission time (ms in base 36, then 64 random bits): new ids land at the end of the id
 * index instead of on a random page of it.
 */
export function timeOrderedId(now: number): string {
  if (entropyOffset + 8 > entropy.length) {
    randomFillSync(entropy);
    entropyOffset = 0;
  }
  const random = entropy.toString('hex', entropyOffset, (entropyOffset += 8));
  return `${Math.max(0, now).toString(36).padStart(9, '0')}-${random}`;
}
// Random bytes drawn 4 KiB at a time: one call per id would cost more than the insert.
const entropy = Buffer.alloc(4096);
let entropyOffset = entropy.length;

/** A promise that rejects with the signal's reason once it aborts, and a way to stop listening. */
function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** A refusal naming each field, from a zod error. */
export const invalid = (error: z.ZodError, prefix: Array<string | number> = []) => {
  const issues = issuesFromZod(error, prefix);
  return new CodedError('invalid_request', `invalid task: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
};

/**
 * The node's task worker and the queue's front door: validates and stores submits, claims due tasks up to
 * `concurrency` in batches, runs each with an AbortSignal that fires on its timeout or cancel, renews their leases
 * while they run, and records attempts, results, progress and logs. Tasks left running by a crashed worker are run
 * again once their lease expires; a clean stop hands running tasks back at once.
 */
export class TaskQueue {
  readonly repository: TaskRepository;
  /** This worker's lease owner id: unique per run, so a restarted node never mistakes old leases for its own. */
  readonly workerId: string;
  private readonly running = new Map<string, RunningTask>();
  /** Attempts that ended and wait to be recorded together. */
  private readonly ended: EndedAttempt[] = [];
  private readonly monotonic: () => number;
  private readonly newId: () => string;
  private stopped = true;
  private cancelTick = () => {};
  private cancelHeartbeat = () => {};

  constructor(private readonly deps: TaskQueueDeps) {
    this.repository = new TaskRepository(deps.db, { random: deps.random, maxLogLines: deps.config.maxLogLines });
    this.workerId = `${deps.nodeId}/${randomUUID()}`;
    this.monotonic = deps.monotonic ?? (() => performance.now());
    this.newId = deps.newId ?? (() => timeOrderedId(deps.clock.now()));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.cancelHeartbeat = repeat(this.deps.clock, this.deps.config.heartbeatMs, () => this.heartbeat());
    this.heartbeat();
    this.wake();
  }

  /** Stops claiming, aborts running attempts and hands their tasks back to the queue (not counted as attempts). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTick();
    this.cancelHeartbeat();
    const running = [...this.running.entries()];
    for (const [, task] of running) this.abort(task, 'stop', new Error('the worker is stopping'));
    await Promise.all(running.map(([, task]) => task.done));
    const released = this.repository.release(
      this.workerId,
      running.map(([id]) => id),
      this.deps.clock.now(),
    );
    for (const id of released) this.changed(id);
  }

  /** Validates and stores one task (durable on return); a repeated idempotency key returns the existing task. */
  submit(input: unknown): { id: string; deduplicated: boolean } {
    const task = this.validate(input);
    const now = this.deps.clock.now();
    const stored = this.repository.enqueue(task, this.newId(), now);
    if (!stored.deduplicated) this.submitted(stored.id, task, now);
    this.wake();
    return stored;
  }

  /** All or nothing: one invalid task refuses the batch (naming `tasks.<i>.<field>`) and nothing is written. */
  submitBatch(input: unknown): { ids: string[] } {
    const batch = TaskSubmitBatch.safeParse(input);
    if (!batch.success) throw invalid(batch.error);
    const tasks = batch.data.tasks.map((task, index) => ({
      task: this.checkAgainstNode(task, ['tasks', index]),
      id: this.newId(),
    }));
    const now = this.deps.clock.now();
    const stored = this.repository.enqueueBatch(tasks, now);
    stored.forEach(({ id, deduplicated }, index) => {
      if (!deduplicated) this.submitted(id, tasks[index]!.task, now);
    });
    this.wake();
    return { ids: stored.map(({ id }) => id) };
  }

  private validate(input: unknown): TaskSubmit {
    const parsed = TaskSubmit.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error);
    return this.checkAgainstNode(parsed.data);
  }

  /** What only this node can tell: whether the target names it, and the payload by its type's schema. */
  private checkAgainstNode(task: TaskSubmit, path: Array<string | number> = []): TaskSubmit {
    const target = parseTaskTarget(task.target);
    const self = { id: this.deps.nodeId, labels: this.deps.labels };
    if (target.ok && !matchesTarget(self, target.target, self.id)) {
      const message =
        target.target.kind === 'node'
          ? `unknown target node "${target.target.nodeId}"`
          : `this node does not have label ${task.target.slice('label:'.length)}`;
      throw new CodedError('invalid_request', message, [{ path: [...path, 'target'].join('.'), message }]);
    }
    return { ...task, payload: this.deps.types.parsePayload(task.type, task.payload, path) };
  }

  get(id: string): Task {
    const task = this.repository.get(id, this.deps.clock.now());
    if (!task) throw new CodedError('not_found', `no task ${id}`);
    return task;
  }

  list(query: unknown): TaskSummary[] {
    const parsed = TaskListQuery.safeParse(query);
    if (!parsed.success) throw invalid(parsed.error);
    return this.repository.list(parsed.data, this.deps.clock.now());
  }

  /**
   * Cancels a waiting task at once; a running one is aborted (here, or by its worker at its next heartbeat).
   * `reason` becomes the task's error.
   */
  cancel(id: string, reason = 'cancelled'): void {
    const state = this.repository.cancel(id, this.deps.clock.now(), reason);
    const running = this.running.get(id);
    if (state === 'running' && running) this.abort(running, 'cancel', new Error(reason));
    this.changed(id);
  }

  /** Takes a fleet task the leader placed here into this queue, under its record's id (see `TaskRepository.adopt`). */
  adopt(id: string, task: TaskSubmit): void {
    if (this.repository.adopt(task, id, this.deps.clock.now()) === 'kept') return;
    this.changed(id);
    this.wake();
  }

  /** Runs a dead or cancelled task again with a fresh attempt budget, or a retrying one now. */
  retry(id: string): void {
    this.repository.retry(id, this.deps.clock.now());
    this.changed(id);
    this.wake();
  }

  /** Replays the given dead tasks, or all of them; returns the ids replayed. */
  replayDead(ids?: readonly string[]): string[] {
    const replayed = this.repository.replayDead(ids, this.deps.clock.now());
    for (const id of replayed) this.changed(id);
    this.wake();
    return replayed;
  }

  stats(windowMs = STATS_WINDOW_MS): TaskStats {
    return this.repository.stats(this.deps.clock.now(), windowMs);
  }

  /** Waiting and running: what the node's summary publishes. */
  queueLength(): { waiting: number; running: number } {
    return this.repository.queueLength();
  }

  /** Dead tasks kept here, for the node summary. */
  deadCount(): number {
    return this.repository.deadCount();
  }

  /** Claims at once instead of at the next poll. */
  wake(): void {
    if (this.stopped) return;
    this.cancelTick();
    this.cancelTick = this.deps.clock.setTimer(() => this.tick(), 0);
  }

  private tick(): void {
    if (this.stopped) return;
    const { clock, config } = this.deps;
    let nextIn = config.pollMs;
    try {
      const now = clock.now();
      const free = config.concurrency - this.running.size;
      const claimed = this.repository.claim({
        owner: this.workerId,
        node: this.deps.nodeId,
        now,
        leaseMs: config.leaseMs,
        limit: free,
        perType: config.perType,
      });
      for (const task of claimed) this.execute(task);
      // All slots filled: a finishing task wakes the worker. Otherwise sleep until the next task is due.
      const nextRunAt = this.repository.nextRunAt();
      if (claimed.length < free && nextRunAt !== null && nextRunAt > now) {
        nextIn = Math.min(nextRunAt - now, config.pollMs);
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, 'task queue poll failed');
    }
    this.cancelTick = clock.setTimer(() => this.tick(), nextIn);
  }

  /** Renews this worker's leases and takes back tasks whose worker died (their lease expired). */
  private heartbeat(): void {
    const { clock, config } = this.deps;
    try {
      const recovered = this.repository.recoverExpired(clock.now());
      for (const id of recovered) {
        this.deps.logger.warn({ taskId: id }, 'task lease expired: running it again');
        this.changed(id);
      }
      if (recovered.length > 0) this.wake();
      if (this.running.size === 0) return;
      const ids = [...this.running.keys()];
      const { lost, cancelRequested } = this.repository.heartbeat(this.workerId, ids, clock.now(), config.leaseMs);
      for (const id of lost) {
        const task = this.running.get(id);
        if (task) this.abort(task, 'lost', new Error('lease lost: the task was taken back from this worker'));
      }
      for (const id of cancelRequested) {
        const task = this.running.get(id);
        if (task) this.abort(task, 'cancel', new Error('cancelled'));
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, 'task lease renewal failed');
    }
  }

  private abort(task: RunningTask, reason: StopReason, error: Error): void {
    if (task.controller.signal.aborted) return;
    task.reason = reason;
    task.controller.abort(error);
  }

  private execute(claimed: ClaimedTask): void {
    const { clock } = this.deps;
    const controller = new AbortController();
    let finished = () => {};
    const task: RunningTask = {
      controller,
      lines: [],
      done: new Promise((resolve) => (finished = resolve)),
    };
    this.running.set(claimed.id, task);
    this.changed(claimed.id);
    const cancelTimeout = clock.setTimer(
      () => this.abort(task, 'timeout', new DOMException(`timed out after ${claimed.timeoutMs} ms`, 'TimeoutError')),
      claimed.timeoutMs,
    );
    const scheduleFlush = () => {
      task.cancelFlush ??= clock.setTimer(() => this.flush(claimed.id, task), FLUSH_MS);
    };
    const ctx: TaskContext = {
      signal: controller.signal,
      progress: (percent) => {
        task.progress = Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
        scheduleFlush();
      },
      log: (line) => {
        task.lines.push({ at: clock.now(), line });
        // Only the newest lines are kept anyway: a flood between two flushes must not pile up in memory.
        const keep = this.deps.config.maxLogLines;
        if (task.lines.length > 2 * keep + 100) task.lines.splice(0, task.lines.length - keep);
        scheduleFlush();
      },
    };
    const startedAt = this.monotonic();
    void this.attempt(claimed, ctx).then((outcome) => {
      cancelTimeout();
      this.flush(claimed.id, task);
      this.ended.push({ id: claimed.id, task, outcome, durationMs: this.monotonic() - startedAt, finished });
      // Attempts that end in the same turn (a batch of quick tasks) are recorded in one transaction.
      if (this.ended.length === 1) queueMicrotask(() => this.recordEnded());
    });
  }

  /** Runs the executor; never rejects. An executor that ignores its signal still cannot outlive its abort. */
  private async attempt(claimed: ClaimedTask, ctx: TaskContext): Promise<Outcome> {
    const aborted = whenAborted(ctx.signal);
    try {
      const type = this.deps.types.get(claimed.type);
      if (!type) throw new Error(`this node has no task type "${claimed.type}"`);
      const payload = type.payload.safeParse(claimed.payload);
      if (!payload.success) {
        const issue = issuesFromZod(payload.error, ['payload'])[0];
        throw new Error(`invalid payload: ${issue?.path}: ${issue?.message}`);
      }
      const result = await Promise.race([type.run(payload.data, ctx), aborted.promise]);
      return { ok: true, result: result ?? null };
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    } finally {
      aborted.dispose();
    }
  }

  private recordEnded(): void {
    const ended = this.ended.splice(0);
    const outcomes: AttemptOutcome[] = [];
    for (const { id, task, outcome, durationMs } of ended) {
      // A lost lease belongs to another worker now; a stopping worker hands back what did not finish, all at once.
      if (task.reason === 'lost' || (task.reason === 'stop' && !outcome.ok)) continue;
      outcomes.push(
        outcome.ok
          ? { id, durationMs, ok: true, result: outcome.result }
          : { id, durationMs, ok: false, error: outcome.error, cancelled: task.reason === 'cancel' },
      );
    }
    try {
      this.repository.recordOutcomes(this.workerId, this.deps.clock.now(), outcomes);
    } catch (error) {
      this.deps.logger.error({ err: error, taskIds: outcomes.map((o) => o.id) }, 'recording task outcomes failed');
    }
    for (const { id, finished } of ended) {
      this.running.delete(id);
      this.changed(id);
      finished();
    }
    this.wake();
  }

  private flush(id: string, task: RunningTask): void {
    task.cancelFlush?.();
    task.cancelFlush = undefined;
    const { progress, lines } = task;
    if (progress === undefined && lines.length === 0) return;
    task.progress = undefined;
    task.lines = [];
    try {
      this.repository.report(id, this.workerId, { progress, lines }, this.deps.clock.now());
      if (progress !== undefined) this.changed(id);
    } catch (error) {
      this.deps.logger.error({ err: error, taskId: id }, 'recording task progress failed');
    }
  }

  /** The event of a new task, without reading back what was just written. */
  private submitted(id: string, task: TaskSubmit, now: number): void {
    const state = task.notBefore !== undefined && task.notBefore > now ? 'scheduled' : 'queued';
    this.deps.publish({ type: 'task.changed', data: { id, type: task.type, state, progress: 0, node: null } });
  }

  private changed(id: string): void {
    const data = this.repository.changed(id, this.deps.clock.now());
    if (data) this.deps.publish({ type: 'task.changed', data });
  }
}
