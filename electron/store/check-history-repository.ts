import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import {
  CheckResult,
  type Heartbeat,
  type HistoryPoint,
  type ResultStatus,
  type UptimeFigures,
} from '../../shared/services.js';
import { checkKey, parseCheckMemory, type CheckMemory } from '../health/check-state-machine.js';
import type { CheckHistoryStore } from '../health/health-stores.js';

export const MINUTE_MS = 60_000;
/** The most points a history query returns; longer ranges are grouped into buckets of whole minutes. */
export const HISTORY_MAX_POINTS = 2_000;
/** Rows deleted per statement by prune; the event loop gets a turn between statements. */
export const PRUNE_BATCH_SIZE = 5_000;
/** Results kept in memory while flushes fail (disk full, locked file); the oldest are dropped beyond it. */
export const MAX_BUFFERED_RESULTS = 100_000;

const DAY_MS = 86_400_000;

/** Start of the minute holding `ms` (the key of the roll-up rows, in epoch ms). */
export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * The roll-up bucket (a whole number of minutes) that keeps a range within `maxPoints` buckets aligned to
 * multiples of the bucket size.
 */
export function rollupBucketMs(fromMs: number, toMs: number, maxPoints: number): number {
  const minutes = Math.floor((toMs - minuteOf(fromMs)) / MINUTE_MS) + 1;
  if (minutes <= maxPoints) return MINUTE_MS;
  // Aligned buckets can straddle both ends, so leave room for one more than minutes / k.
  return Math.ceil(minutes / (maxPoints - 1)) * MINUTE_MS;
}

/** Gives the event loop a turn between write batches, so a long prune does not delay checks and the API. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export type Uptime = z.infer<typeof UptimeFigures>;

export interface CheckHistory {
  /** `raw`: one point per run; `minute`: roll-ups, grouped into `bucketMs` buckets (a multiple of a minute). */
  resolution: 'raw' | 'minute';
  /** Bucket width of the points; 0 for raw results. */
  bucketMs: number;
  points: HistoryPoint[];
}

export interface PruneCounts {
  raw: number;
  rollups: number;
}

interface Pending {
  serviceId: string;
  checkName: string;
  result: CheckResult;
}

interface PendingState {
  serviceId: string;
  checkName: string;
  memory: CheckMemory;
}

interface RollupDelta {
  serviceId: string;
  checkName: string;
  minute: number;
  runs: number;
  passing: number;
  warning: number;
  critical: number;
  unknown: number;
  latencySum: number;
  latencyMax: number;
}

interface RollupRow {
  at: number;
  runs: number;
  passing: number;
  warning: number;
  critical: number;
  unknown: number;
  latency_sum: number;
}

type UptimeRow = Record<
  'dayRuns' | 'dayPassing' | 'weekRuns' | 'weekPassing' | 'monthRuns' | 'monthPassing' | 'firstMinute',
  number | null
>;

/**
 * Check results (raw rows + per-minute roll-ups) and each check's state machine memory.
 *
 * Writes are buffered: `record` and `saveState` only queue; `flush()` writes everything queued in ONE
 * transaction (raw rows, roll-up upserts aggregated per minute, latest state per check), so at 400 results/s
 * the database sees a couple of transactions a second instead of hundreds. The class owns no timer: its owner
 * calls `flush()` on an interval (~500 ms) and on stop. Reads see what has been flushed.
 */
export class CheckHistoryRepository implements CheckHistoryStore {
  private buffer: Pending[] = [];
  private states = new Map<string, PendingState>();
  private droppedCount = 0;
  private readonly writeBatch: (results: Pending[], states: Iterable<PendingState>) => void;
  private readonly deleteServiceTx: (serviceId: string) => void;
  private readonly deleteCheckTx: (serviceId: string, checkName: string) => void;
  private readonly rawStmt;
  private readonly rollupStmt;
  private readonly statesStmt;
  private readonly uptimeStmt;
  private readonly firstInMinuteStmt;
  private readonly recentStmt;
  private readonly pruneRawStmt;
  private readonly pruneRollupsStmt;

