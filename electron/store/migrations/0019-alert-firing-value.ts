import type { Migration } from './migration.js';

/**
 * The value that fired an alert, kept once it resolves (`value` follows the alert's last change). A firing alert's
 * last change was its firing, so its value is that value. Alerts resolved without ever firing are deleted with their
 * timelines: they were pending, never anyone's problem, and the history showed them as a resolved firing.
 */
export const migration0019: Migration = {
  version: 19,
  name: 'alert firing value',
  up(db) {
    db.exec(`
      ALTER TABLE alerts ADD COLUMN firing_value REAL;
      UPDATE alerts SET firing_value = value WHERE state = 'firing';
      DELETE FROM alerts WHERE state = 'resolved' AND firing_at IS NULL;
    `);
  },
};
