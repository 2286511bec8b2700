import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

const hash = (fill: number) => Buffer.alloc(32, fill);

describe('migration 14 (api tokens)', () => {
  it('adds the token table to a version-13 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 13);
    const before = insertUserData(db);
    const sequence = rowsOf(db, 'sqlite_sequence');
    const tables = tablesOf(db);

    expect(migrateTo(db, 14)).toEqual({ from: 13, to: 14, applied: ['14 api tokens'] });
    expect(tablesOf(db)).toEqual([...tables, 'api_tokens'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'sqlite_sequence')).toEqual(sequence);
    expect(rowsOf(db, 'api_tokens')).toEqual([]);
  });

  it('keeps one active token per name, a known scope and a 32-byte hash', () => {
    const db = newDatabase();
    migrateTo(db, 14);
    const insert = db.prepare(
      `INSERT INTO api_tokens (id, name, scope, prefix, hash, created_at, revoked_at) VALUES (?, ?, ?, 'fd_abcdef', ?, 0, ?)`,
    );
    insert.run('tok_000000000001', 'grafana', 'read', hash(1), null);
    expect(() => insert.run('tok_000000000002', 'grafana', 'admin', hash(2), null)).toThrow(
      'UNIQUE constraint failed: api_tokens.name',
    );
    // A revoked token leaves its name free for a new one.
    db.prepare(`UPDATE api_tokens SET revoked_at = 5 WHERE id = 'tok_000000000001'`).run();
    insert.run('tok_000000000003', 'grafana', 'read', hash(3), null);
    insert.run('tok_000000000004', 'grafana', 'read', hash(4), 9);
    expect(() => insert.run('tok_000000000005', 'ci', 'root', hash(5), null)).toThrow('CHECK constraint failed');
    expect(() => insert.run('tok_000000000006', 'ci', 'read', Buffer.alloc(16), null)).toThrow(
      'CHECK constraint failed',
    );
    expect(db.prepare(`SELECT count(*) AS n FROM api_tokens WHERE name = 'grafana'`).get()).toEqual({ n: 3 });
  });

  it('finds a presented token by its prefix from an index', () => {
    const db = newDatabase();
    migrateTo(db, 14);
    expect(queryPlan(db, `SELECT * FROM api_tokens WHERE prefix = 'fd_abcdef'`)).toContain(
      'USING INDEX api_tokens_by_prefix (prefix=?)',
    );
  });
});
