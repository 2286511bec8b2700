import type { Migration } from './migration.js';

/**
 * Acknowledgements and the per-alert timeline. An ack lives on its alert (who, when, note, optional expiry; all set
 * or none). Every change of an alert is one `alert_events` row, deleted with its alert. Alerts already stored get
 * the timeline their times tell (raised, firing, resolved), so an upgraded node shows history for them too.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'alert lifecycle',
  up(db) {
    db.exec(`
      ALTER TABLE alerts ADD COLUMN ack_by TEXT;
      ALTER TABLE alerts ADD COLUMN ack_at INTEGER CHECK ((ack_at IS NULL) = (ack_by IS NULL));
      ALTER TABLE alerts ADD COLUMN ack_note TEXT CHECK ((ack_note IS NULL) = (ack_by IS NULL));
      ALTER TABLE alerts ADD COLUMN ack_until INTEGER CHECK (ack_until IS NULL OR ack_by IS NOT NULL);
      CREATE INDEX alerts_ack_until ON alerts (ack_until) WHERE ack_until IS NOT NULL;
      CREATE TABLE alert_events (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        at       INTEGER NOT NULL,
        kind     TEXT NOT NULL CHECK (kind IN ('raised', 'firing', 'resolved', 'acknowledged', 'unacknowledged',
                                               'ackExpired', 'manuallyResolved')),
        actor    TEXT,
        detail   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX alert_events_by_alert ON alert_events (alert_id, id);
      INSERT INTO alert_events (alert_id, at, kind, detail)
        SELECT id, at, kind, detail FROM (
          SELECT id, started_at AS at, 'raised' AS kind, IIF(state = 'pending', summary, '') AS detail, 1 AS step
            FROM alerts WHERE firing_at IS NULL OR firing_at > started_at
          UNION ALL
          SELECT id, firing_at, 'firing', IIF(state = 'firing', summary, ''), 2 FROM alerts WHERE firing_at IS NOT NULL
          UNION ALL
          SELECT id, resolved_at, 'resolved', summary, 3 FROM alerts WHERE resolved_at IS NOT NULL
        ) ORDER BY id, step;
    `);
  },
};
