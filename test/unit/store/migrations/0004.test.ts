import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

const checkTables = ['check_results', 'check_rollups', 'check_states'];

describe('migration 4 (check results)', () => {
  it('adds the check history tables to a version-3 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 3);
    const before = insertUserData(db);

    expect(migrateTo(db, 4)).toEqual({ from: 3, to: 4, applied: ['4 check results'] });
    expect(tablesOf(db)).toEqual([...Object.keys(before), 'schema_migrations', ...checkTables].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(tableRows(db, checkTables)).toEqual({ check_results: [], check_rollups: [], check_states: [] });
  });

  it('refuses a result status it does not know, a second roll-up of one minute and a second state of one check', () => {
    const db = newDatabase();
    migrateTo(db, 4);
    const result = db.prepare(
      `INSERT INTO check_results (service_id, check_name, at, status, latency_ms, output)
       VALUES ('web', 'home', 1000, ?, 12.5, 'HTTP 200 in 12 ms')`,
    );
    result.run('passing');
    expect(() => result.run('down')).toThrow(/CHECK constraint failed: status IN/);

    const rollup = db.prepare(
      `INSERT INTO check_rollups (service_id, check_name, minute, runs, passing, warning, critical, unknown,
         latency_sum, latency_max) VALUES ('web', 'home', 0, 1, 1, 0, 0, 0, 12.5, 12.5)`,
    );
    rollup.run();
    expect(() => rollup.run()).toThrow('UNIQUE constraint failed: check_rollups.service_id');

    const state = db.prepare(
      `INSERT INTO check_states (service_id, check_name, state, updated_at) VALUES ('web', 'home', '{}', 1000)`,
    );
    state.run();
    expect(() => state.run()).toThrow('UNIQUE constraint failed: check_states.service_id');

    expect(rowsOf(db, 'check_results')).toEqual([
      {
        id: 1,
        service_id: 'web',
        check_name: 'home',
        at: 1000,
        status: 'passing',
        latency_ms: 12.5,
        output: 'HTTP 200 in 12 ms',
      },
    ]);
  });

  it('answers history reads and pruning from indexes', () => {
    const db = newDatabase();
    migrateTo(db, 4);
    expect(
      queryPlan(
        db,
        `SELECT at, status, latency_ms FROM check_results
         WHERE service_id = 'web' AND check_name = 'home' AND at >= 0 AND at <= 60000 ORDER BY at, id LIMIT 500`,
      ),
    ).toContain('USING INDEX check_results_by_check (service_id=? AND check_name=? AND at>? AND at<?)');
    expect(queryPlan(db, 'SELECT id FROM check_results WHERE at < 60000 ORDER BY at LIMIT 500')).toContain(
      'check_results_by_time (at<?)',
    );
    expect(
      queryPlan(
        db,
        `SELECT sum(runs) FROM check_rollups
         WHERE service_id = 'web' AND check_name = 'home' AND minute >= 0 AND minute <= 60000`,
      ),
    ).toContain('USING PRIMARY KEY (service_id=? AND check_name=? AND minute>? AND minute<?)');
    expect(queryPlan(db, 'SELECT minute FROM check_rollups WHERE minute < 60000 ORDER BY minute LIMIT 500')).toContain(
      'check_rollups_by_time (minute<?)',
    );
  });
});
