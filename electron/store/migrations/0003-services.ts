import type { Migration } from './migration.js';

/** Service definitions added through the UI/API or by the demo (config-file services are not stored). */
export const migration0003: Migration = {
  version: 3,
  name: 'services',
  up(db) {
    db.exec(`
      CREATE TABLE services (
        id         TEXT PRIMARY KEY,
        source     TEXT NOT NULL CHECK (source IN ('api', 'demo')),
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
