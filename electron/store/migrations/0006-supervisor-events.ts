import type { Migration } from './migration.js';

/** What the supervisor did with each supervised service: starts, exits, restarts, giving up. */
export const migration0006: Migration = {
  version: 6,
  name: 'supervisor events',
  up(db) {
    db.exec(`
      CREATE TABLE supervisor_events (
        id         INTEGER PRIMARY KEY,
        service_id TEXT NOT NULL,
        at         INTEGER NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('start', 'exit', 'restart', 'give-up', 'stop')),
        detail     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX supervisor_events_by_service ON supervisor_events (service_id, at);
    `);
  },
};
