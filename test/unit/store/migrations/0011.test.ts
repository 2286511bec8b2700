import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

const atVersion11 = () => {
  const db = newDatabase();
  migrateTo(db, 11);
  return db;
};

const inserter = (db: Database.Database) => {
  const insert = db.prepare(
    `INSERT INTO alerts (rule_id, rule_name, severity, state, value, summary, started_at, firing_at, resolved_at)
     VALUES (@rule, 'CPU above 90%', @severity, @state, 94.2, 'cpu 94.2% for 5 min', 1000, @firingAt, @resolvedAt)`,
  );
  return (alert: { rule: string; severity?: string; state: string; firingAt?: number; resolvedAt?: number }) =>
    Number(insert.run({ severity: 'warning', firingAt: null, resolvedAt: null, ...alert }).lastInsertRowid);
};

describe('migration 11 (alerts)', () => {
  it('adds the alerts table to a version-10 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 10);
    const before = insertUserData(db);

    expect(migrateTo(db, 11)).toEqual({ from: 10, to: 11, applied: ['11 alerts'] });
    expect(tablesOf(db)).toEqual([...Object.keys(before), 'schema_migrations', 'alerts', 'sqlite_sequence'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'alerts')).toEqual([]);
  });

  it('allows one open alert per rule and any number of resolved ones', () => {
    const db = atVersion11();
    const insert = inserter(db);
    insert({ rule: 'high-cpu', state: 'resolved', firingAt: 2000, resolvedAt: 3000 });
    insert({ rule: 'high-cpu', state: 'resolved', firingAt: 4000, resolvedAt: 5000 });
    insert({ rule: 'high-cpu', state: 'pending' });

    expect(() => insert({ rule: 'high-cpu', state: 'firing', firingAt: 6000 })).toThrow(
      'UNIQUE constraint failed: alerts.rule_id',
    );
    insert({ rule: 'disk-full', state: 'firing', firingAt: 6000 });
    expect(rowsOf(db, 'alerts').map((alert) => [alert.rule_id, alert.state])).toEqual([
      ['high-cpu', 'resolved'],
      ['high-cpu', 'resolved'],
      ['high-cpu', 'pending'],
      ['disk-full', 'firing'],
    ]);
  });

  it('refuses an alert whose state and times disagree, or a severity it does not know', () => {
    const insert = inserter(atVersion11());
    const resolvedExactlyWithTime = "CHECK constraint failed: (state = 'resolved') = (resolved_at IS NOT NULL)";
    expect(() => insert({ rule: 'a', state: 'resolved', firingAt: 2000 })).toThrow(resolvedExactlyWithTime);
    expect(() => insert({ rule: 'a', state: 'firing', firingAt: 2000, resolvedAt: 3000 })).toThrow(
      resolvedExactlyWithTime,
    );
    expect(() => insert({ rule: 'a', state: 'firing' })).toThrow(
      "CHECK constraint failed: state <> 'firing' OR firing_at IS NOT NULL",
    );
    expect(() => insert({ rule: 'a', state: 'pending', firingAt: 2000 })).toThrow(
      "CHECK constraint failed: state <> 'pending' OR firing_at IS NULL",
    );
    expect(() => insert({ rule: 'a', state: 'pending', severity: 'fatal' })).toThrow(
      /CHECK constraint failed: severity IN/,
    );
  });

  it('never reuses the id of a deleted alert', () => {
    const db = atVersion11();
    const insert = inserter(db);
    const first = insert({ rule: 'high-cpu', state: 'resolved', firingAt: 2000, resolvedAt: 3000 });
    db.prepare('DELETE FROM alerts').run();
    expect(insert({ rule: 'high-cpu', state: 'pending' })).toBeGreaterThan(first);
  });

  it("pages a rule's alerts and prunes resolved ones from indexes", () => {
    const db = atVersion11();
    const page = queryPlan(db, `SELECT * FROM alerts WHERE rule_id = 'high-cpu' ORDER BY id DESC LIMIT 50`);
    expect(page).toContain('alerts_by_rule (rule_id=?)');
    expect(page).not.toContain('TEMP B-TREE');
    expect(queryPlan(db, `DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < 5000`)).toContain(
      'alerts_resolved_by_time (resolved_at<?)',
    );
  });
});