  constructor(
    private readonly db: Database,
    private readonly options: { maxBuffered?: number; pruneBatchSize?: number } = {},
  ) {
    const insertResult = db.prepare<[string, string, number, ResultStatus, number, string]>(
      `INSERT INTO check_results (service_id, check_name, at, status, latency_ms, output) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const upsertRollup = db.prepare<[string, string, number, number, number, number, number, number, number, number]>(
      `INSERT INTO check_rollups
         (service_id, check_name, minute, runs, passing, warning, critical, unknown, latency_sum, latency_max)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (service_id, check_name, minute) DO UPDATE SET
         runs = runs + excluded.runs,
         passing = passing + excluded.passing,
         warning = warning + excluded.warning,
         critical = critical + excluded.critical,
         unknown = unknown + excluded.unknown,
         latency_sum = latency_sum + excluded.latency_sum,
         latency_max = max(latency_max, excluded.latency_max)`,
    );
    const upsertState = db.prepare<[string, string, string, number]>(
      `INSERT INTO check_states (service_id, check_name, state, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (service_id, check_name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.writeBatch = db.transaction((results: Pending[], states: Iterable<PendingState>) => {
      const rollups = new Map<string, RollupDelta>();
      for (const { serviceId, checkName, result } of results) {
        insertResult.run(serviceId, checkName, result.at, result.status, result.latencyMs, result.output);
        const minute = minuteOf(result.at);
        const key = `${checkKey(serviceId, checkName)}@${minute}`;
        let delta = rollups.get(key);
        if (!delta) {
          delta = {
            serviceId,
            checkName,
            minute,
            runs: 0,
            passing: 0,
            warning: 0,
            critical: 0,
            unknown: 0,
            latencySum: 0,
            latencyMax: 0,
          };
          rollups.set(key, delta);
        }
        delta.runs++;
        delta[result.status]++;
        delta.latencySum += result.latencyMs;
        delta.latencyMax = Math.max(delta.latencyMax, result.latencyMs);
      }
      for (const d of rollups.values()) {
        upsertRollup.run(
          d.serviceId,
          d.checkName,
          d.minute,
          d.runs,
          d.passing,
          d.warning,
          d.critical,
          d.unknown,
          d.latencySum,
          d.latencyMax,
        );
      }
      for (const { serviceId, checkName, memory } of states) {
        upsertState.run(serviceId, checkName, JSON.stringify(memory), memory.lastResult?.at ?? memory.since);
      }
    });

    const deleteResults = db.prepare<[string]>('DELETE FROM check_results WHERE service_id = ?');
    const deleteRollups = db.prepare<[string]>('DELETE FROM check_rollups WHERE service_id = ?');
    const deleteStates = db.prepare<[string]>('DELETE FROM check_states WHERE service_id = ?');
    this.deleteServiceTx = db.transaction((serviceId: string) => {
      deleteResults.run(serviceId);
      deleteRollups.run(serviceId);
      deleteStates.run(serviceId);
    });
    const deleteCheckResults = db.prepare<[string, string]>(
      'DELETE FROM check_results WHERE service_id = ? AND check_name = ?',
    );
    const deleteCheckRollups = db.prepare<[string, string]>(
      'DELETE FROM check_rollups WHERE service_id = ? AND check_name = ?',
    );
    const deleteCheckState = db.prepare<[string, string]>(
      'DELETE FROM check_states WHERE service_id = ? AND check_name = ?',
    );
    this.deleteCheckTx = db.transaction((serviceId: string, checkName: string) => {
      deleteCheckResults.run(serviceId, checkName);
      deleteCheckRollups.run(serviceId, checkName);
      deleteCheckState.run(serviceId, checkName);
    });

    this.rawStmt = db.prepare<
      [string, string, number, number, number],
      { at: number; status: ResultStatus; latency_ms: number }
    >(
      `SELECT at, status, latency_ms FROM check_results
       WHERE service_id = ? AND check_name = ? AND at >= ? AND at <= ? ORDER BY at, id LIMIT ?`,
    );
    this.rollupStmt = db.prepare<[number, string, string, number, number], RollupRow>(
      `SELECT minute - minute % ? AS at, sum(runs) AS runs, sum(passing) AS passing, sum(warning) AS warning,
              sum(critical) AS critical, sum(unknown) AS unknown, sum(latency_sum) AS latency_sum
       FROM check_rollups
       WHERE service_id = ? AND check_name = ? AND minute >= ? AND minute <= ?
       GROUP BY 1 ORDER BY 1`,
    );
    this.statesStmt = db.prepare<[], { service_id: string; check_name: string; state: string }>(
      'SELECT service_id, check_name, state FROM check_states',
    );
    this.uptimeStmt = db.prepare<[number, number, number, number, number, number, string, string, number], UptimeRow>(
      `SELECT sum(CASE WHEN minute >= ? THEN runs END) AS dayRuns,
              sum(CASE WHEN minute >= ? THEN passing END) AS dayPassing,
              sum(CASE WHEN minute >= ? THEN runs END) AS weekRuns,
              sum(CASE WHEN minute >= ? THEN passing END) AS weekPassing,
              sum(CASE WHEN minute >= ? THEN runs END) AS monthRuns,
              sum(CASE WHEN minute >= ? THEN passing END) AS monthPassing,
              min(minute) AS firstMinute
       FROM check_rollups WHERE service_id = ? AND check_name = ? AND minute >= ?`,
    );
    this.firstInMinuteStmt = db.prepare<[string, string, number, number], { at: number }>(
      `SELECT at FROM check_results WHERE service_id = ? AND check_name = ? AND at >= ? AND at < ? ORDER BY at LIMIT 1`,
    );
    this.recentStmt = db.prepare<[string, string, number], { at: number; status: ResultStatus; latency_ms: number }>(
      `SELECT at, status, latency_ms FROM check_results
       WHERE service_id = ? AND check_name = ? ORDER BY at DESC, id DESC LIMIT ?`,
    );
    this.pruneRawStmt = db.prepare<[number, number]>(
      'DELETE FROM check_results WHERE id IN (SELECT id FROM check_results WHERE at < ? ORDER BY at LIMIT ?)',
    );
    this.pruneRollupsStmt = db.prepare<[number, number]>(
      `DELETE FROM check_rollups WHERE (service_id, check_name, minute) IN
         (SELECT service_id, check_name, minute FROM check_rollups WHERE minute < ? ORDER BY minute LIMIT ?)`,
    );
  }

  /**
   * Queues a run's result for the next flush. An invalid result is refused here, naming the field, rather than
   * poisoning the queue so that every later flush fails.
   */
  record(serviceId: string, checkName: string, result: CheckResult): void {
    const parsed = CheckResult.safeParse(result);
    if (!parsed.success) {
      throw new TypeError(`invalid result for ${checkKey(serviceId, checkName)}: ${z.prettifyError(parsed.error)}`);
    }
    if (this.buffer.length >= (this.options.maxBuffered ?? MAX_BUFFERED_RESULTS)) {
      this.buffer.shift();
      this.droppedCount++;
    }
    this.buffer.push({ serviceId, checkName, result: parsed.data });
  }

  /** Queues a check's memory for the next flush; only the latest memory of each check is written. */
  saveState(serviceId: string, checkName: string, memory: CheckMemory): void {
    this.states.set(checkKey(serviceId, checkName), { serviceId, checkName, memory });
  }

  /** Results and states waiting for a flush. */
  get pending(): { results: number; states: number } {
    return { results: this.buffer.length, states: this.states.size };
  }

  /** Results dropped because the buffer overflowed while flushes failed. */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Writes everything queued in one transaction; returns the number of results written. On failure nothing is
   * written, the queue is kept for the next flush, and the error is thrown.
   */
  flush(): number {
    if (this.buffer.length === 0 && this.states.size === 0) return 0;
    const results = this.buffer;
    const states = this.states;
    this.buffer = [];
    this.states = new Map();
    try {
      this.writeBatch(results, states.values());
    } catch (error) {
      this.buffer = results.concat(this.buffer);
      for (const [key, state] of states) if (!this.states.has(key)) this.states.set(key, state);
      throw error;
    }
    return results.length;
  }

  /**
   * Every stored check memory by `checkKey(serviceId, checkName)`. A malformed or outdated one is skipped
   * (reported to `onDiscard`), so that check starts afresh; the next save overwrites it.
   */
  loadStates(onDiscard?: (serviceId: string, checkName: string) => void): Map<string, CheckMemory> {
    const memories = new Map<string, CheckMemory>();
    for (const row of this.statesStmt.iterate()) {
      const memory = parseCheckMemory(row.state);
      if (memory) memories.set(checkKey(row.service_id, row.check_name), memory);
      else onDiscard?.(row.service_id, row.check_name);
    }
    return memories;
  }

  /** Forgets a removed service: queued and stored results, roll-ups and states, in one transaction. */
  deleteService(serviceId: string): void {
    this.buffer = this.buffer.filter((p) => p.serviceId !== serviceId);
    for (const [key, state] of this.states) if (state.serviceId === serviceId) this.states.delete(key);
    this.deleteServiceTx(serviceId);
  }

  /** Forgets one check of a service (removed from its definition). */
  deleteCheck(serviceId: string, checkName: string): void {
    this.buffer = this.buffer.filter((p) => p.serviceId !== serviceId || p.checkName !== checkName);
    this.states.delete(checkKey(serviceId, checkName));
    this.deleteCheckTx(serviceId, checkName);
  }

  /**
   * A check's results between `fromMs` and `toMs` (inclusive): raw results when the whole range is within raw
   * retention and fits in `maxPoints`, otherwise roll-ups (the worst status of each bucket, average latency),
   * grouped into whole-minute buckets so that at most `maxPoints` are returned.
   */
  history(
    serviceId: string,
    checkName: string,
    fromMs: number,
    toMs: number,
    rawRetentionMs: number,
    now: number,
    maxPoints = HISTORY_MAX_POINTS,
  ): CheckHistory {
    if (maxPoints < 2) throw new RangeError('maxPoints must be at least 2');
    if (toMs < fromMs) return { resolution: 'raw', bucketMs: 0, points: [] };
    if (fromMs >= now - rawRetentionMs) {
      const rows = this.rawStmt.all(serviceId, checkName, fromMs, toMs, maxPoints + 1);
      if (rows.length <= maxPoints) {
        return {
          resolution: 'raw',
          bucketMs: 0,
          points: rows.map((row) => ({ at: row.at, status: row.status, latencyMs: row.latency_ms, count: 1 })),
        };
      }
    }
    const bucketMs = rollupBucketMs(fromMs, toMs, maxPoints);
    const rows = this.rollupStmt.all(bucketMs, serviceId, checkName, minuteOf(fromMs), toMs);
    return {
      resolution: 'minute',
      bucketMs,
      points: rows.map((row) => ({
        at: row.at,
        status: worstStatus(row),
        latencyMs: row.runs > 0 ? row.latency_sum / row.runs : 0,
        count: row.runs,
      })),
    };
  }

  /**
   * Share of passing runs over the last 24 h, 7 d and 30 d, from the roll-ups; null for a period without runs. With
   * the first result of the 30 days: to the millisecond while its raw row is kept, else the start of its minute.
   */
  uptime(serviceId: string, checkName: string, now: number): Uptime {
    const day = now - DAY_MS;
    const week = now - 7 * DAY_MS;
    const month = now - 30 * DAY_MS;
    const row = this.uptimeStmt.get(day, day, week, week, month, month, serviceId, checkName, month);
    const share = (runs: number | null | undefined, passing: number | null | undefined) =>
      runs ? (passing ?? 0) / runs : null;
    return {
      day: share(row?.dayRuns, row?.dayPassing),
      week: share(row?.weekRuns, row?.weekPassing),
      month: share(row?.monthRuns, row?.monthPassing),
      since: this.firstResultFrom(serviceId, checkName, row?.firstMinute ?? null),
    };
  }

  private firstResultFrom(serviceId: string, checkName: string, minute: number | null): number | null {
    if (minute === null) return null;
    return this.firstInMinuteStmt.get(serviceId, checkName, minute, minute + MINUTE_MS)?.at ?? minute;
  }

  /** A check's last `limit` results (what has been flushed), oldest first. */
  recent(serviceId: string, checkName: string, limit: number): Heartbeat[] {
    return this.recentStmt
      .all(serviceId, checkName, limit)
      .reverse()
      .map((row) => ({ at: row.at, status: row.status, latencyMs: row.latency_ms }));
  }

  /**
   * Deletes raw results older than `rawRetentionMs` and roll-ups older than `rollupRetentionMs`, in batches of
   * PRUNE_BATCH_SIZE rows (each its own short transaction), yielding to the event loop between batches.
   * Asynchronous because of those yields: the caller should `.catch()` it, and may await it before closing the
   * database (a prune that finds the database closed stops quietly).
   */
  async prune(now: number, rawRetentionMs: number, rollupRetentionMs: number): Promise<PruneCounts> {
    const batch = this.options.pruneBatchSize ?? PRUNE_BATCH_SIZE;
    return {
      raw: await deleteInBatches(this.db, this.pruneRawStmt, now - rawRetentionMs, batch),
      rollups: await deleteInBatches(this.db, this.pruneRollupsStmt, minuteOf(now - rollupRetentionMs), batch),
    };
  }
}

/**
 * Runs a `DELETE ... LIMIT batch` statement until it deletes less than a full batch. Stops quietly when the
 * database was closed while it yielded (a prune still going at shutdown), returning what it deleted so far.
 */
export async function deleteInBatches(
  db: Database,
  stmt: { run(cutoff: number, batch: number): { changes: number } },
  cutoff: number,
  batch: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    if (!db.open) return total;
    const { changes } = stmt.run(cutoff, batch);
    total += changes;
    if (changes < batch) return total;
    await yieldToEventLoop();
  }
}

/** Worst first, as statusSeverity orders the result statuses. */
function worstStatus(row: Pick<RollupRow, 'critical' | 'warning' | 'unknown'>): ResultStatus {
  if (row.critical > 0) return 'critical';
  if (row.warning > 0) return 'warning';
  if (row.unknown > 0) return 'unknown';
  return 'passing';
}
