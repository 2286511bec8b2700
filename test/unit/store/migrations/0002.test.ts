import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 2 (agent runs)', () => {
  it('adds the agent runs table to a version-1 database and keeps its settings', () => {
    const db = newDatabase();
    migrateTo(db, 1);
    const before = insertUserData(db);

    expect(migrateTo(db, 2)).toEqual({ from: 1, to: 2, applied: ['2 agent runs'] });
    expect(tablesOf(db)).toEqual([...Object.keys(before), 'schema_migrations', 'agent_runs'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'agent_runs')).toEqual([]);
  });

  it('numbers runs in order, keeps a run without a stop time (a crash) and refuses a run without a node', () => {
    const db = newDatabase();
    migrateTo(db, 2);
    const start = db.prepare('INSERT INTO agent_runs (node_id, version, started_at) VALUES (?, ?, ?)');
    start.run('node-3f9c2a7e', '0.1.0', 1000);
    start.run('node-3f9c2a7e', '0.1.0', 2000);
    db.prepare('UPDATE agent_runs SET stopped_at = 1500 WHERE id = 1').run();

    expect(() => start.run(null, '0.1.0', 3000)).toThrow('NOT NULL constraint failed: agent_runs.node_id');
    expect(rowsOf(db, 'agent_runs')).toEqual([
      { id: 1, node_id: 'node-3f9c2a7e', version: '0.1.0', started_at: 1000, stopped_at: 1500 },
      { id: 2, node_id: 'node-3f9c2a7e', version: '0.1.0', started_at: 2000, stopped_at: null },
    ]);
  });
});
