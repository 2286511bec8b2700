import type { Migration } from './migration.js';

/**
 * Raw results (kept for `history.rawRetentionHours`), per-minute roll-ups maintained on insert (kept for
 * `history.rollupRetentionDays`), and each check's current state so a restart resumes where it was.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'check results',
  up(db) {
    db.exec(`
      CREATE TABLE check_results (
        id         INTEGER PRIMARY KEY,
        service_id TEXT NOT NULL,
        check_name TEXT NOT NULL,
        at         INTEGER NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('passing', 'warning', 'critical', 'unknown')),
        latency_ms REAL NOT NULL,
        output     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX check_results_by_check ON check_results (service_id, check_name, at);
      CREATE INDEX check_results_by_time ON check_results (at);

      CREATE TABLE check_rollups (
        service_id  TEXT NOT NULL,
        check_name  TEXT NOT NULL,
        minute      INTEGER NOT NULL,
        runs        INTEGER NOT NULL,
        passing     INTEGER NOT NULL,
        warning     INTEGER NOT NULL,
        critical    INTEGER NOT NULL,
        unknown     INTEGER NOT NULL,
        latency_sum REAL NOT NULL,
        latency_max REAL NOT NULL,
        PRIMARY KEY (service_id, check_name, minute)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX check_rollups_by_time ON check_rollups (minute);

      CREATE TABLE check_states (
        service_id  TEXT NOT NULL,
        check_name  TEXT NOT NULL,
        state       TEXT NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (service_id, check_name)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
