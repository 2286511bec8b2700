import type { Database, Statement } from 'better-sqlite3';
import type { LogMatch } from '../../shared/log-patterns.js';

export type NewLogMatch = Omit<LogMatch, 'id'>;

/** Which stored matches to list: every filter given must hold; newest first, `beforeId` pages back. */
export interface LogMatchQuery {
  /** Matches of any of these patterns (an empty list matches nothing). */
  patternIds?: readonly string[];
  source?: string;
  /** Inclusive bounds on the time the line was read. */
  from?: number;
  to?: number;
  beforeId?: number;
  limit: number;
}

type Filter = Exclude<keyof LogMatchQuery, 'limit'>;

/** Each filter's condition and its one parameter, in this order; the statement is chosen by which are given. */
const conditions: ReadonlyArray<[Filter, string]> = [
  // A JSON array, so one statement serves any number of patterns.
  ['patternIds', 'pattern_id IN (SELECT value FROM json_each(?))'],
  ['source', 'source = ?'],
  ['from', 'at >= ?'],
  ['to', 'at <= ?'],
  ['beforeId', 'id < ?'],
];

interface LogMatchRow {
  id: number;
  pattern_id: string;
  source: string;
  line: string;
  at: number;
}

const toMatch = (row: LogMatchRow): LogMatch => ({
  id: row.id,
  patternId: row.pattern_id,
  source: row.source,
  line: row.line,
  at: row.at,
});

function checkLimit(name: string, value: number, min = 0): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}

/** Lines that matched a log pattern on this node; each pattern keeps at most its newest N. */
export class LogMatchesRepository {
  private readonly insertStmt;
  private readonly trimStmt;
  private readonly countSinceStmt;
  private readonly lastAtStmt;
  /** Page statements by the filters they take (at most one per combination). */
  private readonly pageStmts = new Map<string, Statement<unknown[], LogMatchRow>>();
  private readonly pruneStmt;
  private readonly overCapStmt;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare<[string, string, string, number]>(
      'INSERT INTO log_matches (pattern_id, source, line, at) VALUES (?, ?, ?, ?)',
    );
    // The pattern's (keep+1)-th newest row and everything older; walks the (pattern_id, id) index from the newest.
    this.trimStmt = db.prepare<[string, string, number]>(
      `DELETE FROM log_matches WHERE pattern_id = ? AND id <= (
         SELECT id FROM log_matches WHERE pattern_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
    this.countSinceStmt = db.prepare<[string, number], { count: number }>(
      'SELECT count(*) AS count FROM log_matches WHERE pattern_id = ? AND at >= ?',
    );
    this.lastAtStmt = db.prepare<[string], { at: number | null }>(
      'SELECT max(at) AS at FROM log_matches WHERE pattern_id = ?',
    );
    this.pruneStmt = db.prepare<[number]>('DELETE FROM log_matches WHERE at < ?');
    this.overCapStmt = db.prepare<[number], { pattern_id: string }>(
      'SELECT pattern_id FROM log_matches GROUP BY pattern_id HAVING count(*) > ?',
    );
  }

  /** Runs `fn` in one transaction of the store's database (shared with the log offsets, so both commit together). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Stores one poll's matches in one transaction, then trims each pattern that got new ones to its newest
   * `keepPerPattern`, so a pattern matching every line cannot grow the table without bound between prunes.
   */
  insertMany(matches: readonly NewLogMatch[], keepPerPattern: number): void {
    checkLimit('keepPerPattern', keepPerPattern, 1);
    if (matches.length === 0) return;
    this.transaction(() => {
      for (const match of matches) this.insertStmt.run(match.patternId, match.source, match.line, match.at);
      for (const patternId of new Set(matches.map((match) => match.patternId))) {
        this.trimStmt.run(patternId, patternId, keepPerPattern);
      }
    });
  }

  /** Matches of the pattern at or after `sinceMs`. */
  countSince(patternId: string, sinceMs: number): number {
    return this.countSinceStmt.get(patternId, sinceMs)?.count ?? 0;
  }

  /** Time of the pattern's latest stored match, or null. */
  lastMatchAt(patternId: string): number | null {
    return this.lastAtStmt.get(patternId)?.at ?? null;
  }

  /** Newest first; `beforeId` pages back (only matches stored before that one). */
  list(query: LogMatchQuery): LogMatch[] {
    checkLimit('limit', query.limit);
    const given = conditions.filter(([filter]) => query[filter] !== undefined);
    const key = given.map(([filter]) => filter).join(',');
    let statement = this.pageStmts.get(key);
    if (!statement) {
      const where = given.length === 0 ? '' : `WHERE ${given.map(([, condition]) => condition).join(' AND ')}`;
      statement = this.db.prepare<unknown[], LogMatchRow>(
        `SELECT * FROM log_matches ${where} ORDER BY id DESC LIMIT ?`,
      );
      this.pageStmts.set(key, statement);
    }
    const params = given.map(([filter]) => {
      const value = query[filter]!;
      return typeof value === 'object' ? JSON.stringify(value) : value;
    });
    return statement.all(...params, query.limit).map(toMatch);
  }

  /** Deletes matches older than `before` and any beyond each pattern's newest `keepPerPattern`; returns how many. */
  prune(before: number, keepPerPattern: number): number {
    checkLimit('keepPerPattern', keepPerPattern, 1);
    return this.transaction(() => {
      let deleted = this.pruneStmt.run(before).changes;
      for (const { pattern_id: patternId } of this.overCapStmt.all(keepPerPattern)) {
        deleted += this.trimStmt.run(patternId, patternId, keepPerPattern).changes;
      }
      return deleted;
    });
  }
}
