import type { Migration } from './migration.js';

/**
 * What a service's own Prometheus endpoint counted, per minute: requests, errors and latency histogram buckets
 * (JSON [[bound in ms, count], ...]), apportioned by time from each pair of scrapes, and how much of the minute the
 * scrapes covered. Kept for `history.rollupRetentionDays`.
 */
export const migration0020: Migration = {
  version: 20,
  name: 'service signal minutes',
  up(db) {
    db.exec(`
      CREATE TABLE service_signal_minutes (
        service_id TEXT NOT NULL,
        minute     INTEGER NOT NULL,
        covered_ms REAL NOT NULL,
        requests   REAL NOT NULL,
        errors     REAL,
        buckets    TEXT,
        PRIMARY KEY (service_id, minute)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX service_signal_minutes_by_time ON service_signal_minutes (minute);
    `);
  },
};
