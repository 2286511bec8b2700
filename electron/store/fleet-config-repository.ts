import type { Database } from 'better-sqlite3';

/** The last good value of each fleet-wide definition this node applied, by kind and id (JSON text as stored). */
export class FleetConfigRepository {
  private readonly listStmt;
  private readonly putStmt;
  private readonly deleteStmt;

  constructor(db: Database) {
    this.listStmt = db.prepare<[string], { id: string; value: string }>(
      'SELECT id, value FROM fleet_config WHERE kind = ? ORDER BY id',
    );
    this.putStmt = db.prepare<[string, string, string, number]>(
      `INSERT INTO fleet_config (kind, id, value, applied_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, applied_at = excluded.applied_at`,
    );
    this.deleteStmt = db.prepare<[string, string]>('DELETE FROM fleet_config WHERE kind = ? AND id = ?');
  }

  list(kind: string): Array<{ id: string; value: string }> {
    return this.listStmt.all(kind);
  }

  put(kind: string, id: string, value: string, now: number): void {
    this.putStmt.run(kind, id, value, now);
  }

  delete(kind: string, id: string): void {
    this.deleteStmt.run(kind, id);
  }
}
