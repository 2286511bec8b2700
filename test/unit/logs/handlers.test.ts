import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { matchQuery } from '../../../electron/logs/handlers.js';
import { LogMatchesRepository } from '../../../electron/store/log-matches-repository.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { LogPattern, type LogPatternState, type Severity } from '../../../shared/log-patterns.js';
import { methods } from '../../../shared/rpc.js';

const now = Date.UTC(2026, 0, 1);
const opened: Database.Database[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function repository() {
  const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-log-handlers-')), databaseFileName);
  const { db } = openDatabase(file, { now });
  opened.push(db);
  const matches = new LogMatchesRepository(db);
  matches.insertMany(
    [
      { patternId: 'oom', source: 'web', line: 'out of memory', at: now },
      { patternId: 'slow', source: 'web', line: 'slow request', at: now + 1000 },
      { patternId: 'panic', source: 'db', line: 'panic: nil map', at: now + 2000 },
      { patternId: 'login', source: 'web', line: 'login ok', at: now + 3000 },
      // Stored when a pattern now removed was in force.
      { patternId: 'gone', source: 'web', line: 'old line', at: now + 4000 },
    ],
    100,
  );
  return matches;
}

const inForce = (id: string, severity: Severity): LogPatternState => ({
  pattern: LogPattern.parse({ id, name: id, regex: id, severity }),
  source: 'fleet',
  matchesLastHour: 0,
  lastMatchAt: null,
  problem: null,
});

const patterns = [
  inForce('oom', 'critical'),
  inForce('panic', 'critical'),
  inForce('slow', 'warning'),
  inForce('login', 'info'),
];

/** The lines `logs.matches` lists for a request as a client sends it (parsed by the contract first). */
const listed = (matches: LogMatchesRepository, params: object) => {
  const request = methods['logs.matches'].request.parse(params);
  return matches.list(matchQuery(request, patterns)).map((match) => match.line);
};

describe('logs.matches filters', () => {
  it('keeps the old requests working: all, one pattern, paging back', () => {
    const matches = repository();
    expect(listed(matches, {})).toEqual(['old line', 'login ok', 'panic: nil map', 'slow request', 'out of memory']);
    expect(listed(matches, { patternId: 'gone' })).toEqual(['old line']);
    const newest = matches.list({ limit: 1 })[0]!;
    expect(listed(matches, { beforeId: newest.id, limit: 2 })).toEqual(['login ok', 'panic: nil map']);
  });

  it('filters by severity as the patterns in force have it, leaving out lines of patterns no longer in force', () => {
    const matches = repository();
    expect(listed(matches, { severity: 'critical' })).toEqual(['panic: nil map', 'out of memory']);
    expect(listed(matches, { severity: 'info' })).toEqual(['login ok']);
    expect(listed(matches, { severity: 'critical', patternId: 'oom' })).toEqual(['out of memory']);
    expect(listed(matches, { severity: 'critical', patternId: 'slow' })).toEqual([]);
  });

  it('filters by source and time window together with the others', () => {
    const matches = repository();
    expect(listed(matches, { source: 'db' })).toEqual(['panic: nil map']);
    expect(listed(matches, { from: now + 1000, to: now + 3000 })).toEqual([
      'login ok',
      'panic: nil map',
      'slow request',
    ]);
    expect(listed(matches, { source: 'web', severity: 'critical', to: now + 3000 })).toEqual(['out of memory']);
  });

  it('refuses a window that ends before it starts, naming the field', () => {
    const parsed = methods['logs.matches'].request.safeParse({ from: now + 1, to: now });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['to', 'must not be before from'],
    ]);
  });
});
