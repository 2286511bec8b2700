import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 3 (services)', () => {
  it('adds the services table to a version-2 database and keeps its settings and runs', () => {
    const db = newDatabase();
    migrateTo(db, 2);
    const before = insertUserData(db);

    expect(migrateTo(db, 3)).toEqual({ from: 2, to: 3, applied: ['3 services'] });
    expect(tablesOf(db)).toEqual([...Object.keys(before), 'schema_migrations', 'services'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'services')).toEqual([]);
  });

  it('stores services added through the API or by the demo, one per id, and refuses any other source', () => {
    const db = newDatabase();
    migrateTo(db, 3);
    const insert = db.prepare(
      'INSERT INTO services (id, source, definition, created_at, updated_at) VALUES (?, ?, ?, 1000, 1000)',
    );
    insert.run('web', 'api', '{"id":"web","name":"Web"}');
    insert.run('demo-cache', 'demo', '{"id":"demo-cache","name":"Demo cache"}');

    expect(() => insert.run('web', 'demo', '{"id":"web","name":"Web"}')).toThrow(
      'UNIQUE constraint failed: services.id',
    );
    // Config-file services are never stored.
    expect(() => insert.run('db', 'config', '{"id":"db","name":"Database"}')).toThrow(
      /CHECK constraint failed: source IN/,
    );
    expect(rowsOf(db, 'services').map((service) => [service.id, service.source])).toEqual([
      ['demo-cache', 'demo'],
      ['web', 'api'],
    ]);
  });
});
