import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 16 (alert rules on signals)', () => {
  it('upgrades a version-15 database with alerts: rows, ids and the id sequence stay; labels and description are added', () => {
    const db = newDatabase();
    migrateTo(db, 15);
    const userData = insertUserData(db);
    const insert = db.prepare(
      `INSERT INTO alerts (rule_id, rule_name, severity, state, value, summary, started_at, firing_at, resolved_at)
       VALUES (?, 'Rule', ?, ?, 97, 'cpu 97% > 90%', 1000, ?, ?)`,
    );
    insert.run('old', 'info', 'resolved', 2000, 3000);
    insert.run('cpu', 'critical', 'firing', 2000, null);
    insert.run('disk', 'warning', 'pending', null, null);
    // The newest alert was pruned: its id must never be handed out again.
    const pruned = Number(insert.run('gone', 'warning', 'resolved', 2000, 4000).lastInsertRowid);
    db.prepare('DELETE FROM alerts WHERE id = ?').run(pruned);
    const before = rowsOf(db, 'alerts');

    expect(migrateTo(db, 16)).toMatchObject({ from: 15, to: 16, applied: ['16 alert rules on signals'] });
    expect(rowsOf(db, 'alerts')).toEqual(before.map((row) => ({ ...row, labels: '{}', description: '' })));
    const others = Object.keys(userData).filter((table) => table !== 'alerts');
    // The user data has alerts too: they are in `before`, compared above.
    expect(tableRows(db, others)).toEqual(Object.fromEntries(others.map((table) => [table, userData[table]])));

    const next = db
      .prepare(
        `INSERT INTO alerts (rule_id, rule_name, severity, state, value, summary, started_at, firing_at, labels,
                             description)
         VALUES ('boom', 'Rule', 'emergency', 'firing', 1, 's', 5000, 5000, '{"team":"ops"}', 'it broke')`,
      )
      .run().lastInsertRowid;
    expect(Number(next)).toBe(pruned + 1);
  });

  it('keeps the checks and indexes: one open alert per rule, known severities, labels an object', () => {
    const db = newDatabase();
    migrateTo(db, 16);
    const insert = db.prepare(
      `INSERT INTO alerts (rule_id, rule_name, severity, state, summary, started_at, firing_at, resolved_at, labels)
       VALUES (?, 'Rule', ?, ?, 's', 1000, ?, ?, ?)`,
    );
    insert.run('a', 'emergency', 'pending', null, null, '{}');
    expect(() => insert.run('a', 'warning', 'pending', null, null, '{}')).toThrow(/UNIQUE constraint/);
    expect(() => insert.run('b', 'fatal', 'pending', null, null, '{}')).toThrow(/CHECK constraint/);
    expect(() => insert.run('c', 'info', 'firing', null, null, '{}')).toThrow(/CHECK constraint/);
    expect(() => insert.run('d', 'info', 'pending', null, null, '["x"]')).toThrow(/CHECK constraint/);
    expect(queryPlan(db, `SELECT * FROM alerts WHERE rule_id = 'a' ORDER BY id DESC LIMIT 50`)).toContain(
      'alerts_by_rule (rule_id=?)',
    );
    expect(queryPlan(db, `DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < 5000`)).toContain(
      'alerts_resolved_by_time (resolved_at<?)',
    );
  });
});
