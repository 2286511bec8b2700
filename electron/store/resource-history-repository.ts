import type { Database } from 'better-sqlite3';
import type { ResourcePoint, ResourceSample } from '../../shared/node.js';
import {
  HISTORY_MAX_POINTS,
  PRUNE_BATCH_SIZE,
  deleteInBatches,
  minuteOf,
  rollupBucketMs,
  type PruneCounts,
} from './check-history-repository.js';

interface RollupRow {
  at: number;
  samples: number;
  cpu_sum: number;
  memory_used_sum: number;
  memory_total: number;
  disk_used_sum: number;
  disk_total: number;
  load1_sum: number;
  network_rx_sum: number;
  network_tx_sum: number;
}

interface SampleRow {
  at: number;
  cpu_percent: number;
  memory_used: number;
  memory_total: number;
  disk_used: number;
  disk_total: number;
  load1: number;
  network_rx: number;
  network_tx: number;
}

/** One sample's stored figures, in column order after the time: the same values go raw and into the minute. */
type Figures = [number, number, number, number, number, number, number, number];

/**
 * This node's resource samples: raw rows plus per-minute averages maintained on insert. A sample every few
 * seconds is one small transaction, so there is no buffering here (unlike check results).
 */
export class ResourceHistoryRepository {
  private readonly recordTx: (sample: ResourceSample) => boolean;
  private readonly rawStmt;
  private readonly rollupStmt;
  private readonly pruneRawStmt;
  private readonly pruneRollupsStmt;

  constructor(
    private readonly db: Database,
    private readonly options: { pruneBatchSize?: number } = {},
  ) {
    // `at` is the primary key: a sample recorded twice (same timestamp) is kept once and counted once.
    const insertSample = db.prepare<[number, ...Figures]>(
      `INSERT INTO resource_samples
         (at, cpu_percent, memory_used, memory_total, disk_used, disk_total, load1, network_rx, network_tx)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (at) DO NOTHING`,
    );
    const upsertRollup = db.prepare<[number, ...Figures]>(
      `INSERT INTO resource_rollups (minute, samples, cpu_sum, memory_used_sum, memory_total, disk_used_sum,
                                     disk_total, load1_sum, network_rx_sum, network_tx_sum)
       VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (minute) DO UPDATE SET
         samples = samples + 1,
         cpu_sum = cpu_sum + excluded.cpu_sum,
         memory_used_sum = memory_used_sum + excluded.memory_used_sum,
         memory_total = excluded.memory_total,
         disk_used_sum = disk_used_sum + excluded.disk_used_sum,
         disk_total = excluded.disk_total,
         load1_sum = load1_sum + excluded.load1_sum,
         network_rx_sum = network_rx_sum + excluded.network_rx_sum,
         network_tx_sum = network_tx_sum + excluded.network_tx_sum`,
    );
    this.recordTx = db.transaction((s: ResourceSample) => {
      const { cpu, memory, disk, load, network } = s;
      const figures: Figures = [
        cpu.loadPercent,
        memory.usedBytes,
        memory.totalBytes,
        disk.usedBytes,
        disk.totalBytes,
        load.avg1,
        network.rxBytesPerSec,
        network.txBytesPerSec,
      ];
      const inserted = insertSample.run(s.sampledAt, ...figures);
      if (inserted.changes === 0) return false;
      upsertRollup.run(minuteOf(s.sampledAt), ...figures);
      return true;
    });
    this.rawStmt = db.prepare<[number, number, number], SampleRow>(
      `SELECT at, cpu_percent, memory_used, memory_total, disk_used, disk_total, load1, network_rx, network_tx
       FROM resource_samples WHERE at >= ? AND at <= ? ORDER BY at LIMIT ?`,
    );
    this.rollupStmt = db.prepare<[number, number, number], RollupRow>(
      `SELECT minute - minute % ? AS at, sum(samples) AS samples, sum(cpu_sum) AS cpu_sum,
              sum(memory_used_sum) AS memory_used_sum, max(memory_total) AS memory_total,
              sum(disk_used_sum) AS disk_used_sum, max(disk_total) AS disk_total,
              sum(load1_sum) AS load1_sum, sum(network_rx_sum) AS network_rx_sum,
              sum(network_tx_sum) AS network_tx_sum
       FROM resource_rollups WHERE minute >= ? AND minute <= ? GROUP BY 1 ORDER BY 1`,
    );
    this.pruneRawStmt = db.prepare<[number, number]>(
      'DELETE FROM resource_samples WHERE at IN (SELECT at FROM resource_samples WHERE at < ? ORDER BY at LIMIT ?)',
    );
    this.pruneRollupsStmt = db.prepare<[number, number]>(
      `DELETE FROM resource_rollups
       WHERE minute IN (SELECT minute FROM resource_rollups WHERE minute < ? ORDER BY minute LIMIT ?)`,
    );
  }

  /** Stores a sample and folds it into its minute's averages, in one transaction; false when already stored. */
  record(sample: ResourceSample): boolean {
    return this.recordTx(sample);
  }

  /**
   * Resource points between `fromMs` and `toMs` (inclusive): raw samples when the whole range is within raw
   * retention and fits in `maxPoints`, otherwise averages over whole-minute buckets, at most `maxPoints`.
   */
  history(
    fromMs: number,
    toMs: number,
    rawRetentionMs: number,
    now: number,
    maxPoints = HISTORY_MAX_POINTS,
  ): ResourcePoint[] {
    if (maxPoints < 2) throw new RangeError('maxPoints must be at least 2');
    if (toMs < fromMs) return [];
    if (fromMs >= now - rawRetentionMs) {
      const rows = this.rawStmt.all(fromMs, toMs, maxPoints + 1);
      if (rows.length <= maxPoints) {
        return rows.map((row) => ({
          at: row.at,
          cpuPercent: row.cpu_percent,
          memoryUsedBytes: row.memory_used,
          memoryTotalBytes: row.memory_total,
          diskUsedBytes: row.disk_used,
          diskTotalBytes: row.disk_total,
          load1: row.load1,
          networkRxBytesPerSec: row.network_rx,
          networkTxBytesPerSec: row.network_tx,
        }));
      }
    }
    const bucketMs = rollupBucketMs(fromMs, toMs, maxPoints);
    return this.rollupStmt.all(bucketMs, minuteOf(fromMs), toMs).map((row) => ({
      at: row.at,
      cpuPercent: Math.min(100, Math.max(0, row.cpu_sum / row.samples)),
      memoryUsedBytes: row.memory_used_sum / row.samples,
      memoryTotalBytes: row.memory_total,
      diskUsedBytes: row.disk_used_sum / row.samples,
      diskTotalBytes: row.disk_total,
      load1: Math.max(0, row.load1_sum / row.samples),
      networkRxBytesPerSec: Math.max(0, row.network_rx_sum / row.samples),
      networkTxBytesPerSec: Math.max(0, row.network_tx_sum / row.samples),
    }));
  }

  /** Deletes raw samples and minute averages past their retention, in short batches (see CheckHistoryRepository). */
  async prune(now: number, rawRetentionMs: number, rollupRetentionMs: number): Promise<PruneCounts> {
    const batch = this.options.pruneBatchSize ?? PRUNE_BATCH_SIZE;
    return {
      raw: await deleteInBatches(this.db, this.pruneRawStmt, now - rawRetentionMs, batch),
      rollups: await deleteInBatches(this.db, this.pruneRollupsStmt, minuteOf(now - rollupRetentionMs), batch),
    };
  }
}
