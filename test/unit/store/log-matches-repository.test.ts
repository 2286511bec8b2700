import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LogMatchesRepository,
  type LogMatchQuery,
  type NewLogMatch,
} from '../../../electron/store/log-matches-repository.js';
import { LogOffsetsRepository } from '../../../electron/store/log-offsets-repository.js';
import { migrations } from '../../../electron/store/migrations/index.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';

const now = Date.UTC(2026, 0, 1);
const opened: Database.Database[] = [];

function open() {
  const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-log-matches-')), databaseFileName);
  const { db } = openDatabase(file, { now });
  opened.push(db);
  return { db, matches: new LogMatchesRepository(db), offsets: new LogOffsetsRepository(db) };
}

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

const match = (patternId: string, at: number, line = `line at ${at}`, source = 'web'): NewLogMatch => ({
  patternId,
  source,
  line,
  at,
});

describe('LogMatchesRepository', () => {
  it('pages newest first, per pattern or all, going back with beforeId', () => {
    const { matches } = open();
    matches.insertMany(
      [match('errors', now), match('slow', now + 1), match('errors', now + 2), match('errors', now + 3)],
      100,
    );
    const all = matches.list({ limit: 10 });
    expect(all.map((m) => [m.patternId, m.at])).toEqual([
      ['errors', now + 3],
      ['errors', now + 2],
      ['slow', now + 1],
      ['errors', now],
    ]);
    expect(all[0]).toEqual({
      id: expect.any(Number),
      patternId: 'errors',
      source: 'web',
      line: `line at ${now + 3}`,
      at: now + 3,
    });

    const firstPage = matches.list({ patternIds: ['errors'], limit: 2 });
    expect(firstPage.map((m) => m.at)).toEqual([now + 3, now + 2]);
    const nextPage = matches.list({ patternIds: ['errors'], beforeId: firstPage[1]!.id, limit: 2 });
    expect(nextPage.map((m) => m.at)).toEqual([now]);
    expect(matches.list({ beforeId: all[1]!.id, limit: 1 }).map((m) => m.patternId)).toEqual(['slow']);
    expect(matches.list({ patternIds: ['nobody'], limit: 5 })).toEqual([]);
  });

  it('filters by patterns, source and time window together, still paging newest first', () => {
    const { matches } = open();
    matches.insertMany(
      [
        match('errors', now, 'e0', 'web'),
        match('slow', now + 1000, 's1', 'db'),
        match('errors', now + 2000, 'e2', 'db'),
        match('auth', now + 3000, 'a3', 'web'),
        match('errors', now + 4000, 'e4', 'web'),
        match('slow', now + 5000, 's5', 'web'),
      ],
      100,
    );
    const lines = (query: Omit<LogMatchQuery, 'limit'>, limit = 10) =>
      matches.list({ ...query, limit }).map((m) => m.line);

    expect(lines({ source: 'web' })).toEqual(['s5', 'e4', 'a3', 'e0']);
    expect(lines({ source: 'db' })).toEqual(['e2', 's1']);
    expect(lines({ source: 'nowhere' })).toEqual([]);
    expect(lines({ patternIds: ['errors', 'auth'] })).toEqual(['e4', 'a3', 'e2', 'e0']);
    expect(lines({ patternIds: [] })).toEqual([]);
    // Both bounds are inclusive.
    expect(lines({ from: now + 1000, to: now + 4000 })).toEqual(['e4', 'a3', 'e2', 's1']);
    expect(lines({ from: now + 4001 })).toEqual(['s5']);
    expect(lines({ to: now + 999 })).toEqual(['e0']);
    expect(lines({ patternIds: ['errors'], source: 'web', from: now + 1, to: now + 5000 })).toEqual(['e4']);

    const firstPage = matches.list({ source: 'web', from: now, limit: 2 });
    expect(firstPage.map((m) => m.line)).toEqual(['s5', 'e4']);
    expect(lines({ source: 'web', from: now, beforeId: firstPage[1]!.id }, 2)).toEqual(['a3', 'e0']);
  });

  it('counts a pattern matches since a time, and knows its latest', () => {
    const { matches } = open();
    matches.insertMany([match('errors', now), match('errors', now + 1000), match('slow', now + 2000)], 100);
    expect(matches.countSince('errors', now)).toBe(2);
    expect(matches.countSince('errors', now + 1)).toBe(1);
    expect(matches.countSince('errors', now + 1001)).toBe(0);
    expect(matches.lastMatchAt('errors')).toBe(now + 1000);
    expect(matches.lastMatchAt('nobody')).toBeNull();
  });

  it('keeps only the newest N of a pattern on insert, leaving other patterns alone', () => {
    const { matches } = open();
    matches.insertMany([match('other', now)], 3);
    matches.insertMany(
      Array.from({ length: 5 }, (_, i) => match('errors', now + i)),
      3,
    );
    matches.insertMany([match('errors', now + 10)], 3);
    expect(matches.list({ patternIds: ['errors'], limit: 10 }).map((m) => m.at)).toEqual([now + 10, now + 4, now + 3]);
    expect(matches.countSince('other', 0)).toBe(1);
  });

  it('prunes by age and by the per-pattern cap', () => {
    const { matches } = open();
    matches.insertMany(
      Array.from({ length: 6 }, (_, i) => match('errors', now + i * 1000)),
      100,
    );
    matches.insertMany([match('slow', now), match('slow', now + 5000)], 100);
    expect(matches.prune(now + 2000, 2)).toBe(2 + 2 + 1);
    expect(matches.list({ limit: 10 }).map((m) => [m.patternId, m.at])).toEqual([
      ['slow', now + 5000],
      ['errors', now + 5000],
      ['errors', now + 4000],
    ]);
  });

  it('refuses a cap below one or a bad limit', () => {
    const { matches } = open();
    expect(() => matches.insertMany([match('errors', now)], 0)).toThrow(/keepPerPattern/);
    expect(() => matches.list({ limit: -1 })).toThrow(/limit/);
  });

  it('commits matches and offsets together, or neither', () => {
    const { matches, offsets } = open();
    expect(() =>
      matches.transaction(() => {
        matches.insertMany([match('errors', now)], 100);
        offsets.saveMany([{ source: 'web', path: '/var/log/web.log', file: { dev: '1', ino: '2' }, offset: 10 }], now);
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(matches.list({ limit: 10 })).toEqual([]);
    expect(offsets.get('web')).toBeNull();
  });
});

describe('migration 10 (log matches)', () => {
  it('adds the log tables to a version-9 database, keeping its data', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-log-matches-')), databaseFileName);
    const before = migrations.filter((migration) => migration.version < 10);
    const v9 = openDatabase(file, { now, migrations: before });
    v9.db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('node.id', 'kept', 1)`).run();
    v9.db.close();

    const { db, migration } = openDatabase(file, { now });
    opened.push(db);
    expect(migration.applied).toContain('10 log matches');
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'node.id'`).get()).toEqual({ value: 'kept' });
    expect(new LogMatchesRepository(db).list({ limit: 1 })).toEqual([]);
    expect(new LogOffsetsRepository(db).list()).toEqual([]);
  });

  it('answers window counts and newest-first pages from an index, not a table scan', () => {
    const { db } = open();
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((row) => row.detail).join('; ');
    expect(plan(`SELECT count(*) FROM log_matches WHERE pattern_id = 'a' AND at >= 5`)).toContain(
      'USING COVERING INDEX log_matches_by_pattern_time',
    );
    const page = plan(`SELECT * FROM log_matches WHERE pattern_id = 'a' AND id < 9 ORDER BY id DESC LIMIT 10`);
    expect(page).toContain('log_matches_by_pattern_id');
    expect(page).not.toContain('TEMP B-TREE');
  });
});

