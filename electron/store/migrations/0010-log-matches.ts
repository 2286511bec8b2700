import type { Migration } from './migration.js';

/**
 * Lines that matched a log pattern, and where each log source's tailer is in its file, so a restart continues from
 * the last line it stored: the matches of a poll and the offsets after it are written in one transaction.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'log matches',
  up(db) {
    db.exec(`
      CREATE TABLE log_matches (
        id         INTEGER PRIMARY KEY,
        pattern_id TEXT NOT NULL,
        source     TEXT NOT NULL,
        line       TEXT NOT NULL,
        at         INTEGER NOT NULL
      ) STRICT;
      -- "matches of a pattern in the last W seconds" (alert rules, the patterns list) and the latest match time.
      CREATE INDEX log_matches_by_pattern_time ON log_matches (pattern_id, at);
      -- Newest-first paging of one pattern's matches, and trimming each pattern to its newest N.
      CREATE INDEX log_matches_by_pattern_id ON log_matches (pattern_id, id);
      CREATE INDEX log_matches_by_time ON log_matches (at);

      -- dev and ino are decimal text: inode numbers can exceed what a JavaScript number holds exactly.
      -- Both null: the file did not exist when the source was first seen, so all of it is new once it appears.
      CREATE TABLE log_offsets (
        source     TEXT PRIMARY KEY,
        path       TEXT NOT NULL,
        dev        TEXT,
        ino        TEXT,
        offset     INTEGER NOT NULL CHECK (offset >= 0),
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
