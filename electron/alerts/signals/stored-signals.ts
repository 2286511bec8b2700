import type { Database } from 'better-sqlite3';
import type { CheckRunStats } from '../evaluate-condition.js';

/** One check's runs within one minute, from the per-minute roll-ups. */
export interface CheckMinute {
  serviceId: string;
  check: string;
  minute: number;
  runs: number;
  /** Critical runs. */
  failed: number;
  warning: number;
  latencySum: number;
}

/** Reads of what the node already stores (check results and roll-ups, log matches) that rules judge. */
export class StoredSignals {
  private readonly runsStmt;
  private readonly minutesStmt;
  private readonly matchTimesStmt;

  constructor(db: Database) {
    this.runsStmt = db.prepare<
      [number],
      { serviceId: string; check: string; runs: number; failed: number; meanLatencyMs: number }
    >(
      `SELECT service_id AS serviceId, check_name AS "check", count(*) AS runs,
              sum(status = 'critical') AS failed, avg(latency_ms) AS meanLatencyMs
       FROM check_results INDEXED BY check_results_by_time WHERE at >= ? GROUP BY service_id, check_name`,
    );
    this.minutesStmt = db.prepare<[number, number], CheckMinute>(
      `SELECT service_id AS serviceId, check_name AS "check", minute, runs, critical AS failed, warning,
              latency_sum AS latencySum
       FROM check_rollups WHERE minute >= ? AND minute <= ? ORDER BY minute`,
    );
    this.matchTimesStmt = db.prepare<[string, number, number], { at: number }>(
      'SELECT at FROM log_matches WHERE pattern_id = ? AND at >= ? AND at <= ? ORDER BY at',
    );
  }

  /** Every check's stored runs at or after `sinceMs` (flushed ones: the results buffer is written every ~0.5 s). */
  checkRuns(sinceMs: number): CheckRunStats[] {
    return this.runsStmt.all(sinceMs);
  }

  /** Per-minute roll-ups of every check between two times, oldest first. */
  checkMinutes(fromMs: number, toMs: number): CheckMinute[] {
    return this.minutesStmt.all(fromMs, toMs);
  }

  /** When the pattern matched between two times, oldest first. */
  logMatchTimes(patternId: string, fromMs: number, toMs: number): number[] {
    return this.matchTimesStmt.all(patternId, fromMs, toMs).map((row) => row.at);
  }
}