describe('LogOffsetsRepository', () => {
  it('saves, replaces, lists and deletes positions, keeping inode numbers exact', () => {
    const { offsets } = open();
    const bigInode = '18446744073709551557';
    offsets.saveMany(
      [
        { source: 'web', path: '/logs/web.log', file: { dev: '2049', ino: bigInode }, offset: 1234 },
        { source: 'later', path: '/logs/later.log', file: null, offset: 0 },
      ],
      now,
    );
    expect(offsets.get('web')).toEqual({
      source: 'web',
      path: '/logs/web.log',
      file: { dev: '2049', ino: bigInode },
      offset: 1234,
    });
    expect(offsets.get('later')).toEqual({ source: 'later', path: '/logs/later.log', file: null, offset: 0 });

    offsets.saveMany([{ source: 'web', path: '/logs/web.log', file: { dev: '2049', ino: '7' }, offset: 5 }], now + 1);
    expect(offsets.get('web')?.file).toEqual({ dev: '2049', ino: '7' });
    expect(offsets.list().map((o) => o.source)).toEqual(['later', 'web']);

    expect(offsets.delete('web')).toBe(true);
    expect(offsets.delete('web')).toBe(false);
    expect(offsets.get('web')).toBeNull();
  });

  it('refuses a negative offset', () => {
    const { offsets } = open();
    expect(() => offsets.saveMany([{ source: 'web', path: '/x', file: null, offset: -1 }], now)).toThrow(/CHECK/);
  });
});
