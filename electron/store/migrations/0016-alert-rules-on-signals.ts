import type { Migration } from './migration.js';

/**
 * Alerts of rules on any signal: severity `emergency`, the rule's labels (JSON) and the rendered description.
 * SQLite cannot alter a CHECK, so the table is rebuilt: rows keep their ids, and the AUTOINCREMENT sequence
 * carries over (an id handed out before, even to an alert since pruned, is never given again).
 */
export const migration0016: Migration = {
  version: 16,
  name: 'alert rules on signals',
  up(db) {
    const sequence = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'alerts'`).get() as
      { seq: number } | undefined;
    db.exec(`
      CREATE TABLE alerts_new (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id     TEXT NOT NULL,
        rule_name   TEXT NOT NULL,
        severity    TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical', 'emergency')),
        state       TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
        value       REAL,
        summary     TEXT NOT NULL,
        started_at  INTEGER NOT NULL,
        firing_at   INTEGER,
        resolved_at INTEGER,
        labels      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(labels) AND json_type(labels) = 'object'),
        description TEXT NOT NULL DEFAULT '',
        CHECK ((state = 'resolved') = (resolved_at IS NOT NULL)),
        CHECK (state <> 'firing' OR firing_at IS NOT NULL),
        CHECK (state <> 'pending' OR firing_at IS NULL)
      ) STRICT;
      INSERT INTO alerts_new (id, rule_id, rule_name, severity, state, value, summary, started_at, firing_at, resolved_at)
        SELECT id, rule_id, rule_name, severity, state, value, summary, started_at, firing_at, resolved_at FROM alerts;
      DROP TABLE alerts;
      ALTER TABLE alerts_new RENAME TO alerts;
      CREATE UNIQUE INDEX alerts_open_by_rule ON alerts (rule_id) WHERE state <> 'resolved';
      CREATE INDEX alerts_by_rule ON alerts (rule_id, id);
      CREATE INDEX alerts_resolved_by_time ON alerts (resolved_at) WHERE state = 'resolved';
    `);
    if (sequence) {
      db.prepare(`DELETE FROM sqlite_sequence WHERE name = 'alerts'`).run();
      db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('alerts', ?)`).run(sequence.seq);
    }
  },
};
