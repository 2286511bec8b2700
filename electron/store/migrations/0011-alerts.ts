import type { Migration } from './migration.js';

/**
 * Every alert this node raised, open (pending, firing) and resolved. At most one open alert per rule (a partial
 * unique index), so a restart or a retried write can never duplicate one. Ids are AUTOINCREMENT: never reused
 * after pruning, so a UI that saw an alert cannot mistake a new one for it.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'alerts',
  up(db) {
    db.exec(`
      CREATE TABLE alerts (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id     TEXT NOT NULL,
        rule_name   TEXT NOT NULL,
        severity    TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        state       TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
        value       REAL,
        summary     TEXT NOT NULL,
        started_at  INTEGER NOT NULL,
        firing_at   INTEGER,
        resolved_at INTEGER,
        CHECK ((state = 'resolved') = (resolved_at IS NOT NULL)),
        CHECK (state <> 'firing' OR firing_at IS NOT NULL),
        CHECK (state <> 'pending' OR firing_at IS NULL)
      ) STRICT;
      CREATE UNIQUE INDEX alerts_open_by_rule ON alerts (rule_id) WHERE state <> 'resolved';
      CREATE INDEX alerts_by_rule ON alerts (rule_id, id);
      CREATE INDEX alerts_resolved_by_time ON alerts (resolved_at) WHERE state = 'resolved';
    `);
  },
};
