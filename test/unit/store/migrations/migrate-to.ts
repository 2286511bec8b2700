import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { migrate, type MigrationResult } from '../../../../electron/store/migrate.js';
import { migrations } from '../../../../electron/store/migrations/index.js';
import { openDatabase } from '../../../../electron/store/open-database.js';
import { databaseFileName } from '../../../../electron/store/store.js';

export type Row = Record<string, unknown>;

/** The time every migration in these tests is recorded as applied. */
export const migratedAt = Date.UTC(2026, 0, 1);

/** A new, empty database file in its own directory, opened as the agent opens it but not migrated; closed after the test. */
export function newDatabase(): Database.Database {
  const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-migration-')), databaseFileName);
  const { db } = openDatabase(file, { now: migratedAt, migrations: [] });
  onTestFinished(() => {
    db.close();
  });
  return db;
}

/** Brings the database to version `n` with the real migrator, as a Fleetdeck whose newest migration is `n` would. */
export function migrateTo(db: Database.Database, n: number): MigrationResult {
  if (!migrations.some((migration) => migration.version === n)) throw new RangeError(`there is no migration ${n}`);
  return migrate(
    db,
    migrations.filter((migration) => migration.version <= n),
    migratedAt,
  );
}

/** The names of the database's tables, sorted. */
export function tablesOf(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
    .all()
    .map((table) => table.name);
}

/** A table's columns as SQLite describes them: name, type, not null, default and primary-key position. */
export function columnsOf(db: Database.Database, table: string): Row[] {
  return db
    .prepare<[string], Row>('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid')
    .all(table);
}

/** Every row of a table, ordered by each column in turn so that two reads of the same rows compare equal. */
export function rowsOf(db: Database.Database, table: string): Row[] {
  const order = columnsOf(db, table)
    .map((column) => `"${String(column.name)}"`)
    .join(', ');
  return db.prepare<[], Row>(`SELECT * FROM "${table}" ORDER BY ${order}`).all();
}

/** The rows of each of the given tables, by table name. */
export function tableRows(db: Database.Database, tables: readonly string[]): Record<string, Row[]> {
  return Object.fromEntries(tables.map((table) => [table, rowsOf(db, table)]));
}

/** How SQLite would run a statement, its plan's steps joined by "; ", to check that a query is answered from an index. */
export function queryPlan(db: Database.Database, sql: string): string {
  return db
    .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((step) => step.detail)
    .join('; ');
}
