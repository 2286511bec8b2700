import type { Migration } from './migration.js';

/**
 * The audit log: one row per mutating call (or attempt at one), params masked and size-capped before they get here.
 * AUTOINCREMENT, so that an id is never given twice, even after retention removed the newest rows: exports are
 * continued and deduplicated by id.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'audit log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        at               INTEGER NOT NULL,
        principal        TEXT NOT NULL,
        transport        TEXT NOT NULL CHECK (transport IN ('ipc', 'http')),
        remote           TEXT,
        method           TEXT NOT NULL,
        -- For cluster.call: the member and method it was relayed to.
        target_member    TEXT,
        target_method    TEXT,
        params           TEXT NOT NULL,
        params_truncated INTEGER NOT NULL DEFAULT 0 CHECK (params_truncated IN (0, 1)),
        outcome          TEXT NOT NULL CHECK (outcome IN ('ok', 'error')),
        error_code       TEXT,
        error_message    TEXT,
        duration_ms      REAL NOT NULL,
        CHECK ((outcome = 'error') = (error_code IS NOT NULL AND error_message IS NOT NULL)),
        CHECK ((target_member IS NULL) = (target_method IS NULL))
      ) STRICT;
      -- Retention deletes by time; the list filters by who and pages by id (the primary key).
      CREATE INDEX audit_log_by_at ON audit_log (at);
      CREATE INDEX audit_log_by_principal ON audit_log (principal, id);
    `);
  },
};
