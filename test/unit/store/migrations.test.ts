import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../electron/store/migrate.js';
import { migrations } from '../../../electron/store/migrations/index.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { StoreError } from '../../../electron/store/store-error.js';
import { Store, databaseFileName } from '../../../electron/store/store.js';

const newDir = () => mkdtempSync(join(tmpdir(), 'fleetdeck-store-'));
const now = Date.UTC(2026, 0, 1);
const tables = (db: Database.Database) =>
  (
    db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>
  ).map((t) => t.name);

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('bring a fresh file to the newest version in WAL mode', () => {
    const dir = newDir();
    const store = Store.open(dir, { now });
    expect(store.migration).toMatchObject({ from: 0, to: migrations.length });
    store.close();

    const db = new Database(join(dir, databaseFileName));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(tables(db)).toEqual(expect.arrayContaining(['agent_runs', 'schema_migrations', 'settings', 'services']));
    db.close();
  });

  it('upgrade a version-1 database and keep its data', () => {
    const file = join(newDir(), databaseFileName);
    const v1 = openDatabase(file, { now, migrations: migrations.slice(0, 1) });
    v1.db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('node.id', 'node-kept', 1)`).run();
    v1.db.close();

    const { db, migration } = openDatabase(file, { now });
    expect(migration).toMatchObject({ from: 1, to: migrations.length });
    expect(migration.applied[0]).toBe('2 agent runs');
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'node.id'`).get()).toEqual({ value: 'node-kept' });
    db.close();
  });

  it('roll back every pending migration when one fails', () => {
    const file = join(newDir(), databaseFileName);
    const broken = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'broken',
        up: () => {
          throw new Error('boom');
        },
      },
    ];
    expect(() => openDatabase(file, { now, migrations: broken })).toThrow('boom');
    const db = new Database(file);
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('refuse a database newer than this build knows, leaving it untouched', () => {
    const dir = newDir();
    Store.open(dir, { now }).close();
    const file = join(dir, databaseFileName);
    const db = new Database(file);
    db.prepare(`INSERT INTO schema_migrations VALUES (99, 'from the future', 1)`).run();
    db.close();

    expect(() => Store.open(dir, { now })).toThrow(StoreError);
    expect(() => Store.open(dir, { now })).toThrow(
      `schema version 99 is newer than this Fleetdeck knows (${migrations.length})`,
    );
    const after = new Database(file);
    expect(schemaVersion(after)).toBe(99);
    after.close();
  });

  it('refuse a file that is not a database and do not overwrite it', () => {
    const dir = newDir();
    const file = join(dir, databaseFileName);
    const garbage = 'this is not sqlite '.repeat(500);
    writeFileSync(file, garbage);
    expect(() => Store.open(dir, { now })).toThrow(/unreadable \(SQLITE_NOTADB.*left as it is/);
    expect(readFileSync(file, 'utf8')).toBe(garbage);
  });
});
