import { describe, expect, it } from 'vitest';
import { columnsOf, migrateTo, newDatabase, queryPlan, tablesOf } from './migrate-to.js';

describe('migration 20 (service signal minutes)', () => {
  it('adds one row per service and minute, pruned by time through an index', () => {
    const db = newDatabase();
    migrateTo(db, 19);
    expect(tablesOf(db)).not.toContain('service_signal_minutes');

    expect(migrateTo(db, 20).applied).toEqual(['20 service signal minutes']);
    expect(columnsOf(db, 'service_signal_minutes').map((column) => column.name)).toEqual([
      'service_id',
      'minute',
      'covered_ms',
      'requests',
      'errors',
      'buckets',
    ]);
    const insert = db.prepare(
      `INSERT INTO service_signal_minutes (service_id, minute, covered_ms, requests, errors, buckets)
       VALUES ('api', 60000, 60000, 10, NULL, NULL)`,
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
    expect(queryPlan(db, 'DELETE FROM service_signal_minutes WHERE minute < 1')).toContain(
      'service_signal_minutes_by_time',
    );
  });
});
