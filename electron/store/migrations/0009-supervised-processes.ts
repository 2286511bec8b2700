import type { Migration } from './migration.js';

/**
 * The process each supervisor is running right now (pid = its process group id, and the argv it was started with),
 * so an agent that crashed can find and end its orphans on the next start instead of running a second copy.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'supervised processes',
  up(db) {
    db.exec(`
      CREATE TABLE supervised_processes (
        service_id TEXT PRIMARY KEY,
        pid        INTEGER NOT NULL,
        argv       TEXT NOT NULL,
        started_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
