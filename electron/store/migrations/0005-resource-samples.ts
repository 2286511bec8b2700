import type { Migration } from './migration.js';

/** Resource samples (raw for `history.rawRetentionHours`) and per-minute averages (for `rollupRetentionDays`). */
export const migration0005: Migration = {
  version: 5,
  name: 'resource samples',
  up(db) {
    db.exec(`
      CREATE TABLE resource_samples (
        at           INTEGER PRIMARY KEY,
        cpu_percent  REAL NOT NULL,
        memory_used  REAL NOT NULL,
        memory_total REAL NOT NULL,
        disk_used    REAL NOT NULL,
        disk_total   REAL NOT NULL
      ) STRICT;

      CREATE TABLE resource_rollups (
        minute       INTEGER PRIMARY KEY,
        samples      INTEGER NOT NULL,
        cpu_sum      REAL NOT NULL,
        memory_used_sum REAL NOT NULL,
        memory_total REAL NOT NULL,
        disk_used_sum REAL NOT NULL,
        disk_total   REAL NOT NULL
      ) STRICT;
    `);
  },
};
