import type { Database } from 'better-sqlite3';

/** Small named values the node keeps for itself (its generated id, UI preferences). */
export class SettingsRepository {
  private readonly selectStmt;
  private readonly upsertStmt;

  constructor(db: Database) {
    this.selectStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.upsertStmt = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  get(key: string): string | undefined {
    return this.selectStmt.get(key)?.value;
  }

  set(key: string, value: string, now: number): void {
    this.upsertStmt.run(key, value, now);
  }

  /** Returns the stored value, storing `create()` first if there is none. */
  getOrCreate(key: string, create: () => string, now: number): string {
    const existing = this.get(key);
    if (existing !== undefined) return existing;
    const value = create();
    this.set(key, value, now);
    return value;
  }
}
