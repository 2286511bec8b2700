import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/store/open-database.js';
import {
  SupervisorEventsRepository,
  type SupervisorEventKind,
} from '../../../electron/store/supervisor-events-repository.js';
import { databaseFileName } from '../../../electron/store/store.js';

const now = Date.UTC(2026, 0, 1);
const opened: Database.Database[] = [];

function open(file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-supervisor-events-')), databaseFileName)) {
  const { db } = openDatabase(file, { now });
  opened.push(db);
  return { db, file, events: new SupervisorEventsRepository(db) };
}

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

describe('SupervisorEventsRepository', () => {
  it('records events and lists the newest first, ties broken by insertion order', () => {
    const { events } = open();
    events.record('web', 'start', 'pid 10', now);
    events.record('web', 'exit', 'pid 10 exited with code 1', now + 5);
    events.record('web', 'restart', 'restart 1 in 500 ms', now + 5);
    events.record('other', 'start', 'pid 11', now + 6);

    expect(events.recent('web', 10).map((e) => [e.kind, e.at])).toEqual([
      ['restart', now + 5],
      ['exit', now + 5],
      ['start', now],
    ]);
    expect(events.recent('web', 1)).toEqual([
      { id: expect.any(Number), serviceId: 'web', at: now + 5, kind: 'restart', detail: 'restart 1 in 500 ms' },
    ]);
    expect(events.recent('web', 0)).toEqual([]);
    expect(events.recent('nobody', 5)).toEqual([]);
  });

  it('refuses a negative or fractional limit, naming it', () => {
    const { events } = open();
    expect(() => events.recent('web', -1)).toThrow(/limit/);
    expect(() => events.recent('web', 1.5)).toThrow(/limit/);
  });

  it('counts only restarts of the service at or after the given time', () => {
    const { events } = open();
    events.record('web', 'restart', 'a', now);
    events.record('web', 'restart', 'b', now + 100);
    events.record('web', 'exit', 'c', now + 200);
    events.record('web', 'give-up', 'd', now + 300);
    events.record('other', 'restart', 'e', now + 400);

    expect(events.restartsSince('web', now)).toBe(2);
    expect(events.restartsSince('web', now + 1)).toBe(1);
    expect(events.restartsSince('web', now + 101)).toBe(0);
    expect(events.restartsSince('other', 0)).toBe(1);
  });

  it('deletes one service history and keeps the others', () => {
    const { events } = open();
    events.record('web', 'start', 'pid 1', now);
    events.record('web', 'stop', 'stopped', now + 1);
    events.record('db', 'start', 'pid 2', now);

    expect(events.deleteService('web')).toBe(2);
    expect(events.recent('web', 10)).toEqual([]);
    expect(events.recent('db', 10)).toHaveLength(1);
  });

  it('lets the table refuse a kind outside the list', () => {
    const { events } = open();
    expect(() => events.record('web', 'exploded' as SupervisorEventKind, 'x', now)).toThrow(/CHECK constraint/);
  });

  it('keeps events across closing and reopening the database file', () => {
    const first = open();
    first.events.record('web', 'give-up', 'gave up after 5 restarts', now);
    first.db.close();

    const second = open(first.file);
    expect(second.events.recent('web', 5)).toMatchObject([{ kind: 'give-up', detail: 'gave up after 5 restarts' }]);
  });

  it('remembers one running process per service until that pid is forgotten', () => {
    const { events, db, file } = open();
    expect(events.rememberedProcess('web')).toBeNull();
    events.rememberProcess('web', 100, ['/usr/bin/web', '--port', '80'], now);
    events.rememberProcess('web', 101, ['/usr/bin/web', '--port', '81'], now + 1);
    events.rememberProcess('db', 200, ['db'], now);
    expect(events.rememberedProcess('web')).toEqual({
      serviceId: 'web',
      pid: 101,
      argv: ['/usr/bin/web', '--port', '81'],
      startedAt: now + 1,
    });

    // The end of the replaced process must not clear its successor.
    expect(events.forgetProcess('web', 100)).toBe(false);
    db.close();
    const reopened = open(file).events;
    expect(reopened.rememberedProcess('web')).toMatchObject({ pid: 101 });
    expect(reopened.forgetProcess('web', 101)).toBe(true);
    expect(reopened.rememberedProcess('web')).toBeNull();
    expect(reopened.rememberedProcess('db')).toMatchObject({ pid: 200 });
  });

  it('reads an argv that is not a list of strings as empty, which matches no process', () => {
    const { events, db } = open();
    db.prepare(`INSERT INTO supervised_processes VALUES ('web', 5, '[1, 2]', 0)`).run();
    expect(events.rememberedProcess('web')).toMatchObject({ pid: 5, argv: [] });
  });
});
