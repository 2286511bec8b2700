import { describe, expect, it } from 'vitest';
import { columnsOf, migrateTo, newDatabase, tablesOf } from './migrate-to.js';

describe('migration 21 (anomaly baselines)', () => {
  it('adds one baseline row per service and signal', () => {
    const db = newDatabase();
    migrateTo(db, 20);
    expect(tablesOf(db)).not.toContain('anomaly_baselines');

    expect(migrateTo(db, 21).applied).toEqual(['21 anomaly baselines']);
    expect(columnsOf(db, 'anomaly_baselines').map((column) => column.name)).toEqual([
      'service_id',
      'signal',
      'state',
      'updated_at',
    ]);
    const insert = db.prepare(
      `INSERT INTO anomaly_baselines (service_id, signal, state, updated_at) VALUES ('api', 'latencyP95', '{}', 1)`,
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
    db.prepare(
      `INSERT INTO anomaly_baselines (service_id, signal, state, updated_at) VALUES ('api', 'throughput', '{}', 1)`,
    ).run();
    expect(db.prepare('SELECT count(*) AS n FROM anomaly_baselines').get()).toEqual({ n: 2 });
  });
});
