import type { Database } from 'better-sqlite3';

/** Where a log source's tailer is: the file (by device and inode) and the byte offset after its last stored line. */
export interface LogOffset {
  source: string;
  path: string;
  /** Null when the file did not exist yet: once it appears, all of it is new. */
  file: { dev: string; ino: string } | null;
  offset: number;
}

interface LogOffsetRow {
  source: string;
  path: string;
  dev: string | null;
  ino: string | null;
  offset: number;
  updated_at: number;
}

const toOffset = (row: LogOffsetRow): LogOffset => ({
  source: row.source,
  path: row.path,
  file: row.dev !== null && row.ino !== null ? { dev: row.dev, ino: row.ino } : null,
  offset: row.offset,
});

/** One row per log source: where its tailer continues after a restart. */
export class LogOffsetsRepository {
  private readonly getStmt;
  private readonly listStmt;
  private readonly saveStmt;
  private readonly deleteStmt;

  constructor(private readonly db: Database) {
    this.getStmt = db.prepare<[string], LogOffsetRow>('SELECT * FROM log_offsets WHERE source = ?');
    this.listStmt = db.prepare<[], LogOffsetRow>('SELECT * FROM log_offsets ORDER BY source');
    this.saveStmt = db.prepare<[string, string, string | null, string | null, number, number]>(
      `INSERT INTO log_offsets (source, path, dev, ino, offset, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET path = excluded.path, dev = excluded.dev, ino = excluded.ino,
         offset = excluded.offset, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM log_offsets WHERE source = ?');
  }

  get(source: string): LogOffset | null {
    const row = this.getStmt.get(source);
    return row ? toOffset(row) : null;
  }

  list(): LogOffset[] {
    return this.listStmt.all().map(toOffset);
  }

  /** Saves every offset in one transaction (nested in the caller's when there is one). */
  saveMany(offsets: readonly LogOffset[], at: number): void {
    if (offsets.length === 0) return;
    this.db.transaction(() => {
      for (const { source, path, file, offset } of offsets) {
        this.saveStmt.run(source, path, file?.dev ?? null, file?.ino ?? null, offset, at);
      }
    })();
  }

  /** Forgets a source that is no longer scanned, so seeing it again starts at its end like any new source. */
  delete(source: string): boolean {
    return this.deleteStmt.run(source).changes > 0;
  }
}
