import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

describe('migration 17 (alert lifecycle)', () => {
  it('upgrades a version-15 database with alerts: their data stays and each gets the timeline its times tell', () => {
    const db = newDatabase();
    migrateTo(db, 15);
    insertUserData(db);
    const insert = db.prepare(
      `INSERT INTO alerts (rule_id, rule_name, severity, state, value, summary, started_at, firing_at, resolved_at)
       VALUES (?, 'Rule', 'warning', ?, 1, ?, ?, ?, ?)`,
    );
    const pending = Number(insert.run('a-pending', 'pending', 'cpu 95% > 90%', 1000, null, null).lastInsertRowid);
    const fired = Number(insert.run('a-fired', 'firing', 'cpu 97% > 90%', 1000, 4000, null).lastInsertRowid);
    const atOnce = Number(insert.run('a-at-once', 'resolved', 'cpu 40% ≤ 90%', 2000, 2000, 9000).lastInsertRowid);
    const alertsBefore = rowsOf(db, 'alerts');

    expect(migrateTo(db, 17).applied).toContain('17 alert lifecycle');
    expect(tablesOf(db)).toContain('alert_events');
    const alertsAfter = db
      .prepare('SELECT id, rule_id, state, summary, ack_by, ack_at, ack_note, ack_until FROM alerts ORDER BY id')
      .all();
    expect(alertsAfter).toEqual(
      alertsBefore.map(({ id, rule_id, state, summary }) => ({
        id,
        rule_id,
        state,
        summary,
        ack_by: null,
        ack_at: null,
        ack_note: null,
        ack_until: null,
      })),
    );
    const timeline = (alertId: number) =>
      db.prepare('SELECT at, kind, actor, detail FROM alert_events WHERE alert_id = ? ORDER BY id').all(alertId);
    expect(timeline(pending)).toEqual([{ at: 1000, kind: 'raised', actor: null, detail: 'cpu 95% > 90%' }]);
    expect(timeline(fired)).toEqual([
      { at: 1000, kind: 'raised', actor: null, detail: '' },
      { at: 4000, kind: 'firing', actor: null, detail: 'cpu 97% > 90%' },
    ]);
    expect(timeline(atOnce)).toEqual([
      { at: 2000, kind: 'firing', actor: null, detail: '' },
      { at: 9000, kind: 'resolved', actor: null, detail: 'cpu 40% ≤ 90%' },
    ]);
  });

  it('keeps an acknowledgement whole: who and when and note together, an expiry only with them', () => {
    const db = newDatabase();
    migrateTo(db, 17);
    const id = Number(
      db
        .prepare(
          `INSERT INTO alerts (rule_id, rule_name, severity, state, value, summary, started_at, firing_at)
           VALUES ('r', 'Rule', 'warning', 'firing', 1, 's', 1, 1)`,
        )
        .run().lastInsertRowid,
    );
    const ack = db.prepare('UPDATE alerts SET ack_by = ?, ack_at = ?, ack_note = ?, ack_until = ? WHERE id = ?');
    ack.run('ops', 5, 'on it', 9, id);
    ack.run(null, null, null, null, id);
    expect(() => ack.run('ops', null, 'on it', null, id)).toThrow('CHECK constraint failed');
    expect(() => ack.run('ops', 5, null, null, id)).toThrow('CHECK constraint failed');
    expect(() => ack.run(null, null, null, 9, id)).toThrow('CHECK constraint failed');
  });

  it('deletes an alert’s timeline with the alert, and reads a timeline and the next expiry from indexes', () => {
    const db = newDatabase();
    migrateTo(db, 17);
    const id = Number(
      db
        .prepare(
          `INSERT INTO alerts (rule_id, rule_name, severity, state, value, summary, started_at, firing_at, resolved_at)
           VALUES ('r', 'Rule', 'warning', 'resolved', 1, 's', 1, 1, 2)`,
        )
        .run().lastInsertRowid,
    );
    db.prepare(`INSERT INTO alert_events (alert_id, at, kind, detail) VALUES (?, 1, 'firing', '')`).run(id);
    expect(() =>
      db.prepare(`INSERT INTO alert_events (alert_id, at, kind, detail) VALUES (?, 1, 'snoozed', '')`).run(id),
    ).toThrow('CHECK constraint failed');
    db.prepare('DELETE FROM alerts WHERE id = ?').run(id);
    expect(rowsOf(db, 'alert_events')).toEqual([]);

    expect(queryPlan(db, 'SELECT * FROM alert_events WHERE alert_id = 1 ORDER BY id')).toContain(
      'USING INDEX alert_events_by_alert (alert_id=?)',
    );
    expect(queryPlan(db, 'SELECT MIN(ack_until) FROM alerts WHERE ack_until IS NOT NULL')).toContain(
      'alerts_ack_until',
    );
  });
});
