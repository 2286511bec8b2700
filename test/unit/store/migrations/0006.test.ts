import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 6 (supervisor events)', () => {
  it('adds the supervisor events table to a version-5 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 5);
    const before = insertUserData(db);

    expect(migrateTo(db, 6)).toEqual({ from: 5, to: 6, applied: ['6 supervisor events'] });
    expect(tablesOf(db)).toEqual([...Object.keys(before), 'schema_migrations', 'supervisor_events'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'supervisor_events')).toEqual([]);
  });

  it('refuses an event kind it does not know', () => {
    const db = newDatabase();
    migrateTo(db, 6);
    const insert = db.prepare(
      `INSERT INTO supervisor_events (service_id, at, kind, detail) VALUES ('worker', 1000, ?, 'exit code 137')`,
    );
    insert.run('exit');
    expect(() => insert.run('crash')).toThrow(/CHECK constraint failed: kind IN/);
    expect(rowsOf(db, 'supervisor_events')).toEqual([
      { id: 1, service_id: 'worker', at: 1000, kind: 'exit', detail: 'exit code 137' },
    ]);
  });

  it("reads a service's newest events and counts its restarts from an index, without sorting", () => {
    const db = newDatabase();
    migrateTo(db, 6);
    const recent = queryPlan(
      db,
      `SELECT * FROM supervisor_events WHERE service_id = 'worker' ORDER BY at DESC, id DESC LIMIT 20`,
    );
    expect(recent).toContain('USING INDEX supervisor_events_by_service (service_id=?)');
    expect(recent).not.toContain('TEMP B-TREE');
    expect(
      queryPlan(
        db,
        `SELECT count(*) FROM supervisor_events WHERE service_id = 'worker' AND kind = 'restart' AND at >= 1000`,
      ),
    ).toContain('supervisor_events_by_service (service_id=? AND at>?)');
  });
});
