import { describe, expect, it } from 'vitest';
import { columnsOf, migrateTo, newDatabase, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

const addedColumn = (name: string) => ({ name, type: 'REAL', notnull: 1, dflt_value: '0', pk: 0 });

describe('migration 7 (resource load and network)', () => {
  it('adds load and network to the resource history of a version-6 database, reading 0 for rows stored before', () => {
    const db = newDatabase();
    migrateTo(db, 6);
    const before = insertUserData(db);
    const samplesBefore = before.resource_samples ?? [];
    const rollupsBefore = before.resource_rollups ?? [];
    expect(samplesBefore).not.toEqual([]);
    expect(rollupsBefore).not.toEqual([]);

    expect(migrateTo(db, 7)).toEqual({ from: 6, to: 7, applied: ['7 resource load and network'] });
    expect(tablesOf(db)).toEqual([...Object.keys(before), 'schema_migrations'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual({
      ...before,
      resource_samples: samplesBefore.map((sample) => ({ ...sample, load1: 0, network_rx: 0, network_tx: 0 })),
      resource_rollups: rollupsBefore.map((rollup) => ({
        ...rollup,
        load1_sum: 0,
        network_rx_sum: 0,
        network_tx_sum: 0,
      })),
    });
    expect(columnsOf(db, 'resource_samples').slice(-3)).toEqual(['load1', 'network_rx', 'network_tx'].map(addedColumn));
    expect(columnsOf(db, 'resource_rollups').slice(-3)).toEqual(
      ['load1_sum', 'network_rx_sum', 'network_tx_sum'].map(addedColumn),
    );
  });

  it('stores load and network of new samples and refuses a sample without them', () => {
    const db = newDatabase();
    migrateTo(db, 7);
    const insert = db.prepare(
      `INSERT INTO resource_samples (at, cpu_percent, memory_used, memory_total, disk_used, disk_total, load1,
         network_rx, network_tx) VALUES (?, 12.5, 4, 16, 100, 500, ?, 60000, 30000)`,
    );
    insert.run(1000, 1.5);
    expect(() => insert.run(2000, null)).toThrow('NOT NULL constraint failed: resource_samples.load1');
    expect(rowsOf(db, 'resource_samples')).toEqual([
      {
        at: 1000,
        cpu_percent: 12.5,
        memory_used: 4,
        memory_total: 16,
        disk_used: 100,
        disk_total: 500,
        load1: 1.5,
        network_rx: 60_000,
        network_tx: 30_000,
      },
    ]);
  });
});
