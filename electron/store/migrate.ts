import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/migration.js';
import { StoreError } from './store-error.js';

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/** The schema version a database is at: the highest applied migration, 0 for a new file. */
export function schemaVersion(db: Database): number {
  const table = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Brings the database to the newest known version. All pending migrations run in one transaction:
 * either the database ends at the newest version or it is left exactly as it was.
 */
export function migrate(db: Database, all: readonly Migration[], now: number): MigrationResult {
  const known = all.at(-1)?.version ?? 0;
  const from = schemaVersion(db);
  if (from > known) {
    throw new StoreError(
      `database schema version ${from} is newer than this Fleetdeck knows (${known}); upgrade Fleetdeck or use another data dir — the file was not changed`,
    );
  }
  const pending = all.filter((m) => m.version > from);
  const record = () => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
    const insert = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of pending) {
      migration.up(db);
      insert.run(migration.version, migration.name, now);
    }
  };
  if (pending.length > 0) db.transaction(record).immediate();
  return { from, to: pending.at(-1)?.version ?? from, applied: pending.map((m) => `${m.version} ${m.name}`) };
}
