import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AgentRunsRepository } from './agent-runs-repository.js';
import type { MigrationResult } from './migrate.js';
import { openDatabase, type OpenDatabaseOptions } from './open-database.js';
import { FleetConfigRepository } from './fleet-config-repository.js';
import { LocalKvRepository } from './local-kv-repository.js';
import { SettingsRepository } from './settings-repository.js';

export const databaseFileName = 'fleetdeck.db';

/**
 * The node's durable memory: one SQLite file in the data dir. The agent core's own repositories are here; each
 * capability builds its own with `repository(factory)`.
 */
export class Store {
  readonly settings: SettingsRepository;
  readonly runs: AgentRunsRepository;
  readonly fleetConfig: FleetConfigRepository;
  readonly localKv: LocalKvRepository;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    readonly migration: MigrationResult,
  ) {
    this.settings = new SettingsRepository(db);
    this.runs = new AgentRunsRepository(db);
    this.fleetConfig = new FleetConfigRepository(db);
    this.localKv = new LocalKvRepository(db);
  }

  static open(dataDir: string, options: OpenDatabaseOptions): Store {
    const file = join(dataDir, databaseFileName);
    const { db, migration } = openDatabase(file, options);
    return new Store(db, file, migration);
  }

  /** A repository of a capability's own, on this node's database (its tables come from a numbered migration). */
  repository<T>(create: (db: Database.Database) => T): T {
    return create(this.db);
  }

  /** Checkpoints the WAL into the main file and closes it. */
  close(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
