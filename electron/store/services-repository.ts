import type { Database } from 'better-sqlite3';

import type { ServicesStore, StoredService } from '../health/health-stores.js';

/** Service definitions added through the UI/API or by the demo. Config-file services are never stored. */
export class ServicesRepository implements ServicesStore {
  private readonly allStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;
  private readonly deleteDemoStmt;

  constructor(private readonly db: Database) {
    this.allStmt = db.prepare<[], StoredService>('SELECT id, source, definition FROM services ORDER BY id');
    this.upsertStmt = db.prepare<[string, string, string, number, number]>(
      `INSERT INTO services (id, source, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET source = excluded.source, definition = excluded.definition,
         updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM services WHERE id = ?');
    this.deleteDemoStmt = db.prepare<[], { id: string }>(`DELETE FROM services WHERE source = 'demo' RETURNING id`);
  }

  all(): StoredService[] {
    return this.allStmt.all();
  }

  /** Saves every given service in one transaction: all are stored or none. */
  upsertAll(services: StoredService[], now: number): void {
    this.db.transaction(() => {
      for (const service of services) this.upsertStmt.run(service.id, service.source, service.definition, now, now);
    })();
  }

  remove(id: string): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  removeDemo(): string[] {
    return this.deleteDemoStmt.all().map((row) => row.id);
  }
}
