import { describe, expect, it } from 'vitest';
import { migratedAt, migrateTo, newDatabase, rowsOf, tablesOf } from './migrate-to.js';

describe('migration 1 (settings)', () => {
  it('creates the settings table in an empty file and records the version', () => {
    const db = newDatabase();
    expect(tablesOf(db)).toEqual([]);

    expect(migrateTo(db, 1)).toEqual({ from: 0, to: 1, applied: ['1 settings'] });
    expect(tablesOf(db)).toEqual(['schema_migrations', 'settings']);
    expect(rowsOf(db, 'schema_migrations')).toEqual([{ version: 1, name: 'settings', applied_at: migratedAt }]);
    expect(rowsOf(db, 'settings')).toEqual([]);
  });

  it('keeps one value per key and refuses a missing value or a time that is not a number', () => {
    const db = newDatabase();
    migrateTo(db, 1);
    const insert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
    insert.run('node.id', 'node-3f9c2a7e', migratedAt);

    expect(() => insert.run('node.id', 'node-other', migratedAt)).toThrow('UNIQUE constraint failed: settings.key');
    expect(() => insert.run('theme', null, migratedAt)).toThrow('NOT NULL constraint failed: settings.value');
    expect(() => insert.run('theme', 'dark', 'yesterday')).toThrow(
      'cannot store TEXT value in INTEGER column settings.updated_at',
    );
    expect(rowsOf(db, 'settings')).toEqual([{ key: 'node.id', value: 'node-3f9c2a7e', updated_at: migratedAt }]);
  });
});
