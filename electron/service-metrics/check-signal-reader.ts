import type { Database } from 'better-sqlite3';
import { MINUTE_MS } from '../store/check-history-repository.js';

/** One minute of a service's check runs, all its checks together. */
export interface CheckMinute {
  minute: number;
  runs: number;
  /** Runs whose result was critical (unknown is the checker's failure, warning still works). */
  failed: number;
  /** 95th percentile of the runs' latency (nearest rank) while raw results are kept; their maximum after that. */
  latencyP95: number;
}

/**
 * Reads a service's check history (the `check_rollups` and `check_results` tables) as per-minute signals, for
 * services without a metrics endpoint. Plain reads: the check history's writer is the health capability's.
 */
export class CheckSignalReader {
  private readonly rollupsStmt;
  private readonly latenciesStmt;
  private readonly anyStmt;

  constructor(db: Database) {
    this.rollupsStmt = db.prepare<
      [string, number, number],
      { minute: number; runs: number; failed: number; latency_max: number }
    >(
      `SELECT minute, sum(runs) AS runs, sum(critical) AS failed, max(latency_max) AS latency_max FROM check_rollups
       WHERE service_id = ? AND minute >= ? AND minute < ? GROUP BY minute ORDER BY minute`,
    );
    this.latenciesStmt = db.prepare<[number, string, number, number], { minute: number; latency_ms: number }>(
      `SELECT at - at % ? AS minute, latency_ms FROM check_results
       WHERE service_id = ? AND at >= ? AND at < ? ORDER BY minute, latency_ms`,
    );
    this.anyStmt = db.prepare<[string], { found: number }>(
      'SELECT 1 AS found FROM check_rollups WHERE service_id = ? LIMIT 1',
    );
  }

  /** Minutes in [fromMs, toMs) with at least one run, oldest first. */
  minutes(serviceId: string, fromMs: number, toMs: number): CheckMinute[] {
    const latencies = new Map<number, number[]>();
    for (const row of this.latenciesStmt.iterate(MINUTE_MS, serviceId, fromMs, toMs)) {
      const list = latencies.get(row.minute);
      if (list) list.push(row.latency_ms);
      else latencies.set(row.minute, [row.latency_ms]);
    }
    return this.rollupsStmt.all(serviceId, fromMs, toMs).map((row) => {
      const sorted = latencies.get(row.minute);
      return {
        minute: row.minute,
        runs: row.runs,
        failed: row.failed,
        latencyP95: sorted ? sorted[Math.ceil(sorted.length * 0.95) - 1]! : row.latency_max,
      };
    });
  }

  has(serviceId: string): boolean {
    return this.anyStmt.get(serviceId) !== undefined;
  }
}
