import { describe, expect, it } from 'vitest';
import { columnsOf, migrateTo, newDatabase, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 8 (fleet services)', () => {
  it('rebuilds the services table of a version-7 database keeping every service, its times and its columns', () => {
    const db = newDatabase();
    migrateTo(db, 7);
    const before = insertUserData(db);
    const servicesColumns = columnsOf(db, 'services');
    expect(before.services).not.toEqual([]);

    expect(migrateTo(db, 8)).toEqual({ from: 7, to: 8, applied: ['8 fleet services'] });
    // No table added, none lost, no copy left behind.
    expect(tablesOf(db)).toEqual([...Object.keys(before), 'schema_migrations'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(columnsOf(db, 'services')).toEqual(servicesColumns);
  });

  it('stores services from the fleet, still one per id, and still refuses any other source', () => {
    const db = newDatabase();
    migrateTo(db, 7);
    insertUserData(db);
    migrateTo(db, 8);
    const insert = db.prepare(
      'INSERT INTO services (id, source, definition, created_at, updated_at) VALUES (?, ?, ?, 5000, 5000)',
    );
    insert.run('billing', 'fleet', '{"id":"billing","name":"Billing"}');

    expect(() => insert.run('web', 'fleet', '{"id":"web","name":"Web"}')).toThrow(
      'UNIQUE constraint failed: services.id',
    );
    expect(() => insert.run('db', 'config', '{"id":"db","name":"Database"}')).toThrow(
      /CHECK constraint failed: source IN/,
    );
    expect(() => insert.run('db', 'api', null)).toThrow('NOT NULL constraint failed: services.definition');
    expect(rowsOf(db, 'services').map((service) => [service.id, service.source])).toEqual([
      ['billing', 'fleet'],
      ['demo-cache', 'demo'],
      ['web', 'api'],
    ]);
  });
});
