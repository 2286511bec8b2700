import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 18 (notification outbox)', () => {
  it('adds the outbox to a version-17 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 17);
    const before = insertUserData(db);
    const tables = tablesOf(db);

    expect(migrateTo(db, 18)).toEqual({ from: 17, to: 18, applied: ['18 notification outbox'] });
    expect(tablesOf(db)).toEqual([...tables, 'notification_outbox'].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'notification_outbox')).toEqual([]);
  });

  it('holds a delivery id once, and a settle time exactly on settled rows', () => {
    const db = newDatabase();
    migrateTo(db, 18);
    const insert = db.prepare(
      `INSERT INTO notification_outbox (delivery_id, notice_key, channel_id, stream, notice, state, settled_at, created_at)
       VALUES (?, 'k', 'hook', 'a1/hook', '{}', ?, ?, 1)`,
    );
    insert.run('d1', 'pending', null);
    insert.run('d2', 'sent', 5);
    insert.run('d3', 'failed', 5);
    expect(() => insert.run('d1', 'pending', null)).toThrow('UNIQUE constraint failed');
    expect(() => insert.run('d4', 'pending', 5)).toThrow('CHECK constraint failed');
    expect(() => insert.run('d5', 'sent', null)).toThrow('CHECK constraint failed');
    expect(() => insert.run('d6', 'sending', null)).toThrow('CHECK constraint failed');
  });

  it('finds pending deliveries in order, a key’s pending ones and old settled ones from indexes', () => {
    const db = newDatabase();
    migrateTo(db, 18);
    const pending = queryPlan(db, `SELECT * FROM notification_outbox WHERE state = 'pending' ORDER BY seq`);
    expect(pending).toContain('USING INDEX notification_outbox_pending (state=?)');
    expect(pending).not.toContain('TEMP B-TREE');
    expect(
      queryPlan(db, `SELECT COUNT(*) FROM notification_outbox WHERE notice_key = 'k' AND state = 'pending'`),
    ).toContain('USING COVERING INDEX notification_outbox_by_key (notice_key=? AND state=?)');
    expect(
      queryPlan(db, 'SELECT seq FROM notification_outbox WHERE settled_at IS NOT NULL AND settled_at < 5 LIMIT 1000'),
    ).toContain('USING COVERING INDEX notification_outbox_settled (settled_at>? AND settled_at<?)');
  });
});
