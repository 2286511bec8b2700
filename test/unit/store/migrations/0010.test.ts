import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 10 (log matches)', () => {
  it('adds the log matches and offsets tables to a version-9 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 9);
    const before = insertUserData(db);

    expect(migrateTo(db, 10)).toEqual({ from: 9, to: 10, applied: ['10 log matches'] });
    expect(tablesOf(db)).toEqual([...Object.keys(before), 'schema_migrations', 'log_matches', 'log_offsets'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(tableRows(db, ['log_matches', 'log_offsets'])).toEqual({ log_matches: [], log_offsets: [] });
  });

  it('keeps one exact position per log source, a file not yet seen, and refuses a negative offset', () => {
    const db = newDatabase();
    migrateTo(db, 10);
    const insert = db.prepare(
      'INSERT INTO log_offsets (source, path, dev, ino, offset, updated_at) VALUES (?, ?, ?, ?, ?, 1000)',
    );
    const bigInode = '18446744073709551557';
    insert.run('worker', '/var/log/worker.log', '2049', bigInode, 88_231);
    insert.run('web', '/var/log/web/access.log', null, null, 0);

    expect(() => insert.run('worker', '/var/log/worker.log', '2049', bigInode, 0)).toThrow(
      'UNIQUE constraint failed: log_offsets.source',
    );
    expect(() => insert.run('api', '/var/log/api.log', '2049', '12', -1)).toThrow(
      'CHECK constraint failed: offset >= 0',
    );
    expect(rowsOf(db, 'log_offsets')).toEqual([
      { source: 'web', path: '/var/log/web/access.log', dev: null, ino: null, offset: 0, updated_at: 1000 },
      { source: 'worker', path: '/var/log/worker.log', dev: '2049', ino: bigInode, offset: 88_231, updated_at: 1000 },
    ]);
  });

  it("finds a pattern's latest match, trims a pattern and prunes old matches from indexes", () => {
    const db = newDatabase();
    migrateTo(db, 10);
    expect(queryPlan(db, `SELECT max(at) FROM log_matches WHERE pattern_id = 'oom'`)).toContain(
      'log_matches_by_pattern_time (pattern_id=?)',
    );
    const trim = queryPlan(
      db,
      `DELETE FROM log_matches WHERE pattern_id = 'oom' AND id <= (
         SELECT id FROM log_matches WHERE pattern_id = 'oom' ORDER BY id DESC LIMIT 1 OFFSET 1000)`,
    );
    expect(trim).toContain('log_matches_by_pattern_id (pattern_id=?');
    expect(trim).not.toContain('TEMP B-TREE');
    expect(queryPlan(db, 'DELETE FROM log_matches WHERE at < 5000')).toContain('log_matches_by_time (at<?)');
  });
});
