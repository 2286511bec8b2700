import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../../electron/store/check-history-repository.js';
import { migrations } from '../../../electron/store/migrations/index.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { ResourceHistoryRepository } from '../../../electron/store/resource-history-repository.js';
import { databaseFileName } from '../../../electron/store/store.js';
import type { ResourceSample } from '../../../shared/node.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GB = 1024 ** 3;
const t0 = Date.UTC(2026, 0, 1);
const opened: Database.Database[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function open(options?: ConstructorParameters<typeof ResourceHistoryRepository>[1]) {
  const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-resources-')), databaseFileName);
  const { db } = openDatabase(file, { now: t0 });
  opened.push(db);
  const repo = new ResourceHistoryRepository(db, options);
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { db, repo, count };
}

/** Load is a tenth of the CPU figure, received bytes per second 1000 times it, sent half of received. */
const sample = (sampledAt: number, cpu: number, memoryGb = 4, diskGb = 100): ResourceSample => ({
  sampledAt,
  cpu: { loadPercent: cpu, cores: 2 },
  memory: { usedBytes: memoryGb * GB, totalBytes: 16 * GB },
  disk: { mount: '/', usedBytes: diskGb * GB, totalBytes: 500 * GB },
  load: { avg1: cpu / 10, avg5: 1, avg15: 1 },
  network: { rxBytesPerSec: cpu * 1000, txBytesPerSec: cpu * 500 },
  disks: [{ mount: '/', fs: '/dev/sda1', usedBytes: diskGb * GB, totalBytes: 500 * GB }],
});

/** A sample every `everyMs`; cpu cycles 0, 10, ..., 50 within each minute at 10 s. */
function seed(repo: ResourceHistoryRepository, from: number, to: number, everyMs: number) {
  for (let at = from; at < to; at += everyMs) repo.record(sample(at, ((at - t0) / 1000) % 60, 4 + ((at - t0) % 2)));
}

describe('ResourceHistoryRepository', () => {
  it('writes the raw sample and its minute average together, counting a repeated sample once', () => {
    const { db, repo, count } = open();
    expect(repo.record(sample(t0 + 1000, 20, 4))).toBe(true);
    expect(repo.record(sample(t0 + 31_000, 40, 6))).toBe(true);
    expect(repo.record(sample(t0 + 31_000, 99, 9))).toBe(false);
    expect(count('resource_samples')).toBe(2);
    expect(db.prepare('SELECT * FROM resource_rollups').all()).toEqual([
      {
        minute: t0,
        samples: 2,
        cpu_sum: 60,
        memory_used_sum: 10 * GB,
        memory_total: 16 * GB,
        disk_used_sum: 200 * GB,
        disk_total: 500 * GB,
        load1_sum: 6,
        network_rx_sum: 60_000,
        network_tx_sum: 30_000,
      },
    ]);
  });

  it('reads rows stored before load and network were recorded (schema 6) as 0 for them', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-resources-')), databaseFileName);
    const v6 = openDatabase(file, { now: t0, migrations: migrations.filter((m) => m.version <= 6) });
    v6.db.prepare('INSERT INTO resource_samples VALUES (?, 12, 4, 16, 100, 500)').run(t0 + 1000);
    v6.db.prepare('INSERT INTO resource_rollups VALUES (?, 1, 12, 4, 16, 100, 500)').run(t0);
    v6.db.close();

    const { db, migration } = openDatabase(file, { now: t0 });
    opened.push(db);
    expect(migration.applied).toContain('7 resource load and network');
    const repo = new ResourceHistoryRepository(db);
    const zeros = { load1: 0, networkRxBytesPerSec: 0, networkTxBytesPerSec: 0 };
    expect(repo.history(t0, t0 + MINUTE_MS, HOUR, t0 + MINUTE_MS)).toEqual([
      {
        at: t0 + 1000,
        cpuPercent: 12,
        memoryUsedBytes: 4,
        memoryTotalBytes: 16,
        diskUsedBytes: 100,
        diskTotalBytes: 500,
        ...zeros,
      },
    ]);
    expect(repo.history(t0, t0 + MINUTE_MS, HOUR, t0 + 2 * HOUR)).toEqual([
      {
        at: t0,
        cpuPercent: 12,
        memoryUsedBytes: 4,
        memoryTotalBytes: 16,
        diskUsedBytes: 100,
        diskTotalBytes: 500,
        ...zeros,
      },
    ]);
    // A minute that spans the upgrade goes on accumulating into the same row.
    expect(repo.record(sample(t0 + 2000, 20))).toBe(true);
    expect(repo.history(t0, t0 + MINUTE_MS, HOUR, t0 + 2 * HOUR)[0]).toMatchObject({
      cpuPercent: 16,
      load1: 1,
      networkRxBytesPerSec: 10_000,
    });
  });

  it('rolls back both writes when one fails', () => {
    const { db, repo, count } = open();
    db.exec(`CREATE TRIGGER poison BEFORE INSERT ON resource_rollups BEGIN SELECT RAISE(ABORT, 'no room'); END`);
    expect(() => repo.record(sample(t0, 10))).toThrow(/no room/);
    expect([count('resource_samples'), count('resource_rollups')]).toEqual([0, 0]);
  });

  it('returns raw samples when the range is within raw retention', () => {
    const { repo } = open();
    const now = t0 + 2 * HOUR;
    seed(repo, t0, now, 10_000);
    const points = repo.history(now - 10 * MINUTE_MS, now, HOUR, now);
    expect(points).toHaveLength(60);
    expect(points[0]).toEqual({
      at: now - 10 * MINUTE_MS,
      cpuPercent: 0,
      memoryUsedBytes: 4 * GB,
      memoryTotalBytes: 16 * GB,
      diskUsedBytes: 100 * GB,
      diskTotalBytes: 500 * GB,
      load1: 0,
      networkRxBytesPerSec: 0,
      networkTxBytesPerSec: 0,
    });
    expect(points[3]).toMatchObject({
      cpuPercent: 30,
      load1: 3,
      networkRxBytesPerSec: 30_000,
      networkTxBytesPerSec: 15_000,
    });
  });

  it('returns per-minute averages past raw retention, and when raw samples exceed the cap', () => {
    const { repo } = open();
    const now = t0 + 2 * HOUR;
    seed(repo, t0, now, 10_000);
    const old = repo.history(t0, t0 + HOUR - 1, HOUR, now);
    expect(old).toHaveLength(60);
    expect(old[0]).toEqual({
      at: t0,
      cpuPercent: 25, // 0, 10, ..., 50
      memoryUsedBytes: 4 * GB,
      memoryTotalBytes: 16 * GB,
      diskUsedBytes: 100 * GB,
      diskTotalBytes: 500 * GB,
      load1: 2.5,
      networkRxBytesPerSec: 25_000,
      networkTxBytesPerSec: 12_500,
    });
    expect(repo.history(now - 10 * MINUTE_MS, now - 1, HOUR, now, 20)).toHaveLength(10);
  });

  it('caps long ranges by averaging over larger buckets', () => {
    const { repo } = open();
    const now = t0 + 2 * DAY;
    seed(repo, t0, now, MINUTE_MS);
    const points = repo.history(t0, now - 1, HOUR, now);
    expect(points.length).toBeLessThanOrEqual(2000);
    expect(points[1]!.at - points[0]!.at).toBe(2 * MINUTE_MS);
    const coarse = repo.history(t0, now - 1, HOUR, now, 48);
    expect(coarse.length).toBeLessThanOrEqual(48);
    for (const point of coarse) expect(point.cpuPercent).toBeGreaterThanOrEqual(0);
  });

  it('prunes raw samples and averages past retention, in batches, keeping the rest', async () => {
    const { repo, count } = open({ pruneBatchSize: 10 });
    const now = t0 + 3 * DAY;
    seed(repo, t0, now, 10 * MINUTE_MS);
    expect(await repo.prune(now, DAY, 2 * DAY)).toEqual({ raw: 288, rollups: 144 });
    expect([count('resource_samples'), count('resource_rollups')]).toEqual([144, 288]);
    expect(repo.history(now - DAY, now, DAY, now)).toHaveLength(144);
  });

  it('keeps months of samples bounded', async () => {
    const { repo, count } = open({ pruneBatchSize: 500 });
    const every = 2 * MINUTE_MS;
    for (let day = 0; day < 100; day++) {
      seed(repo, t0 + day * DAY, t0 + (day + 1) * DAY, every);
      await repo.prune(t0 + (day + 1) * DAY, DAY, 30 * DAY);
      expect(count('resource_samples')).toBeLessThanOrEqual(DAY / every);
      expect(count('resource_rollups')).toBeLessThanOrEqual((30 * DAY) / every);
    }
  });
});
