import type { Migration } from './migration.js';

/** One row per agent start, closed on graceful stop: an open row at start-up means the last run crashed. */
export const migration0002: Migration = {
  version: 2,
  name: 'agent runs',
  up(db) {
    db.exec(`
      CREATE TABLE agent_runs (
        id         INTEGER PRIMARY KEY,
        node_id    TEXT NOT NULL,
        version    TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        stopped_at INTEGER
      ) STRICT;
    `);
  },
};
