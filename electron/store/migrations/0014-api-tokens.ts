import type { Migration } from './migration.js';

/**
 * API tokens. Only a SHA-256 of the secret is kept (the secret is 32 random bytes, so a fast hash is enough), with
 * its first characters in clear (`prefix`) to find the candidate row and to tell tokens apart in a list. A revoked
 * token stays, so that its name and times remain visible and the node knows a token was once created; a name
 * belongs to at most one token that is not revoked.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'api tokens',
  up(db) {
    db.exec(`
      CREATE TABLE api_tokens (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        scope        TEXT NOT NULL CHECK (scope IN ('read', 'operate', 'admin')),
        prefix       TEXT NOT NULL,
        hash         BLOB NOT NULL CHECK (length(hash) = 32),
        created_at   INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at   INTEGER
      ) STRICT, WITHOUT ROWID;
      CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens (name) WHERE revoked_at IS NULL;
      CREATE INDEX api_tokens_by_prefix ON api_tokens (prefix);
    `);
  },
};
