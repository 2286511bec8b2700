import type { Database, Statement } from 'better-sqlite3';
import {
  TaskState,
  type JsonValue,
  type Task,
  type TaskAttempt,
  type TaskChanged,
  type TaskListQuery,
  type TaskLogLine,
  type TaskStats,
  type TaskSubmit,
  type TaskSummary,
} from '../../shared/tasks.js';
import { CodedError } from '../core/coded-error.js';
import { fullJitterBackoff } from '../health/backoff.js';

interface TaskRow {
  seq: number;
  id: string;
  type: string;
  payload: string;
  priority: number;
  max_attempts: number;
  timeout_ms: number;
  backoff_base_ms: number;
  backoff_cap_ms: number;
  not_before: number | null;
  idempotency_key: string | null;
  grp: string;
  target: string;
  fleet: 0 | 1;
  state: Exclude<TaskState, 'scheduled'>;
  run_at: number;
  attempt_count: number;
  lease_owner: string | null;
  lease_until: number | null;
  cancel_requested: number;
  node: string | null;
  progress: number;
  result: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

interface AttemptRow {
  number: number;
  node: string;
  started_at: number;
  ended_at: number | null;
  error: string | null;
}

/** How a fleet task ended on this node: what its record in the coordination backend is told. */
export interface FleetOutcome {
  state: TaskState;
  node: string | null;
  finishedAt: number;
  durationMs: number | null;
}

/** A task handed to a worker by `claim`: what its executor needs. */
export interface ClaimedTask {
  id: string;
  type: string;
  payload: JsonValue;
  timeoutMs: number;
  attempt: number;
}

export interface ClaimOptions {
  /** The claiming worker; only it may renew, complete or fail the task while its lease holds. */
  owner: string;
  node: string;
  now: number;
  leaseMs: number;
  limit: number;
  /** At most this many running at once per type. */
  perType?: Readonly<Record<string, number>>;
}

type InsertParams = [
  id: string,
  type: string,
  payload: string,
  priority: number,
  maxAttempts: number,
  timeoutMs: number,
  baseMs: number,
  capMs: number,
  notBefore: number | null,
  idempotencyKey: string | null,
  group: string,
  target: string,
  now: number,
  notBefore: number | null,
  createdAt: number,
  updatedAt: number,
];

interface Candidate {
  seq: number;
  type: string;
  priority: number;
}

/** A fairness group's due tasks, best first, while claiming. */
interface Head {
  group: string;
  candidates: Candidate[];
}

/** How one attempt ended; `durationMs` is measured with a monotonic clock by the worker. */
export type AttemptOutcome =
  | { id: string; durationMs: number; ok: true; result: JsonValue }
  | { id: string; durationMs: number; ok: false; error: string; cancelled?: boolean };

/** Who ends an attempt, and when. */
export interface AttemptEnd {
  owner: string;
  now: number;
  durationMs: number;
}

export interface TaskRepositoryOptions {
  /** In [0, 1): the backoff's jitter. */
  random: () => number;
  maxLogLines: number;
}

const MAX_LOG_LINE_CHARS = 2000;
const LOG_TAIL = 100;
const MINUTE = 60_000;
/** A day of minutes: a longer window is counted in coarser buckets. */
const MAX_THROUGHPUT_BUCKETS = 1440;
const WAITING = `state IN ('queued', 'retrying')`;
const STOPPED = `state IN ('dead', 'cancelled')`;

/** `queued` with its not-before ahead reads as `scheduled`. */
const visibleState = (row: TaskRow, now: number): TaskState =>
  row.state === 'queued' && row.run_at > now ? 'scheduled' : row.state;

const parseJson = (text: string | null): JsonValue | null => (text === null ? null : (JSON.parse(text) as JsonValue));

function toSummary(row: TaskRow, now: number): TaskSummary {
  return {
    id: row.id,
    type: row.type,
    payload: parseJson(row.payload) ?? null,
    priority: row.priority,
    maxAttempts: row.max_attempts,
    timeoutMs: row.timeout_ms,
    backoff: { baseMs: row.backoff_base_ms, capMs: row.backoff_cap_ms },
    notBefore: row.not_before,
    idempotencyKey: row.idempotency_key,
    group: row.grp,
    target: row.target,
    state: visibleState(row, now),
    attemptCount: row.attempt_count,
    runAt: row.run_at,
    result: parseJson(row.result),
    error: row.error,
    progress: row.progress,
    node: row.node,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

const notFound = (id: string) => new CodedError('not_found', `no task ${id}`);

/** LIKE with the user's text taken literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The node's durable task queue in SQLite. Every method is one transaction; writes are committed before they
 * return. Claiming is `BEGIN IMMEDIATE`, so several workers (processes) on one file never claim the same task.
 */
export class TaskRepository {
  private readonly insertStmt;
  private readonly insertKeyedStmt;
  private readonly idByKeyStmt;
  private readonly rowStmt;
  private readonly attemptsStmt;
  private readonly logTailStmt;
  private readonly logsAfterStmt;
  private readonly nextGroupStmt;
  private readonly candidatesStmt;
  private readonly candidatesSkippingStmt;
  private readonly runningCountsStmt;
  private readonly claimStmt;
  private readonly insertAttemptStmt;
  private readonly endAttemptStmt;
  private readonly renewStmt;
  private readonly cancelRequestedStmt;
  private readonly succeedStmt;
  private readonly settleStmt;
  private readonly expiredStmt;
  private readonly anyExpiredStmt;
  private readonly ownedStmt;
  private readonly requestCancelStmt;
  private readonly requeueStmt;
  private readonly progressStmt;
  private readonly insertLogStmt;
  private readonly trimLogsStmt;
  private readonly countsStmt;
  private readonly throughputStmt;
  private readonly nextRunAtStmt;
  private readonly pruneStmt;
  private readonly queueLengthStmt;
  private readonly deadCountStmt;
  private readonly deadStmt;
  private readonly adoptStmt;
  private readonly fleetUnfinishedStmt;
  private readonly lastDurationStmt;
  /** One transaction wrapper for every write (creating one per call costs as much as the commit). */
  private readonly transaction;
  private readonly listStatements = new Map<string, Statement<Record<string, unknown>, TaskRow>>();

  constructor(
    private readonly db: Database,
    private readonly options: TaskRepositoryOptions,
  ) {
    this.transaction = db.transaction((fn: () => unknown) => fn());
    // Positional parameters, and the conflict clause only where a key can conflict: both cost per row.
    const columns = `id, type, payload, priority, max_attempts, timeout_ms, backoff_base_ms, backoff_cap_ms,
         not_before, idempotency_key, grp, target, state, run_at, created_at, updated_at`;
    const values = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', max(?, coalesce(?, 0)), ?, ?`;
    const insert = `INSERT INTO tasks (${columns}) VALUES (${values})`;
    this.insertStmt = db.prepare<InsertParams>(insert);
    this.insertKeyedStmt = db.prepare<InsertParams, { id: string }>(
      `${insert} ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
    );
    this.idByKeyStmt = db.prepare<[string], { id: string }>('SELECT id FROM tasks WHERE idempotency_key = ?');
    this.rowStmt = db.prepare<[string], TaskRow>('SELECT * FROM tasks WHERE id = ?');
    this.attemptsStmt = db.prepare<[number], AttemptRow>(
      'SELECT number, node, started_at, ended_at, error FROM task_attempts WHERE task_seq = ? ORDER BY number',
    );
    this.logTailStmt = db.prepare<[number, number], { id: number; at: number; line: string }>(
      `SELECT * FROM (SELECT id, at, line FROM task_logs WHERE task_seq = ? ORDER BY id DESC LIMIT ?) ORDER BY id`,
    );
    this.logsAfterStmt = db.prepare<[number, number, number], { id: number; at: number; line: string }>(
      'SELECT id, at, line FROM task_logs WHERE task_seq = ? AND id > ? ORDER BY id LIMIT ?',
    );
    // One step of a loose index scan over the groups that have waiting tasks: O(groups × log n), not O(waiting).
    // INDEXED BY here and below: without statistics the planner may pick another index and sort.
    this.nextGroupStmt = db.prepare<[string], { grp: string }>(
      `SELECT grp FROM tasks INDEXED BY tasks_waiting WHERE ${WAITING} AND grp > ? ORDER BY grp LIMIT 1`,
    );
    const candidates = (skipTypes: string) =>
      db.prepare<{ group: string; now: number; skip?: string; limit: number }, Candidate>(
        `SELECT seq, type, priority FROM tasks INDEXED BY tasks_waiting
         WHERE grp = :group AND ${WAITING} AND run_at <= :now ${skipTypes}
         ORDER BY priority DESC, seq LIMIT :limit`,
      );
    this.candidatesStmt = candidates('');
    // A separate statement: the json_each list costs more than the rest of the claim even when empty.
    this.candidatesSkippingStmt = candidates('AND type NOT IN (SELECT value FROM json_each(:skip))');
    this.runningCountsStmt = db.prepare<[], { type: string; grp: string; n: number }>(
      `SELECT type, grp, count(*) AS n FROM tasks INDEXED BY tasks_running WHERE state = 'running' GROUP BY type, grp`,
    );
    this.claimStmt = db.prepare<[string, number, string, number, number], TaskRow>(
      `UPDATE tasks SET state = 'running', attempt_count = attempt_count + 1, lease_owner = ?, lease_until = ?,
         node = ?, progress = 0, updated_at = ?
       WHERE seq = ? RETURNING *`,
    );
    this.insertAttemptStmt = db.prepare<{ seq: number; node: string; now: number }>(
      `INSERT INTO task_attempts (task_seq, number, node, started_at)
       VALUES (:seq, (SELECT coalesce(max(number), 0) + 1 FROM task_attempts WHERE task_seq = :seq), :node, :now)`,
    );
    // Every claim adds an attempt and every outcome ends it, so a task has at most one open attempt.
    this.endAttemptStmt = db.prepare<[number, number | null, string | null, number, number]>(
      `UPDATE task_attempts SET ended_at = ?, duration_ms = ?, error = ?, succeeded = ?
       WHERE task_seq = ? AND ended_at IS NULL`,
    );
    this.renewStmt = db.prepare<[number, number, string, string]>(
      `UPDATE tasks SET lease_until = ?, updated_at = ? WHERE id = ? AND lease_owner = ? AND state = 'running'`,
    );
    this.cancelRequestedStmt = db.prepare<[string, string], { id: string }>(
      `SELECT id FROM tasks WHERE id = ? AND lease_owner = ? AND state = 'running' AND cancel_requested = 1`,
    );
    this.succeedStmt = db.prepare<[string, number, number, string, string], TaskRow>(
      `UPDATE tasks SET state = 'succeeded', result = ?, error = NULL, progress = 100, lease_owner = NULL,
         lease_until = NULL, finished_at = ?, updated_at = ?
       WHERE id = ? AND lease_owner = ? AND state = 'running' RETURNING *`,
    );
    this.settleStmt = db.prepare<[string, number, string | null, number | null, number, number, number]>(
      `UPDATE tasks SET state = ?, run_at = ?, error = ?, finished_at = ?, attempt_count = attempt_count - ?,
         lease_owner = NULL, lease_until = NULL, updated_at = ?
       WHERE seq = ?`,
    );
    this.expiredStmt = db.prepare<[number], TaskRow>(
      `SELECT * FROM tasks INDEXED BY tasks_running WHERE state = 'running' AND lease_until < ?`,
    );
    this.anyExpiredStmt = db.prepare<[number], { found: 1 }>(
      `SELECT 1 AS found FROM tasks INDEXED BY tasks_running WHERE state = 'running' AND lease_until < ? LIMIT 1`,
    );
    this.ownedStmt = db.prepare<[string, string], TaskRow>(
      `SELECT * FROM tasks WHERE id = ? AND lease_owner = ? AND state = 'running'`,
    );
    this.requestCancelStmt = db.prepare<[number, number]>(
      'UPDATE tasks SET cancel_requested = 1, updated_at = ? WHERE seq = ?',
    );
    this.requeueStmt = db.prepare<[number, number, number]>(
      `UPDATE tasks SET state = 'queued', run_at = ?, attempt_count = 0, cancel_requested = 0, error = NULL,
         result = NULL, progress = 0, finished_at = NULL, updated_at = ?
       WHERE seq = ?`,
    );
    this.progressStmt = db.prepare<[number, number, string, string]>(
      `UPDATE tasks SET progress = ?, updated_at = ? WHERE id = ? AND lease_owner = ? AND state = 'running'`,
    );
    this.insertLogStmt = db.prepare<[number, number, string]>(
      'INSERT INTO task_logs (task_seq, at, line) VALUES (?, ?, ?)',
    );
    this.trimLogsStmt = db.prepare<[number, number, number]>(
      `DELETE FROM task_logs WHERE task_seq = ? AND id <= (
         SELECT id FROM task_logs WHERE task_seq = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
    this.countsStmt = db.prepare<[number], { state: TaskState; n: number }>(
      `SELECT CASE WHEN state = 'queued' AND run_at > ? THEN 'scheduled' ELSE state END AS state, count(*) AS n
       FROM tasks GROUP BY 1`,
    );
    this.throughputStmt = db.prepare<
      { from: number; bucket: number },
      { at: number; succeeded: number; failed: number; meanMs: number | null }
    >(
      `SELECT (ended_at / CAST(:bucket AS INTEGER)) * :bucket AS at, sum(succeeded) AS succeeded,
         sum(1 - succeeded) AS failed, avg(duration_ms) AS meanMs
       FROM task_attempts WHERE ended_at >= :from GROUP BY 1`,
    );
    this.queueLengthStmt = db.prepare<[], { waiting: number; running: number }>(
      `SELECT (SELECT count(*) FROM tasks INDEXED BY tasks_waiting WHERE ${WAITING}) AS waiting,
         (SELECT count(*) FROM tasks INDEXED BY tasks_running WHERE state = 'running') AS running`,
    );
    this.deadCountStmt = db.prepare<[], { dead: number }>(
      `SELECT count(*) AS dead FROM tasks INDEXED BY tasks_stopped WHERE ${STOPPED} AND state = 'dead'`,
    );
    this.deadStmt = db.prepare<[], TaskRow>(`SELECT * FROM tasks WHERE ${STOPPED} AND state = 'dead' ORDER BY seq`);
    // A fleet task keeps no idempotency key here: the fleet's key lives with its record, and a local task may hold it.
    this.adoptStmt = db.prepare<InsertParams>(
      `INSERT INTO tasks (${columns}, fleet) VALUES (${values}, 1) ON CONFLICT (id) DO NOTHING`,
    );
    this.fleetUnfinishedStmt = db.prepare<[], { id: string }>(
      `SELECT id FROM tasks WHERE fleet = 1 AND state IN ('queued', 'retrying', 'running')`,
    );
    this.lastDurationStmt = db.prepare<[number], { duration_ms: number | null }>(
      'SELECT duration_ms FROM task_attempts WHERE task_seq = ? ORDER BY number DESC LIMIT 1',
    );
    this.nextRunAtStmt = db.prepare<[], { at: number | null }>(
      `SELECT min(run_at) AS at FROM tasks INDEXED BY tasks_waiting WHERE ${WAITING}`,
    );
    this.pruneStmt = db.prepare<[number]>(
      `DELETE FROM tasks WHERE state IN ('succeeded', 'dead', 'cancelled') AND finished_at < ?`,
    );
  }

  /** Adds a task, durable on return. With an idempotency key already used, returns that task's id instead. */
  enqueue(task: TaskSubmit, id: string, now: number): { id: string; deduplicated: boolean } {
    return this.immediate(() => this.insert(task, id, now));
  }

  /** Adds every task or none (one transaction). A key repeated within the batch resolves to its first task. */
  enqueueBatch(tasks: ReadonlyArray<{ task: TaskSubmit; id: string }>, now: number) {
    return this.immediate(() => tasks.map(({ task, id }) => this.insert(task, id, now)));
  }

  /**
   * Takes a fleet task into this queue under its record's id: added once; a finished one (retried, or handed back
   * and placed here again) is queued anew with a fresh attempt budget; an unfinished one is kept as it is.
   */
  adopt(task: TaskSubmit, id: string, now: number): 'added' | 'requeued' | 'kept' {
    return this.immediate(() => {
      if (this.adoptStmt.run(...this.insertParams({ ...task, idempotencyKey: undefined }, id, now)).changes > 0) {
        return 'added';
      }
      const row = this.rowStmt.get(id)!;
      if (row.state !== 'succeeded' && row.state !== 'dead' && row.state !== 'cancelled') return 'kept';
      this.requeueStmt.run(Math.max(now, task.notBefore ?? 0), now, row.seq);
      return 'requeued';
    });
  }

  /** Ids of the fleet tasks this node has not finished. */
  fleetUnfinished(): string[] {
    return this.fleetUnfinishedStmt.all().map((row) => row.id);
  }

  /** Whether `id` is a fleet task held here (null: no such task here). */
  isFleet(id: string): boolean | null {
    const row = this.rowStmt.get(id);
    return row ? row.fleet === 1 : null;
  }

  /** How a task ended, or null while it has not. */
  outcome(id: string): FleetOutcome | null {
    const row = this.rowStmt.get(id);
    if (!row || row.finished_at === null) return null;
    const durationMs = this.lastDurationStmt.get(row.seq)?.duration_ms ?? null;
    return { state: row.state, node: row.node, finishedAt: row.finished_at, durationMs };
  }

  private insertParams(task: TaskSubmit, id: string, now: number): InsertParams {
    return [
      id,
      task.type,
      JSON.stringify(task.payload),
      task.priority,
      task.maxAttempts,
      task.timeoutMs,
      task.backoff.baseMs,
      task.backoff.capMs,
      task.notBefore ?? null,
      task.idempotencyKey ?? null,
      task.group,
      task.target,
      now,
      task.notBefore ?? null,
      now,
      now,
    ];
  }

  private insert(task: TaskSubmit, id: string, now: number): { id: string; deduplicated: boolean } {
    const key = task.idempotencyKey ?? null;
    const params = this.insertParams(task, id, now);
    if (key === null) {
      this.insertStmt.run(...params);
      return { id, deduplicated: false };
    }
    const inserted = this.insertKeyedStmt.get(...params);
    if (inserted) return { id: inserted.id, deduplicated: false };
    // Only the idempotency key's conflict is ignored, so the task holding it exists.
    return { id: this.idByKeyStmt.get(key)!.id, deduplicated: true };
  }

  /**
   * Claims up to `limit` due tasks in one transaction and leases them to `owner`. Order: higher priority first;
   * within a priority, the group with the fewest running tasks (counting this batch) goes next, FIFO within a
   * group — so one busy group cannot starve the others. Types at their `perType` limit are skipped.
   */
  claim(options: ClaimOptions): ClaimedTask[] {
    const { owner, node, now, leaseMs, limit, perType = {} } = options;
    if (limit <= 0) return [];
    return this.immediate(() => {
      const runningByType = new Map<string, number>();
      const runningByGroup = new Map<string, number>();
      for (const { type, grp, n } of this.runningCountsStmt.all()) {
        runningByType.set(type, (runningByType.get(type) ?? 0) + n);
        runningByGroup.set(grp, (runningByGroup.get(grp) ?? 0) + n);
      }
      const hasRoom = (type: string) =>
        !Object.hasOwn(perType, type) || (runningByType.get(type) ?? 0) < perType[type]!;
      const full = Object.keys(perType).filter((type) => !hasRoom(type));
      const candidates = (group: string) =>
        full.length === 0
          ? this.candidatesStmt.all({ group, now, limit })
          : this.candidatesSkippingStmt.all({ group, now, limit, skip: JSON.stringify(full) });

      const heads: Head[] = [];
      for (let group = this.nextGroupStmt.get(''); group; group = this.nextGroupStmt.get(group.grp)) {
        const due = candidates(group.grp);
        if (due.length > 0) heads.push({ group: group.grp, candidates: due });
      }

      const running = (group: string) => runningByGroup.get(group) ?? 0;
      const goesFirst = (a: Head, b: Head) => {
        const [x, y] = [a.candidates[0]!, b.candidates[0]!];
        if (x.priority !== y.priority) return x.priority > y.priority;
        if (running(a.group) !== running(b.group)) return running(a.group) < running(b.group);
        return x.seq < y.seq;
      };
      const claimed: ClaimedTask[] = [];
      while (claimed.length < limit) {
        let best: Head | undefined;
        for (const head of heads) {
          if (head.candidates.length > 0 && (!best || goesFirst(head, best))) best = head;
        }
        const next = best?.candidates.shift();
        if (!best || !next) break;
        if (!hasRoom(next.type)) continue;
        const row = this.claimStmt.get(owner, now + leaseMs, node, now, next.seq)!;
        this.insertAttemptStmt.run({ seq: row.seq, node, now });
        runningByType.set(next.type, (runningByType.get(next.type) ?? 0) + 1);
        runningByGroup.set(best.group, (runningByGroup.get(best.group) ?? 0) + 1);
        claimed.push({
          id: row.id,
          type: row.type,
          payload: parseJson(row.payload) ?? null,
          timeoutMs: row.timeout_ms,
          attempt: row.attempt_count,
        });
      }
      return claimed;
    });
  }

  /**
   * Renews the leases `owner` holds on `ids`. Returns the ids it no longer holds (recovered by another worker
   * after an expiry: their work must stop) and those whose cancel was requested.
   */
  heartbeat(owner: string, ids: readonly string[], now: number, leaseMs: number) {
    return this.immediate(() => {
      const lost: string[] = [];
      const cancelRequested: string[] = [];
      for (const id of ids) {
        if (this.renewStmt.run(now + leaseMs, now, id, owner).changes === 0) lost.push(id);
        else if (this.cancelRequestedStmt.get(id, owner)) cancelRequested.push(id);
      }
      return { lost, cancelRequested };
    });
  }

  /**
   * Records how attempts ended, all in one transaction (a worker records what finished in one turn together):
   * success; or `retrying` after a full-jitter backoff, `dead` after the last attempt, `cancelled` for a cancelled
   * attempt or a failure while a cancel was requested. Returns each task's new state, or null where `owner` no longer
   * holds the task (its lease expired and it was recovered): that outcome is dropped.
   */
  recordOutcomes(owner: string, now: number, outcomes: readonly AttemptOutcome[]): Array<TaskState | null> {
    return this.immediate(() => outcomes.map((outcome) => this.recordOutcome(owner, now, outcome)));
  }

  private recordOutcome(owner: string, now: number, outcome: AttemptOutcome): TaskState | null {
    if (outcome.ok) {
      const row = this.succeedStmt.get(JSON.stringify(outcome.result ?? null), now, now, outcome.id, owner);
      if (!row) return null;
      this.endAttemptStmt.run(now, outcome.durationMs, null, 1, row.seq);
      return 'succeeded';
    }
    const row = this.ownedStmt.get(outcome.id, owner);
    if (!row) return null;
    this.endAttemptStmt.run(now, outcome.durationMs, outcome.error, 0, row.seq);
    if (outcome.cancelled) {
      this.settleStmt.run('cancelled', row.run_at, outcome.error, now, 0, now, row.seq);
      return 'cancelled';
    }
    return this.settleFailed(row, outcome.error, now);
  }

  /** `recordOutcomes` for one successful attempt; false when `owner` no longer holds the task. */
  complete(id: string, result: JsonValue, end: AttemptEnd): boolean {
    return this.recordOutcomes(end.owner, end.now, [{ id, ok: true, result, durationMs: end.durationMs }])[0] !== null;
  }

  /** `recordOutcomes` for one failed attempt. */
  fail(id: string, error: string, end: AttemptEnd): TaskState | null {
    return this.recordOutcomes(end.owner, end.now, [{ id, ok: false, error, durationMs: end.durationMs }])[0]!;
  }

  private settleFailed(row: TaskRow, error: string, now: number): TaskState {
    if (row.cancel_requested) {
      this.settleStmt.run('cancelled', row.run_at, error, now, 0, now, row.seq);
      return 'cancelled';
    }
    if (row.attempt_count >= row.max_attempts) {
      this.settleStmt.run('dead', row.run_at, error, now, 0, now, row.seq);
      return 'dead';
    }
    const delay = fullJitterBackoff(
      row.attempt_count - 1,
      row.backoff_base_ms,
      row.backoff_cap_ms,
      this.options.random,
    );
    this.settleStmt.run('retrying', now + Math.round(delay), error, null, 0, now, row.seq);
    return 'retrying';
  }

  /**
   * A stopping worker hands its running tasks back: queued again at once, and the interrupted attempt does not count
   * against `maxAttempts` (a cancel requested meanwhile still wins). Returns the ids.
   */
  release(owner: string, ids: readonly string[], now: number): string[] {
    return this.immediate(() =>
      ids.filter((id) => {
        const row = this.ownedStmt.get(id, owner);
        if (!row) return false;
        this.endAttemptStmt.run(now, null, 'interrupted: the worker stopped', 0, row.seq);
        if (row.cancel_requested) this.settleStmt.run('cancelled', row.run_at, 'cancelled', now, 0, now, row.seq);
        else this.settleStmt.run('queued', now, row.error, null, 1, now, row.seq);
        return true;
      }),
    );
  }

  /**
   * Takes back running tasks whose lease expired (their worker crashed or hung): each becomes due again at once,
   * the lost attempt counting as a failed one. Returns the ids.
   */
  recoverExpired(now: number): string[] {
    // Checked outside a transaction first: nearly always there is nothing to recover, and no write lock is needed.
    if (!this.anyExpiredStmt.get(now)) return [];
    return this.immediate(() =>
      this.expiredStmt.all(now).map((row) => {
        const error = 'lease expired: the worker stopped renewing it (crashed, killed or hung)';
        this.endAttemptStmt.run(now, null, error, 0, row.seq);
        if (row.cancel_requested || row.attempt_count >= row.max_attempts) this.settleFailed(row, error, now);
        else this.settleStmt.run('queued', now, error, null, 0, now, row.seq);
        return row.id;
      }),
    );
  }

  /**
   * Cancels a waiting task at once, and a running one whose lease expired; for a running one records the request
   * (its worker aborts it) and returns `running`. Refuses a finished task.
   */
  cancel(id: string, now: number, reason = 'cancelled'): 'cancelled' | 'running' {
    return this.immediate(() => {
      const row = this.rowStmt.get(id);
      if (!row) throw notFound(id);
      if (row.state === 'running' && row.lease_until! >= now) {
        this.requestCancelStmt.run(now, row.seq);
        return 'running';
      }
      if (row.state === 'running') {
        // Its worker is gone (the lease expired): nobody is left to abort it, so it ends here.
        this.endAttemptStmt.run(now, null, reason, 0, row.seq);
        this.settleStmt.run('cancelled', row.run_at, reason, now, 0, now, row.seq);
        return 'cancelled';
      }
      if (row.state !== 'queued' && row.state !== 'retrying') {
        throw new CodedError('conflict', `task ${id} is already ${row.state}`);
      }
      this.settleStmt.run('cancelled', row.run_at, reason, now, 0, now, row.seq);
      return 'cancelled';
    });
  }

  /** Runs a dead or cancelled task again with a fresh attempt budget, or a retrying one without waiting. */
  retry(id: string, now: number): void {
    this.immediate(() => {
      const row = this.rowStmt.get(id);
      if (!row) throw notFound(id);
      if (row.state !== 'dead' && row.state !== 'cancelled' && row.state !== 'retrying') {
        throw new CodedError(
          'conflict',
          `only a dead, cancelled or retrying task can be retried; ${id} is ${row.state}`,
        );
      }
      if (row.state === 'retrying') this.settleStmt.run('retrying', now, row.error, null, 0, now, row.seq);
      else this.requeueStmt.run(now, now, row.seq);
    });
  }

  /** Replays dead letters: the given ids (those not dead are skipped), or every dead task. Returns the ids. */
  replayDead(ids: readonly string[] | undefined, now: number): string[] {
    return this.immediate(() => {
      const rows = ids
        ? ids.map((id) => this.rowStmt.get(id)).filter((row): row is TaskRow => row?.state === 'dead')
        : this.deadStmt.all();
      for (const row of rows) this.requeueStmt.run(now, now, row.seq);
      return rows.map((row) => row.id);
    });
  }

  /** Progress (0–100) and new log lines of a running task; ignored once `owner` no longer holds it. */
  report(id: string, owner: string, update: { progress?: number; lines: readonly TaskLogLine[] }, now: number) {
    this.immediate(() => {
      const row = this.ownedStmt.get(id, owner);
      if (!row) return;
      if (update.progress !== undefined) this.progressStmt.run(update.progress, now, id, owner);
      for (const { at, line } of update.lines) this.insertLogStmt.run(row.seq, at, line.slice(0, MAX_LOG_LINE_CHARS));
      if (update.lines.length > 0) this.trimLogsStmt.run(row.seq, row.seq, this.options.maxLogLines);
    });
  }

  get(id: string, now: number): Task | undefined {
    const row = this.rowStmt.get(id);
    if (!row) return undefined;
    const attempts: TaskAttempt[] = this.attemptsStmt.all(row.seq).map((a) => ({
      number: a.number,
      node: a.node,
      startedAt: a.started_at,
      endedAt: a.ended_at,
      error: a.error,
    }));
    const logs = this.logTailStmt.all(row.seq, LOG_TAIL).map(({ at, line }) => ({ at, line }));
    return { ...toSummary(row, now), attempts, logs };
  }

  /** Log lines after the one with id `afterId` (0: from the oldest kept), for a live view. */
  logs(id: string, afterId: number, limit: number): Array<TaskLogLine & { id: number }> {
    const row = this.rowStmt.get(id);
    if (!row) throw notFound(id);
    return this.logsAfterStmt.all(row.seq, afterId, limit);
  }

  /** What a `task.changed` event carries. */
  changed(id: string, now: number): TaskChanged | undefined {
    const row = this.rowStmt.get(id);
    return row && { id: row.id, type: row.type, state: visibleState(row, now), progress: row.progress, node: row.node };
  }

  /** Newest first, filtered; `text` is searched in the id, type, payload and error. */
  list(query: TaskListQuery, now: number): TaskSummary[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit };
    if (query.state === 'scheduled' || query.state === 'queued') {
      where.push(`state = 'queued'`, query.state === 'scheduled' ? 'run_at > :now' : 'run_at <= :now');
      params.now = now;
    } else if (query.state) {
      // The IN term lets SQLite use the partial index of dead letters (it cannot infer it from the equality).
      if (query.state === 'dead' || query.state === 'cancelled') where.push(STOPPED);
      where.push('state = :state');
      params.state = query.state;
    }
    for (const [key, column] of [
      ['type', 'type'],
      ['node', 'node'],
      ['group', 'grp'],
    ] as const) {
      if (query[key] === undefined) continue;
      where.push(`${column} = :${key}`);
      params[key] = query[key];
    }
    if (query.text !== undefined) {
      where.push(
        `(id LIKE :text ESCAPE '\\' OR type LIKE :text ESCAPE '\\' OR payload LIKE :text ESCAPE '\\' OR error LIKE :text ESCAPE '\\')`,
      );
      params.text = likePattern(query.text);
    }
    if (query.before !== undefined) {
      where.push('seq < (SELECT seq FROM tasks WHERE id = :before)');
      params.before = query.before;
    }
    const sql = `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT :limit`;
    let statement = this.listStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<Record<string, unknown>, TaskRow>(sql);
      this.listStatements.set(sql, statement);
    }
    return statement.all(params).map((row) => toSummary(row, now));
  }

  /** Counts by state, and attempts ended per bucket (see `TaskStats.bucketMs`) over the last `windowMs`. */
  stats(now: number, windowMs: number): TaskStats {
    const counts = Object.fromEntries(TaskState.options.map((state) => [state, 0])) as Record<TaskState, number>;
    for (const { state, n } of this.countsStmt.all(now)) counts[state] += n;
    const bucketMs = Math.max(1, Math.ceil(windowMs / MINUTE / MAX_THROUGHPUT_BUCKETS)) * MINUTE;
    const from = Math.floor((now - windowMs) / bucketMs) * bucketMs;
    const byBucket = new Map(this.throughputStmt.all({ from, bucket: bucketMs }).map((bucket) => [bucket.at, bucket]));
    const throughput: TaskStats['throughput'] = [];
    for (let at = from; at <= now; at += bucketMs) {
      const bucket = byBucket.get(at);
      throughput.push({
        at,
        succeeded: bucket?.succeeded ?? 0,
        failed: bucket?.failed ?? 0,
        meanMs: bucket?.meanMs ?? null,
      });
    }
    return { counts, throughput, windowMs, bucketMs };
  }

  /** Tasks waiting (due or not) and running: what the node publishes as its queue length. */
  queueLength(): { waiting: number; running: number } {
    return this.queueLengthStmt.get()!;
  }

  /** Dead tasks kept here (the dead-letter queue): what the node publishes for the fleet's dead-letter rule. */
  deadCount(): number {
    return this.deadCountStmt.get()!.dead;
  }

  /**
   * When the earliest waiting task becomes due, or null when none waits. A scan of the waiting tasks (an index on
   * run_at would cost a page write per submit); the worker asks only when it has free slots and nothing is due.
   */
  nextRunAt(): number | null {
    return this.nextRunAtStmt.get()?.at ?? null;
  }

  /** Deletes finished tasks (with their attempts and logs) that finished before `before`; returns how many. */
  pruneFinished(before: number): number {
    return this.pruneStmt.run(before).changes;
  }

  private immediate<T>(fn: () => T): T {
    return this.transaction.immediate(fn) as T;
  }
}
