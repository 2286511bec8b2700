import type { Database } from 'better-sqlite3';
import { DesktopNotificationSettings, defaultDesktopNotificationSettings } from '../../shared/desktop-notifications.js';

const SETTINGS_KEY = 'desktopNotifications.settings';
/** Set once the fleet's alerts were first seen here: what was there before is backlog, never shown. */
const BASELINE_KEY = 'desktopNotifications.baseline';
/** Per fleet alert id: the last event seq this console has dealt with (shown, or left out by its filter). */
const SEEN_PREFIX = 'desktopNotifications.seen:';

export interface SeenChanges {
  /** Alert id → the last event seq now dealt with. */
  seen: ReadonlyMap<string, number>;
  /** Alerts no longer in the backend. */
  gone: readonly string[];
  /** Marks the backlog as taken in (the first pass). */
  baseline: boolean;
  now: number;
}

/**
 * This console's notification settings and how far it got with each fleet alert, kept in the node's `settings`
 * table (small named values, one row per alert still in the backend), so a restart neither forgets the settings nor
 * shows an event again.
 */
export class DesktopNotificationsRepository {
  private readonly selectStmt;
  private readonly upsertStmt;
  private readonly seenStmt;
  private readonly deleteStmt;
  private readonly saveSeenTx;

  constructor(db: Database) {
    this.selectStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.upsertStmt = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    // A prefix compare, not LIKE: alert ids may hold `_`.
    this.seenStmt = db.prepare<[string], { key: string; value: string }>(
      `SELECT key, value FROM settings WHERE substr(key, 1, ${SEEN_PREFIX.length}) = ?`,
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
    this.saveSeenTx = db.transaction(({ seen, gone, baseline, now }: SeenChanges) => {
      for (const [alertId, seq] of seen) this.upsertStmt.run(SEEN_PREFIX + alertId, String(seq), now);
      for (const alertId of gone) this.deleteStmt.run(SEEN_PREFIX + alertId);
      if (baseline) this.upsertStmt.run(BASELINE_KEY, String(now), now);
    });
  }

  /** The saved settings; the defaults when none were saved or what was saved no longer parses. */
  settings(): DesktopNotificationSettings {
    const saved = this.selectStmt.get(SETTINGS_KEY)?.value;
    if (saved === undefined) return defaultDesktopNotificationSettings;
    try {
      return DesktopNotificationSettings.parse(JSON.parse(saved));
    } catch {
      return defaultDesktopNotificationSettings;
    }
  }

  saveSettings(settings: DesktopNotificationSettings, now: number): void {
    this.upsertStmt.run(SETTINGS_KEY, JSON.stringify(settings), now);
  }

  hasBaseline(): boolean {
    return this.selectStmt.get(BASELINE_KEY) !== undefined;
  }

  /** The last event seq dealt with per alert id. */
  seen(): Map<string, number> {
    return new Map(this.seenStmt.all(SEEN_PREFIX).map((row) => [row.key.slice(SEEN_PREFIX.length), Number(row.value)]));
  }

  /** Records how far each alert was dealt with and forgets alerts gone from the backend, in one transaction. */
  saveSeen(changes: SeenChanges): void {
    this.saveSeenTx(changes);
  }
}
