import type { Migration } from './migration.js';

/**
 * The learnt baseline of each service signal (anomaly detection), one JSON row per service and signal: level, spread
 * and the hour-of-day and hour-of-week offsets. Persisted rather than rebuilt at start because the hour-of-week
 * offsets take weeks of minutes to learn, longer than the per-minute signals are kept.
 */
export const migration0021: Migration = {
  version: 21,
  name: 'anomaly baselines',
  up(db) {
    db.exec(`
      CREATE TABLE anomaly_baselines (
        service_id TEXT NOT NULL,
        signal     TEXT NOT NULL,
        state      TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (service_id, signal)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
