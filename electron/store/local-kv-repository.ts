import type { Database } from 'better-sqlite3';

/** Durable keys of the embedded `local` coordination backend (keys bound to a lease die with the process). */
export class LocalKvRepository {
  private readonly allStmt;
  private readonly putStmt;
  private readonly deleteStmt;

  constructor(db: Database) {
    this.allStmt = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM local_kv ORDER BY key');
    this.putStmt = db.prepare<[string, string, number]>(
      `INSERT INTO local_kv (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM local_kv WHERE key = ?');
  }

  all(): Array<{ key: string; value: string }> {
    return this.allStmt.all();
  }

  put(key: string, value: string, now: number): void {
    this.putStmt.run(key, value, now);
  }

  delete(key: string): void {
    this.deleteStmt.run(key);
  }
}
