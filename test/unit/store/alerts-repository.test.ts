import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertsRepository, type NewAlert } from '../../../electron/store/alerts-repository.js';
import { migrations } from '../../../electron/store/migrations/index.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import type { Alert } from '../../../shared/alerts.js';

const now = Date.UTC(2026, 0, 1);
const opened: Database.Database[] = [];

function open(file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-alerts-')), databaseFileName)) {
  const { db } = openDatabase(file, { now });
  opened.push(db);
  return { db, file, alerts: new AlertsRepository(db) };
}

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

const pending = (ruleId: string, startedAt: number, overrides: Partial<NewAlert> = {}): NewAlert => ({
  ruleId,
  ruleName: `Rule ${ruleId}`,
  severity: 'warning',
  labels: { team: 'ops' },
  state: 'pending',
  value: 97,
  firingValue: null,
  summary: 'cpu 97% > 90%',
  description: 'CPU of node-a at 97%',
  startedAt,
  firingAt: null,
  resolvedAt: null,
  ...overrides,
});

const resolved = (alert: Alert, at: number): Alert => ({ ...alert, state: 'resolved', resolvedAt: at });

describe('AlertsRepository', () => {
  it('stores an alert and its transitions in place, keeping its id and start time', () => {
    const { alerts } = open();
    const created = alerts.save({ insert: pending('cpu-high', now) });
    expect(created).toEqual({
      id: expect.any(Number),
      ...pending('cpu-high', now),
      acknowledged: null,
      silenced: false,
    });

    const firing = alerts.save({
      update: { ...created, state: 'firing', firingAt: now + 10_000, value: 98, firingValue: 98 },
    });
    expect(alerts.open()).toEqual([firing]);
    const done = alerts.save({ update: { ...resolved(firing, now + 20_000), summary: 'cpu 45% ≤ 90%', value: 45 } });
    expect(alerts.open()).toEqual([]);
    expect(alerts.list({ state: 'all', limit: 10 })).toEqual([done]);
    expect(done).toMatchObject({
      id: created.id,
      startedAt: now,
      firingAt: now + 10_000,
      resolvedAt: now + 20_000,
      value: 45,
      firingValue: 98,
    });
  });

  it('discards a pending alert that ended, and refuses to discard one that fired', () => {
    const { alerts } = open();
    const stillborn = alerts.save({ insert: pending('cpu-high', now) });
    expect(alerts.save({ discard: resolved(stillborn, now + 5) })).toEqual(resolved(stillborn, now + 5));
    expect(alerts.list({ state: 'all', limit: 10 })).toEqual([]);

    const created = alerts.save({ insert: pending('cpu-high', now + 10) });
    const firing = alerts.save({ update: { ...created, state: 'firing', firingAt: now + 20, firingValue: 97 } });
    expect(() => alerts.save({ discard: resolved(firing, now + 30) })).toThrow(/is not pending/);
    expect(alerts.list({ state: 'all', limit: 10 })).toEqual([firing]);
  });

  it('keeps at most one open alert per rule', () => {
    const { alerts } = open();
    const first = alerts.save({ insert: pending('cpu-high', now) });
    expect(() => alerts.save({ insert: pending('cpu-high', now + 1) })).toThrow(/UNIQUE constraint/);
    alerts.save({ update: resolved(first, now + 2) });
    expect(alerts.save({ insert: pending('cpu-high', now + 3) }).id).toBeGreaterThan(first.id);
  });

  it('refuses an update of an alert it does not hold, or under another rule', () => {
    const { alerts } = open();
    const stored = alerts.save({ insert: pending('cpu-high', now) });
    expect(() => alerts.save({ update: { ...stored, id: stored.id + 1 } })).toThrow(/is not stored/);
    expect(() => alerts.save({ update: { ...stored, ruleId: 'other' } })).toThrow(/is not stored/);
  });

  it('lets the table refuse an unknown state or severity, and times that do not fit the state', () => {
    const { alerts } = open();
    expect(() => alerts.save({ insert: pending('a', now, { state: 'exploded' as 'pending' }) })).toThrow(/CHECK/);
    expect(() => alerts.save({ insert: pending('a', now, { severity: 'fatal' as 'info' }) })).toThrow(/CHECK/);
    expect(() => alerts.save({ insert: pending('a', now, { state: 'firing' }) })).toThrow(/CHECK/);
    expect(() => alerts.save({ insert: pending('a', now, { state: 'resolved' }) })).toThrow(/CHECK/);
    expect(() => alerts.save({ insert: pending('a', now, { resolvedAt: now }) })).toThrow(/CHECK/);
    expect(() => alerts.save({ insert: pending('a', now, { firingAt: now }) })).toThrow(/CHECK/);
  });

  it('lists open alerts or the history, newest first, by rule, a page at a time', () => {
    const { alerts } = open();
    const a1 = alerts.save({ update: resolved(alerts.save({ insert: pending('a', now) }), now + 1) });
    const b1 = alerts.save({ insert: pending('b', now + 2) });
    const a2 = alerts.save({ insert: pending('a', now + 3, { state: 'firing', firingAt: now + 3 }) });
    const ids = (list: Alert[]) => list.map((alert) => alert.id);

    expect(ids(alerts.list({ state: 'open', limit: 10 }))).toEqual([a2.id, b1.id]);
    expect(ids(alerts.list({ state: 'all', limit: 10 }))).toEqual([a2.id, b1.id, a1.id]);
    expect(ids(alerts.list({ state: 'all', ruleId: 'a', limit: 10 }))).toEqual([a2.id, a1.id]);
    expect(ids(alerts.list({ state: 'open', ruleId: 'a', limit: 10 }))).toEqual([a2.id]);
    expect(ids(alerts.list({ state: 'all', limit: 2 }))).toEqual([a2.id, b1.id]);
    expect(ids(alerts.list({ state: 'all', limit: 2, beforeId: b1.id }))).toEqual([a1.id]);
    expect(alerts.list({ state: 'all', limit: 0 })).toEqual([]);
    expect(alerts.list({ state: 'all', ruleId: 'nobody', limit: 5 })).toEqual([]);
    expect(() => alerts.list({ state: 'all', limit: -1 })).toThrow(/limit/);
    expect(() => alerts.list({ state: 'all', limit: 1.5 })).toThrow(/limit/);
  });

  it('prunes alerts resolved before the cutoff and keeps open ones however old', () => {
    const { alerts } = open();
    const old = alerts.save({ update: resolved(alerts.save({ insert: pending('a', now) }), now + 10) });
    const recent = alerts.save({ update: resolved(alerts.save({ insert: pending('b', now) }), now + 100) });
    const ancient = alerts.save({ insert: pending('c', now - 1_000_000, { state: 'firing', firingAt: now }) });

    expect(alerts.pruneResolved(now + 50)).toBe(1);
    expect(alerts.list({ state: 'all', limit: 10 }).map((alert) => alert.id)).toEqual([ancient.id, recent.id]);
    expect(alerts.list({ state: 'all', limit: 10 }).some((alert) => alert.id === old.id)).toBe(false);
    expect(alerts.pruneResolved(now + 1_000_000)).toBe(1);
    expect(alerts.open()).toEqual([ancient]);
  });

  it('never reuses an id, even once every alert was pruned', () => {
    const { alerts } = open();
    const first = alerts.save({ update: resolved(alerts.save({ insert: pending('a', now) }), now) });
    alerts.pruneResolved(now + 1);
    expect(alerts.save({ insert: pending('a', now + 2) }).id).toBeGreaterThan(first.id);
  });

  it('migration 11 adds the alerts table to a version-10 database and keeps its data', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-alerts-')), databaseFileName);
    const v10 = openDatabase(file, { now, migrations: migrations.filter((m) => m.version <= 10) });
    v10.db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('node.id', 'node-kept', 1)`).run();
    v10.db.close();

    const { db, migration } = openDatabase(file, { now });
    opened.push(db);
    expect(migration.applied).toContain('11 alerts');
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'node.id'`).get()).toEqual({ value: 'node-kept' });
    expect(new AlertsRepository(db).open()).toEqual([]);
  });
});
