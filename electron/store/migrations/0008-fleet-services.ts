import type { Migration } from './migration.js';

/**
 * Services can also come from the fleet (stored once under the fleet prefix, applied by every agent); the
 * last good copy is kept here so an agent restarted while coordination is down still checks them.
 * SQLite cannot change a CHECK constraint in place, so the table is rebuilt.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'fleet services',
  up(db) {
    db.exec(`
      CREATE TABLE services_new (
        id         TEXT PRIMARY KEY,
        source     TEXT NOT NULL CHECK (source IN ('api', 'demo', 'fleet')),
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO services_new SELECT id, source, definition, created_at, updated_at FROM services;
      DROP TABLE services;
      ALTER TABLE services_new RENAME TO services;
    `);
  },
};
