import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 5 (resource samples)', () => {
  it('adds the resource history tables to a version-4 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 4);
    const before = insertUserData(db);

    expect(migrateTo(db, 5)).toEqual({ from: 4, to: 5, applied: ['5 resource samples'] });
    expect(tablesOf(db)).toEqual(
      [...Object.keys(before), 'schema_migrations', 'resource_samples', 'resource_rollups'].sort(),
    );
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(tableRows(db, ['resource_samples', 'resource_rollups'])).toEqual({
      resource_samples: [],
      resource_rollups: [],
    });
  });

  it('keeps one sample per millisecond and one roll-up per minute, and reads a time range by its key', () => {
    const db = newDatabase();
    migrateTo(db, 5);
    const sample = db.prepare(
      'INSERT INTO resource_samples (at, cpu_percent, memory_used, memory_total, disk_used, disk_total) VALUES (?, ?, 4, 16, 100, 500)',
    );
    sample.run(1000, 12.5);
    expect(() => sample.run(1000, 40)).toThrow('UNIQUE constraint failed: resource_samples.at');
    const rollup = db.prepare(
      `INSERT INTO resource_rollups (minute, samples, cpu_sum, memory_used_sum, memory_total, disk_used_sum, disk_total)
       VALUES (0, 1, 12.5, 4, 16, 100, 500)`,
    );
    rollup.run();
    expect(() => rollup.run()).toThrow('UNIQUE constraint failed: resource_rollups.minute');

    expect(rowsOf(db, 'resource_samples')).toEqual([
      { at: 1000, cpu_percent: 12.5, memory_used: 4, memory_total: 16, disk_used: 100, disk_total: 500 },
    ]);
    expect(queryPlan(db, 'SELECT * FROM resource_samples WHERE at >= 0 AND at <= 60000 ORDER BY at')).toContain(
      'USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)',
    );
    expect(queryPlan(db, 'SELECT * FROM resource_rollups WHERE minute >= 0 AND minute <= 60000')).toContain(
      'USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)',
    );
  });
});
