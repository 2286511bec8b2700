import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { deleteInBatches, minuteOf, PRUNE_BATCH_SIZE } from '../store/check-history-repository.js';
import type { Bucket } from './histogram-quantile.js';
import { minuteShares } from './minute-shares.js';

/** What a service's endpoint counted between two scrapes; null for what its `metrics:` does not name. */
export interface ScrapeDelta {
  requests: number;
  errors: number | null;
  /** Increase of each latency bucket, by its bound in ms (+Infinity for the last). */
  buckets: Map<number, number> | null;
}

/** One stored minute: its counts and how many ms of it the scrapes covered. */
export interface SignalMinute {
  minute: number;
  coveredMs: number;
  requests: number;
  errors: number | null;
  buckets: Bucket[] | null;
}

interface Row {
  minute: number;
  covered_ms: number;
  requests: number;
  errors: number | null;
  buckets: string | null;
}

// JSON has no Infinity: the +Inf bucket's bound is stored as null.
const StoredBuckets = z.array(z.tuple([z.number().nullable(), z.number()]));

/**
 * Per-minute counts of the services' own metrics. A pair of scrapes is spread over the minutes it spans in
 * proportion to time, so an interval longer than a minute still gives every minute its share.
 */
export class SignalMinutesRepository {
  private readonly addTx: (serviceId: string, fromMs: number, toMs: number, delta: ScrapeDelta) => void;
  private readonly rangeStmt;
  private readonly anyStmt;
  private readonly deleteStmt;
  private readonly pruneStmt;

  constructor(
    private readonly db: Database,
    private readonly pruneBatchSize = PRUNE_BATCH_SIZE,
  ) {
    const get = db.prepare<[string, number], Row>(
      'SELECT minute, covered_ms, requests, errors, buckets FROM service_signal_minutes WHERE service_id = ? AND minute = ?',
    );
    const put = db.prepare<[string, number, number, number, number | null, string | null]>(
      `INSERT OR REPLACE INTO service_signal_minutes (service_id, minute, covered_ms, requests, errors, buckets)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.addTx = db.transaction((serviceId: string, fromMs: number, toMs: number, delta: ScrapeDelta) => {
      for (const { minute, share, coveredMs } of minuteShares(fromMs, toMs)) {
        const row = get.get(serviceId, minute);
        const before = row ? toMinute(row) : null;
        put.run(
          serviceId,
          minute,
          (before?.coveredMs ?? 0) + coveredMs,
          (before?.requests ?? 0) + delta.requests * share,
          delta.errors === null ? (before?.errors ?? null) : (before?.errors ?? 0) + delta.errors * share,
          storeBuckets(addBuckets(before?.buckets ?? null, delta.buckets, share)),
        );
      }
    });
    this.rangeStmt = db.prepare<[string, number, number], Row>(
      `SELECT minute, covered_ms, requests, errors, buckets FROM service_signal_minutes
       WHERE service_id = ? AND minute >= ? AND minute < ? ORDER BY minute`,
    );
    this.anyStmt = db.prepare<[string], { found: number }>(
      'SELECT 1 AS found FROM service_signal_minutes WHERE service_id = ? LIMIT 1',
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM service_signal_minutes WHERE service_id = ?');
    this.pruneStmt = db.prepare<[number, number]>(
      `DELETE FROM service_signal_minutes WHERE (service_id, minute) IN
         (SELECT service_id, minute FROM service_signal_minutes WHERE minute < ? ORDER BY minute LIMIT ?)`,
    );
  }

  /** Adds what was counted between `fromMs` and `toMs` (wall-clock ms) to the minutes that span touches. */
  add(serviceId: string, fromMs: number, toMs: number, delta: ScrapeDelta): void {
    this.addTx(serviceId, fromMs, toMs, delta);
  }

  /** The stored minutes in [fromMs, toMs), oldest first. */
  minutes(serviceId: string, fromMs: number, toMs: number): SignalMinute[] {
    return this.rangeStmt.all(serviceId, fromMs, toMs).map(toMinute);
  }

  has(serviceId: string): boolean {
    return this.anyStmt.get(serviceId) !== undefined;
  }

  deleteService(serviceId: string): void {
    this.deleteStmt.run(serviceId);
  }

  /** Deletes minutes older than `retentionMs`, in batches that each leave the event loop a turn. */
  prune(now: number, retentionMs: number): Promise<number> {
    return deleteInBatches(this.db, this.pruneStmt, minuteOf(now - retentionMs), this.pruneBatchSize);
  }
}

function toMinute(row: Row): SignalMinute {
  const stored = row.buckets === null ? null : StoredBuckets.safeParse(JSON.parse(row.buckets));
  return {
    minute: row.minute,
    coveredMs: row.covered_ms,
    requests: row.requests,
    errors: row.errors,
    buckets: stored?.success ? stored.data.map(([le, count]) => ({ le: le ?? Infinity, count })) : null,
  };
}

function addBuckets(before: Bucket[] | null, added: Map<number, number> | null, share: number): Bucket[] | null {
  if (added === null) return before;
  const sums = new Map((before ?? []).map(({ le, count }) => [le, count]));
  for (const [le, count] of added) sums.set(le, (sums.get(le) ?? 0) + count * share);
  return [...sums].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

const storeBuckets = (buckets: Bucket[] | null): string | null =>
  buckets && JSON.stringify(buckets.map(({ le, count }) => [Number.isFinite(le) ? le : null, count]));
