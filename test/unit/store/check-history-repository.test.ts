import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyResult, checkKey } from '../../../electron/health/check-state-machine.js';
import {
  CheckHistoryRepository,
  HISTORY_MAX_POINTS,
  MINUTE_MS,
  rollupBucketMs,
} from '../../../electron/store/check-history-repository.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import type { CheckResult, ResultStatus } from '../../../shared/services.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = Date.UTC(2026, 0, 1);
const opened: Database.Database[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function open(options?: ConstructorParameters<typeof CheckHistoryRepository>[1]) {
  const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-checks-')), databaseFileName);
  const { db } = openDatabase(file, { now: t0 });
  opened.push(db);
  const repo = new CheckHistoryRepository(db, options);
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { db, repo, count };
}

const result = (at: number, status: ResultStatus = 'passing', latencyMs = 10): CheckResult => ({
  status,
  output: `${status} at ${at}`,
  latencyMs,
  at,
});

/** One result every `everyMs` from `from` (inclusive) to `to` (exclusive). */
function seed(
  repo: CheckHistoryRepository,
  from: number,
  to: number,
  everyMs: number,
  status: (at: number) => ResultStatus = () => 'passing',
  ref: [string, string] = ['web', 'http'],
) {
  for (let at = from; at < to; at += everyMs) repo.record(ref[0], ref[1], result(at, status(at), (at / 1000) % 100));
  repo.flush();
}

describe('CheckHistoryRepository', () => {
  describe('record and flush', () => {
    it('buffers until flush, then writes raw rows and minute roll-ups', () => {
      const { db, repo, count } = open();
      repo.record('web', 'http', result(t0 + 1000, 'passing', 10));
      repo.record('web', 'http', result(t0 + 20_000, 'warning', 30));
      repo.record('web', 'http', result(t0 + 40_000, 'critical', 20));
      repo.record('web', 'http', result(t0 + 61_000, 'unknown', 5));
      expect(count('check_results')).toBe(0);
      expect(repo.pending).toEqual({ results: 4, states: 0 });

      expect(repo.flush()).toBe(4);
      expect(repo.pending).toEqual({ results: 0, states: 0 });
      expect(count('check_results')).toBe(4);
      expect(db.prepare('SELECT * FROM check_rollups ORDER BY minute').all()).toEqual([
        {
          service_id: 'web',
          check_name: 'http',
          minute: t0,
          runs: 3,
          passing: 1,
          warning: 1,
          critical: 1,
          unknown: 0,
          latency_sum: 60,
          latency_max: 30,
        },
        {
          service_id: 'web',
          check_name: 'http',
          minute: t0 + MINUTE_MS,
          runs: 1,
          passing: 0,
          warning: 0,
          critical: 0,
          unknown: 1,
          latency_sum: 5,
          latency_max: 5,
        },
      ]);
      // A later flush adds to the same minute.
      repo.record('web', 'http', result(t0 + 50_000, 'passing', 40));
      repo.flush();
      expect(
        db.prepare('SELECT runs, passing, latency_sum, latency_max FROM check_rollups WHERE minute = ?').get(t0),
      ).toEqual({ runs: 4, passing: 2, latency_sum: 100, latency_max: 40 });
      expect(repo.flush()).toBe(0);
    });

    it('writes nothing when any part of the batch fails, and keeps the batch for the next flush', () => {
      const { db, repo, count } = open();
      db.exec(`CREATE TRIGGER poison BEFORE INSERT ON check_rollups WHEN NEW.check_name = 'poison'
               BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
      repo.record('web', 'http', result(t0));
      repo.saveState(
        'web',
        'http',
        applyResult(null, result(t0), { failuresBeforeCritical: 1, successesBeforePassing: 1 }),
      );
      repo.record('web', 'poison', result(t0));
      expect(() => repo.flush()).toThrow(/disk on fire/);
      expect([count('check_results'), count('check_rollups'), count('check_states')]).toEqual([0, 0, 0]);
      expect(repo.pending).toEqual({ results: 2, states: 1 });

      repo.record('web', 'http', result(t0 + 1000));
      db.exec('DROP TRIGGER poison');
      expect(repo.flush()).toBe(3);
      expect([count('check_results'), count('check_rollups'), count('check_states')]).toEqual([3, 2, 1]);
      // Raw rows keep their order across the failed flush.
      expect(db.prepare(`SELECT at FROM check_results WHERE check_name = 'http' ORDER BY id`).pluck().all()).toEqual([
        t0,
        t0 + 1000,
      ]);
    });

    it('refuses an invalid result at record time, naming the field', () => {
      const { repo } = open();
      expect(() => repo.record('web', 'http', { ...result(t0), latencyMs: Number.NaN })).toThrow(/latencyMs/);
      expect(() => repo.record('web', 'http', { ...result(t0), status: 'sideways' as ResultStatus })).toThrow(/status/);
      expect(repo.pending.results).toBe(0);
    });

    it('drops the oldest results when flushes keep failing and the buffer is full', () => {
      const { repo } = open({ maxBuffered: 3 });
      for (let i = 0; i < 5; i++) repo.record('web', 'http', result(t0 + i));
      expect(repo.pending.results).toBe(3);
      expect(repo.dropped).toBe(2);
      repo.flush();
      expect(repo.history('web', 'http', t0, t0 + 10, HOUR, t0 + 10).points.map((p) => p.at)).toEqual([
        t0 + 2,
        t0 + 3,
        t0 + 4,
      ]);
    });
  });

  describe('check states', () => {
    const check = { failuresBeforeCritical: 1, successesBeforePassing: 1 };

    it('saves the latest memory of each check and loads them all by key', () => {
      const { repo, db } = open();
      const first = applyResult(null, result(t0), check);
      const second = applyResult(first, result(t0 + 1000, 'critical'), check);
      repo.saveState('web', 'http', first);
      repo.saveState('web', 'http', second);
      repo.saveState('db', 'tcp', first);
      expect(repo.loadStates().size).toBe(0); // not flushed yet
      repo.flush();
      const states = repo.loadStates();
      expect(states).toEqual(
        new Map([
          [checkKey('web', 'http'), second],
          [checkKey('db', 'tcp'), first],
        ]),
      );
      expect(db.prepare(`SELECT updated_at FROM check_states WHERE service_id = 'web'`).pluck().get()).toBe(t0 + 1000);
    });

    it('discards a malformed stored state instead of failing', () => {
      const { repo, db } = open();
      repo.saveState('web', 'http', applyResult(null, result(t0), check));
      repo.flush();
      const insert = db.prepare(
        `INSERT INTO check_states (service_id, check_name, state, updated_at) VALUES (?, ?, ?, 0)`,
      );
      insert.run('web', 'bad-json', '{oops');
      insert.run('web', 'bad-shape', JSON.stringify({ status: 'passing' }));
      insert.run('web', 'old-version', JSON.stringify({ ...applyResult(null, result(t0), check), version: 0 }));
      const discarded: string[] = [];
      const states = repo.loadStates((serviceId, checkName) => discarded.push(checkKey(serviceId, checkName)));
      expect([...states.keys()]).toEqual(['web/http']);
      expect(discarded.sort()).toEqual(['web/bad-json', 'web/bad-shape', 'web/old-version']);
    });
  });

  describe('deleteService and deleteCheck', () => {
    it('remove the stored and queued results, roll-ups and states of one service only', () => {
      const { repo, count } = open();
      const memory = applyResult(null, result(t0), { failuresBeforeCritical: 1, successesBeforePassing: 1 });
      for (const [service, name] of [
        ['web', 'http'],
        ['web', 'tcp'],
        ['db', 'tcp'],
      ] as const) {
        repo.record(service, name, result(t0));
        repo.saveState(service, name, memory);
      }
      repo.flush();
      repo.record('web', 'http', result(t0 + 1000)); // queued, not flushed
      repo.saveState('web', 'http', memory);
      repo.deleteService('web');
      expect(repo.pending).toEqual({ results: 0, states: 0 });
      repo.flush();
      expect([count('check_results'), count('check_rollups'), count('check_states')]).toEqual([1, 1, 1]);
      expect([...repo.loadStates().keys()]).toEqual(['db/tcp']);

      repo.record('db', 'tcp', result(t0 + 1000));
      repo.deleteCheck('db', 'tcp');
      repo.flush();
      expect([count('check_results'), count('check_rollups'), count('check_states')]).toEqual([0, 0, 0]);
    });
  });

  describe('history', () => {
    // Three hours of results every 10 s; raw retention 1 h; "now" is the end.
    const now = t0 + 3 * HOUR;
    const statusAt = (at: number): ResultStatus => {
      const second = Math.floor((at - t0) / 1000) % 3600;
      if (second < 60) return 'critical'; // the first minute of each hour
      if (second >= 600 && second < 610) return 'warning'; // one result at 10:00
      if (second >= 1200 && second < 1210) return 'unknown'; // one result at 20:00
      return 'passing';
    };

    it('returns raw results when the whole range is within raw retention', () => {
      const { repo } = open();
      seed(repo, t0, now, 10_000, statusAt);
      const history = repo.history('web', 'http', now - 30 * MINUTE_MS, now, HOUR, now);
      expect(history.resolution).toBe('raw');
      expect(history.bucketMs).toBe(0);
      expect(history.points).toHaveLength(180);
      expect(history.points[0]).toEqual({ at: now - 30 * MINUTE_MS, status: 'passing', latencyMs: 0, count: 1 });
      const ats = history.points.map((p) => p.at);
      expect(ats).toEqual([...ats].sort((a, b) => a - b));
    });

    it('returns per-minute roll-ups (worst status, average latency) when the range reaches past raw retention', () => {
      const { repo } = open();
      seed(repo, t0, now, 10_000, statusAt);
      const history = repo.history('web', 'http', now - 2 * HOUR, now - HOUR - 1, HOUR, now);
      expect(history.resolution).toBe('minute');
      expect(history.bucketMs).toBe(MINUTE_MS);
      expect(history.points).toHaveLength(60);
      expect(history.points.every((p) => p.count === 6)).toBe(true);
      const at = (minute: number) => history.points.find((p) => p.at === t0 + HOUR + minute * MINUTE_MS)!;
      expect(at(0).status).toBe('critical');
      expect(at(10).status).toBe('warning');
      expect(at(20).status).toBe('unknown');
      expect(at(30).status).toBe('passing');
      // Latency of a result is its second-of-epoch mod 100: the minute at 1:30 has 0, 10, ..., 50 → 25 on average.
      expect(at(30).latencyMs).toBe(((t0 / 1000 + 5400) % 100) + 25);
    });

    it('falls back to roll-ups when the raw results would exceed the cap', () => {
      const { repo } = open();
      seed(repo, t0, now, 10_000, statusAt);
      const history = repo.history('web', 'http', now - 30 * MINUTE_MS, now - 1, HOUR, now, 50);
      expect(history.resolution).toBe('minute');
      expect(history.points).toHaveLength(30);
    });

    it('caps long ranges by grouping minutes into larger buckets, keeping every run counted', () => {
      const { repo } = open();
      seed(repo, t0, now, 10_000, statusAt);
      for (const maxPoints of [20, 37, 100, HISTORY_MAX_POINTS]) {
        const history = repo.history('web', 'http', t0, now - 1, HOUR, now, maxPoints);
        expect(history.points.length).toBeLessThanOrEqual(maxPoints);
        expect(history.bucketMs % MINUTE_MS).toBe(0);
        expect(history.points.reduce((sum, p) => sum + p.count, 0)).toBe(1080);
      }
      const coarse = repo.history('web', 'http', t0, now - 1, HOUR, now, 20);
      expect(coarse.bucketMs).toBe(10 * MINUTE_MS);
      expect(coarse.points.filter((p) => p.status === 'critical')).toHaveLength(3); // the first bucket of each hour
    });

    it('keeps the bucket count within the cap for any range', () => {
      for (const [from, to, max] of [
        [t0 + 59_999, t0 + 30 * DAY, 2000],
        [t0 + 1, t0 + 90 * DAY + 7, 2000],
        [t0, t0 + 1999 * MINUTE_MS, 2000],
        [t0 + 30_000, t0 + 7 * DAY, 3],
      ] as const) {
        const bucket = rollupBucketMs(from, to, max);
        const buckets = Math.floor(to / bucket) - Math.floor((Math.floor(from / MINUTE_MS) * MINUTE_MS) / bucket) + 1;
        expect(buckets).toBeLessThanOrEqual(max);
      }
      expect(rollupBucketMs(t0, t0 + 1999 * MINUTE_MS, 2000)).toBe(MINUTE_MS);
    });

    it('returns nothing for an empty or reversed range', () => {
      const { repo } = open();
      expect(repo.history('web', 'http', t0, t0 + HOUR, HOUR, t0 + HOUR).points).toEqual([]);
      expect(repo.history('web', 'http', t0 + 1, t0, HOUR, t0 + HOUR).points).toEqual([]);
    });
  });

  describe('uptime', () => {
    it('is the share of passing runs over 24 h, 7 d and 30 d, from the roll-ups', () => {
      const { repo } = open();
      const now = t0 + 40 * DAY;
      // One run an hour for 40 days: the last day 6 of 24 failing; days 2-7 all failing; before that all passing.
      seed(repo, t0, now, HOUR, (at) => {
        const ago = now - at;
        if (ago <= DAY) return ago <= 6 * HOUR ? 'critical' : 'passing';
        return ago <= 7 * DAY ? 'warning' : 'passing';
      });
      const uptime = repo.uptime('web', 'http', now);
      expect(uptime.day).toBeCloseTo(18 / 24);
      expect(uptime.week).toBeCloseTo(18 / 168);
      expect(uptime.month).toBeCloseTo((18 + 23 * 24) / (30 * 24));
    });

    it('is null for periods without runs', () => {
      const { repo } = open();
      const now = t0 + 10 * DAY;
      seed(repo, t0, t0 + 2 * DAY, HOUR);
      expect(repo.uptime('web', 'http', now)).toEqual({ day: null, week: null, month: 1, since: t0 });
      expect(repo.uptime('web', 'other', now)).toEqual({ day: null, week: null, month: null, since: null });
    });

    it('says since when, to the millisecond while the raw result is kept, to the minute after', async () => {
      const { repo } = open();
      const first = t0 + 90_500; // 1 min 30.5 s into the day
      seed(repo, first, first + 2 * MINUTE_MS, 10_000);
      expect(repo.uptime('web', 'http', first + 2 * MINUTE_MS).since).toBe(first);
      await repo.prune(t0 + 2 * DAY, HOUR, 30 * DAY);
      expect(repo.uptime('web', 'http', t0 + 2 * DAY).since).toBe(t0 + MINUTE_MS);
      // Only the last 30 days count.
      expect(repo.uptime('web', 'http', t0 + 31 * DAY).since).toBeNull();
    });
  });

  describe('recent', () => {
    it('returns the last results of one check, oldest first, as many as asked', () => {
      const { repo } = open();
      seed(repo, t0, t0 + 10 * MINUTE_MS, MINUTE_MS, (at) => (at >= t0 + 8 * MINUTE_MS ? 'critical' : 'passing'));
      seed(repo, t0, t0 + MINUTE_MS, 1000, () => 'warning', ['web', 'other']);
      const recent = repo.recent('web', 'http', 3);
      expect(recent.map((r) => [r.at, r.status])).toEqual([
        [t0 + 7 * MINUTE_MS, 'passing'],
        [t0 + 8 * MINUTE_MS, 'critical'],
        [t0 + 9 * MINUTE_MS, 'critical'],
      ]);
      expect(recent[2]).toEqual({
        at: t0 + 9 * MINUTE_MS,
        status: 'critical',
        latencyMs: ((t0 + 9 * MINUTE_MS) / 1000) % 100,
      });
      expect(repo.recent('web', 'http', 50)).toHaveLength(10);
      expect(repo.recent('web', 'missing', 5)).toEqual([]);
    });
  });

  describe('prune', () => {
    it('drops raw rows and roll-ups past retention, in batches, and keeps the rest', async () => {
      const { repo, db, count } = open({ pruneBatchSize: 7 });
      const now = t0 + 3 * DAY;
      seed(repo, t0, now, 10 * MINUTE_MS); // 432 results, each in its own minute
      const counts = await repo.prune(now, DAY, 2 * DAY);
      expect(counts).toEqual({ raw: 288, rollups: 144 });
      expect(count('check_results')).toBe(144);
      expect(count('check_rollups')).toBe(288);
      expect(db.prepare('SELECT min(at) FROM check_results').pluck().get()).toBe(now - DAY);
      expect(db.prepare('SELECT min(minute) FROM check_rollups').pluck().get()).toBe(now - 2 * DAY);
      expect(await repo.prune(now, DAY, 2 * DAY)).toEqual({ raw: 0, rollups: 0 });
      // What was kept still answers queries.
      expect(repo.history('web', 'http', now - DAY, now, DAY, now).points).toHaveLength(144);
    });

    it('stops quietly when the database is closed while it yields between batches', async () => {
      const { repo, db } = open({ pruneBatchSize: 10 });
      seed(repo, t0, t0 + DAY, MINUTE_MS);
      const pruning = repo.prune(t0 + 3 * DAY, DAY, 30 * DAY);
      db.close(); // the first batch ran synchronously; the rest would run after a yield
      await expect(pruning).resolves.toEqual({ raw: 10, rollups: 0 });
    });

    it('keeps months of simulated data bounded', async () => {
      const { repo, db, count } = open({ pruneBatchSize: 1000 });
      const checks: Array<[string, string]> = [
        ['web', 'http'],
        ['web', 'tcp'],
        ['db', 'tcp'],
      ];
      const every = 5 * MINUTE_MS;
      const perDay = DAY / every;
      const pages: number[] = [];
      for (let day = 0; day < 120; day++) {
        for (let at = t0 + day * DAY; at < t0 + (day + 1) * DAY; at += every) {
          for (const [service, name] of checks) repo.record(service, name, result(at, at % 7 ? 'passing' : 'critical'));
        }
        repo.flush();
        await repo.prune(t0 + (day + 1) * DAY, DAY, 30 * DAY);
        expect(count('check_results')).toBeLessThanOrEqual(checks.length * perDay);
        expect(count('check_rollups')).toBeLessThanOrEqual(checks.length * perDay * 30);
        pages.push(db.pragma('page_count', { simple: true }) as number);
      }
      // Freed pages are reused: the file stops growing once retention is reached.
      expect(pages[119]!).toBeLessThanOrEqual(pages[45]! * 1.05);
      expect(repo.uptime('web', 'http', t0 + 120 * DAY).month).toBeGreaterThan(0.8);
    });
  });
});
