import type { Migration } from './migration.js';

/**
 * `fleet_config`: the last good copy of every fleet-wide value this node applied (log patterns, alert rules,
 * check templates, services), so an agent restarted while coordination is down keeps running them.
 * `local_kv`: the durable keys (those without a lease) of the embedded `local` backend, so values saved
 * "for the fleet" on a single node outlive a restart as they would in etcd.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'fleet config cache and local backend keys',
  up(db) {
    db.exec(`
      CREATE TABLE fleet_config (
        kind       TEXT NOT NULL,
        id         TEXT NOT NULL,
        value      TEXT NOT NULL,
        applied_at INTEGER NOT NULL,
        PRIMARY KEY (kind, id)
      ) STRICT;
      CREATE TABLE local_kv (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
