import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { errorMessage } from '../core/errors.js';
import { migrate, type MigrationResult } from './migrate.js';
import { migrations } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';
import { StoreError } from './store-error.js';

export interface OpenDatabaseOptions {
  now: number;
  /** A better_sqlite3.node built for another ABI (Electron's); the Node build is used when absent. */
  nativeBinding?: string;
  /** For tests of older or newer schemas. */
  migrations?: readonly Migration[];
}

const unusableCodes = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CANTOPEN']);

/** Opens (creating if needed) the node's database in WAL mode and migrates it; refuses, untouched, a file it cannot trust. */
export function openDatabase(
  file: string,
  options: OpenDatabaseOptions,
): { db: Database.Database; migration: MigrationResult } {
  mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database | undefined;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    // quick_check reads every page header: a damaged file is refused here, before any write.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new StoreError(`database ${file} failed its integrity check (${String(check)})`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const migration = migrate(db, options.migrations ?? migrations, options.now);
    return { db, migration };
  } catch (error) {
    db?.close();
    if (error instanceof StoreError) throw error;
    const code = (error as { code?: string }).code;
    if (code && unusableCodes.has(code)) {
      throw new StoreError(
        `database ${file} is unreadable (${code}: ${errorMessage(error)}); it was left as it is — move it away to start with a new one`,
      );
    }
    throw error;
  }
}
