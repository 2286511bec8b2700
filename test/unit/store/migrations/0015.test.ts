import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 15 (audit log)', () => {
  it('adds the audit log to a version-14 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 14);
    const before = insertUserData(db);
    const tables = tablesOf(db);
    const sequence = rowsOf(db, 'sqlite_sequence');

    expect(migrateTo(db, 15)).toEqual({ from: 14, to: 15, applied: ['15 audit log'] });
    expect(tablesOf(db)).toEqual([...tables, 'audit_log'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'sqlite_sequence')).toEqual(sequence);
    expect(rowsOf(db, 'audit_log')).toEqual([]);
  });

  it('keeps an error code and message on every failed call and on no other, and a whole relay target', () => {
    const db = newDatabase();
    migrateTo(db, 15);
    const insert = db.prepare(
      `INSERT INTO audit_log (at, principal, transport, remote, method, target_member, target_method, params,
         outcome, error_code, error_message, duration_ms)
       VALUES (1, 'ops', ?, '10.0.0.9', 'services.upsert', ?, ?, '{}', ?, ?, ?, 1.5)`,
    );
    insert.run('http', null, null, 'ok', null, null);
    insert.run('ipc', null, null, 'error', 'forbidden', 'may not');
    insert.run('http', 'node-b', 'services.remove', 'ok', null, null);
    expect(() => insert.run('http', null, null, 'ok', 'forbidden', 'may not')).toThrow('CHECK constraint failed');
    expect(() => insert.run('http', null, null, 'error', null, null)).toThrow('CHECK constraint failed');
    expect(() => insert.run('http', null, null, 'failed', 'x', 'y')).toThrow('CHECK constraint failed');
    expect(() => insert.run('smtp', null, null, 'ok', null, null)).toThrow('CHECK constraint failed');
    expect(() => insert.run('http', 'node-b', null, 'ok', null, null)).toThrow('CHECK constraint failed');
    expect(db.prepare(`SELECT params_truncated FROM audit_log WHERE id = 1`).get()).toEqual({ params_truncated: 0 });
  });

  it('never gives an id twice, even after the newest records were removed', () => {
    const db = newDatabase();
    migrateTo(db, 15);
    const insert = db.prepare(
      `INSERT INTO audit_log (at, principal, transport, method, params, outcome, duration_ms)
       VALUES (1, 'ops', 'http', 'tasks.cancel', '{}', 'ok', 1)`,
    );
    insert.run();
    const { lastInsertRowid } = insert.run();
    db.prepare('DELETE FROM audit_log').run();
    expect(Number(insert.run().lastInsertRowid)).toBe(Number(lastInsertRowid) + 1);
  });

  it('prunes by time and lists by principal from indexes', () => {
    const db = newDatabase();
    migrateTo(db, 15);
    const prune = queryPlan(db, 'SELECT id FROM audit_log WHERE at < 5 ORDER BY at LIMIT 100');
    expect(prune).toContain('USING COVERING INDEX audit_log_by_at (at<?)');
    expect(prune).not.toContain('TEMP B-TREE');
    const byPrincipal = queryPlan(
      db,
      `SELECT * FROM audit_log WHERE principal = 'ops' AND id < 100 ORDER BY id DESC LIMIT 100`,
    );
    expect(byPrincipal).toContain('USING INDEX audit_log_by_principal (principal=? AND id<?)');
    expect(byPrincipal).not.toContain('TEMP B-TREE');
  });
});
