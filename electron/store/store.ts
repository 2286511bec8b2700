import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AgentRunsRepository } from './agent-runs-repository.js';
import type { MigrationResult } from './migrate.js';
import { openDatabase, type OpenDatabaseOptions } from './open-database.js';
import { AlertsRepository } from './alerts-repository.js';
import { CheckHistoryRepository } from './check-history-repository.js';
import { FleetConfigRepository } from './fleet-config-repository.js';
import { LocalKvRepository } from './local-kv-repository.js';
import { LogMatchesRepository } from './log-matches-repository.js';
import { LogOffsetsRepository } from './log-offsets-repository.js';
import { ResourceHistoryRepository } from './resource-history-repository.js';
import { ServicesRepository } from './services-repository.js';
import { SettingsRepository } from './settings-repository.js';
import { SupervisorEventsRepository } from './supervisor-events-repository.js';

export const databaseFileName = 'fleetdeck.db';

/** The node's durable memory: one SQLite file in the data dir, one repository per aggregate. */
export class Store {
  readonly settings: SettingsRepository;
  readonly runs: AgentRunsRepository;
  readonly services: ServicesRepository;
  readonly checkHistory: CheckHistoryRepository;
  readonly resourceHistory: ResourceHistoryRepository;
  readonly supervisorEvents: SupervisorEventsRepository;
  readonly fleetConfig: FleetConfigRepository;
  readonly localKv: LocalKvRepository;
  readonly logMatches: LogMatchesRepository;
  readonly logOffsets: LogOffsetsRepository;
  readonly alerts: AlertsRepository;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    readonly migration: MigrationResult,
  ) {
    this.settings = new SettingsRepository(db);
    this.runs = new AgentRunsRepository(db);
    this.services = new ServicesRepository(db);
    this.checkHistory = new CheckHistoryRepository(db);
    this.resourceHistory = new ResourceHistoryRepository(db);
    this.supervisorEvents = new SupervisorEventsRepository(db);
    this.fleetConfig = new FleetConfigRepository(db);
    this.localKv = new LocalKvRepository(db);
    this.logMatches = new LogMatchesRepository(db);
    this.logOffsets = new LogOffsetsRepository(db);
    this.alerts = new AlertsRepository(db);
  }

  static open(dataDir: string, options: OpenDatabaseOptions): Store {
    const file = join(dataDir, databaseFileName);
    const { db, migration } = openDatabase(file, options);
    return new Store(db, file, migration);
  }

  /** Checkpoints the WAL into the main file and closes it. */
  close(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
