import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 12 (fleet config cache and local backend keys)', () => {
  it('adds the fleet config and local keys tables to a version-11 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 11);
    const before = insertUserData(db);
    // The alerts' id sequence is SQLite's own table; it must go on counting from where it was.
    const sequence = rowsOf(db, 'sqlite_sequence');

    expect(migrateTo(db, 12)).toEqual({
      from: 11,
      to: 12,
      applied: ['12 fleet config cache and local backend keys'],
    });
    expect(tablesOf(db)).toEqual(
      [...Object.keys(before), 'schema_migrations', 'sqlite_sequence', 'fleet_config', 'local_kv'].sort(),
    );
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'sqlite_sequence')).toEqual(sequence);
    expect(tableRows(db, ['fleet_config', 'local_kv'])).toEqual({ fleet_config: [], local_kv: [] });
  });

  it('keeps one value per kind and id, and one per local key', () => {
    const db = newDatabase();
    migrateTo(db, 12);
    const put = db.prepare('INSERT INTO fleet_config (kind, id, value, applied_at) VALUES (?, ?, ?, 1000)');
    put.run('log-pattern', 'oom', '{"id":"oom","regex":"heap out of memory"}');
    put.run('alert-rule', 'oom', '{"id":"oom","name":"Out of memory"}');
    expect(() => put.run('log-pattern', 'oom', '{"id":"oom","regex":"OOM"}')).toThrow(
      'UNIQUE constraint failed: fleet_config.kind, fleet_config.id',
    );

    const setKey = db.prepare('INSERT INTO local_kv (key, value, updated_at) VALUES (?, ?, 1000)');
    setKey.run('/fleetdeck/config/log-patterns/oom', '{"id":"oom"}');
    expect(() => setKey.run('/fleetdeck/config/log-patterns/oom', '{}')).toThrow(
      'UNIQUE constraint failed: local_kv.key',
    );
    expect(() => setKey.run('/fleetdeck/config/alert-rules/oom', null)).toThrow(
      'NOT NULL constraint failed: local_kv.value',
    );

    expect(rowsOf(db, 'fleet_config').map((row) => [row.kind, row.id])).toEqual([
      ['alert-rule', 'oom'],
      ['log-pattern', 'oom'],
    ]);
    const listKind = queryPlan(db, `SELECT id, value FROM fleet_config WHERE kind = 'log-pattern' ORDER BY id`);
    expect(listKind).toContain('USING INDEX sqlite_autoindex_fleet_config_1 (kind=?)');
    expect(listKind).not.toContain('TEMP B-TREE');
  });
});
