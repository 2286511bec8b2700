import type { Migration } from './migration.js';

/**
 * The notification outbox: one row per notice to one channel. `seq` orders the deliveries of one stream (one alert to
 * one channel), so a resolved never overtakes its firing; `notice_key` groups the deliveries of one notice, so the
 * leader knows when it has been told everywhere. A row stays `pending` while it is being sent: after a crash it is
 * sent again with the same `delivery_id`.
 */
export const migration0018: Migration = {
  version: 18,
  name: 'notification outbox',
  up(db) {
    db.exec(`
      CREATE TABLE notification_outbox (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        delivery_id  TEXT NOT NULL UNIQUE,
        notice_key   TEXT NOT NULL,
        channel_id   TEXT NOT NULL,
        stream       TEXT NOT NULL,
        notice       TEXT NOT NULL,
        state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT,
        created_at   INTEGER NOT NULL,
        sent_at      INTEGER,
        settled_at   INTEGER,
        CHECK ((state = 'pending') = (settled_at IS NULL))
      ) STRICT;
      CREATE INDEX notification_outbox_pending ON notification_outbox (state, seq);
      CREATE INDEX notification_outbox_by_key ON notification_outbox (notice_key, state);
      CREATE INDEX notification_outbox_settled ON notification_outbox (settled_at) WHERE settled_at IS NOT NULL;
    `);
  },
};
