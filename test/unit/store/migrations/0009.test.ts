import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 9 (supervised processes)', () => {
  it('adds the supervised processes table to a version-8 database and keeps the supervisor history', () => {
    const db = newDatabase();
    migrateTo(db, 8);
    const before = insertUserData(db);
    expect(before.supervisor_events).not.toEqual([]);

    expect(migrateTo(db, 9)).toEqual({ from: 8, to: 9, applied: ['9 supervised processes'] });
    expect(tablesOf(db)).toEqual([...Object.keys(before), 'schema_migrations', 'supervised_processes'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'supervised_processes')).toEqual([]);
  });

  it('remembers one process per service and refuses a pid that is not a number', () => {
    const db = newDatabase();
    migrateTo(db, 9);
    const insert = db.prepare(
      'INSERT INTO supervised_processes (service_id, pid, argv, started_at) VALUES (?, ?, ?, 1000)',
    );
    const argv = JSON.stringify(['node', 'worker.js', '--port', '9100']);
    insert.run('worker', 48_213, argv);

    expect(() => insert.run('worker', 48_240, argv)).toThrow(
      'UNIQUE constraint failed: supervised_processes.service_id',
    );
    expect(() => insert.run('web', 'pid 7', argv)).toThrow(
      'cannot store TEXT value in INTEGER column supervised_processes.pid',
    );
    expect(rowsOf(db, 'supervised_processes')).toEqual([{ service_id: 'worker', pid: 48_213, argv, started_at: 1000 }]);
  });
});
