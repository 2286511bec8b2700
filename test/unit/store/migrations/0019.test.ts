import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase } from './migrate-to.js';

describe('migration 19 (alert firing value)', () => {
  it('keeps the firing value of firing alerts, none for the others, and drops alerts resolved without firing', () => {
    const db = newDatabase();
    migrateTo(db, 18);
    const insert = db.prepare(
      `INSERT INTO alerts (rule_id, rule_name, severity, state, value, summary, started_at, firing_at, resolved_at)
       VALUES (?, 'Rule', 'critical', ?, ?, 's', 1000, ?, ?)`,
    );
    const id = (...values: [string, string, number, number | null, number | null]) =>
      Number(insert.run(...values).lastInsertRowid);
    const pending = id('a-pending', 'pending', 95, null, null);
    const firing = id('a-firing', 'firing', 97, 4000, null);
    const resolvedAfterFiring = id('a-fired', 'resolved', 40, 2000, 9000);
    const neverFired = id('a-never', 'resolved', 40, null, 3000);
    db.prepare(`INSERT INTO alert_events (alert_id, at, kind, detail) VALUES (?, 1000, 'raised', '')`).run(neverFired);

    expect(migrateTo(db, 19).applied).toEqual(['19 alert firing value']);
    expect(db.prepare('SELECT id, value, firing_value FROM alerts ORDER BY id').all()).toEqual([
      { id: pending, value: 95, firing_value: null },
      { id: firing, value: 97, firing_value: 97 },
      { id: resolvedAfterFiring, value: 40, firing_value: null },
    ]);
    expect(db.prepare('SELECT * FROM alert_events WHERE alert_id = ?').all(neverFired)).toEqual([]);
  });
});
