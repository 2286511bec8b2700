import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DesktopNotificationsRepository } from '../../../electron/desktop-notifications/desktop-notifications-repository.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { SettingsRepository } from '../../../electron/store/settings-repository.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { defaultDesktopNotificationSettings } from '../../../shared/desktop-notifications.js';

const now = Date.UTC(2026, 0, 1);

/** The node's database file, opened (again) as the agent opens it. */
function open(file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-desktop-')), databaseFileName)) {
  const { db } = openDatabase(file, { now });
  onTestFinished(() => {
    if (db.open) db.close();
  });
  return { file, db, repository: new DesktopNotificationsRepository(db) };
}

describe('what a console keeps about its notifications', () => {
  it('keeps the settings across a reopen, and falls back to the defaults when what is stored does not parse', () => {
    const first = open();
    expect(first.repository.settings()).toEqual(defaultDesktopNotificationSettings);
    const quiet = { enabled: true, minSeverity: 'critical', doNotDisturb: { from: '22:00', to: '07:00' } } as const;
    first.repository.saveSettings(quiet, now);
    first.db.close();

    const again = open(first.file);
    expect(again.repository.settings()).toEqual(quiet);
    new SettingsRepository(again.db).set('desktopNotifications.settings', '{not json', now);
    expect(again.repository.settings()).toEqual(defaultDesktopNotificationSettings);
  });

  it('keeps how far each alert got, forgets alerts gone from the backend, and marks the backlog taken once', () => {
    const { repository } = open();
    expect(repository.hasBaseline()).toBe(false);
    repository.saveSeen({
      seen: new Map([
        ['web-1/1', 2],
        ['web_2/1', 1],
      ]),
      gone: [],
      baseline: true,
      now,
    });
    repository.saveSeen({ seen: new Map([['web-1/1', 3]]), gone: ['web_2/1'], baseline: false, now });
    expect(repository.seen()).toEqual(new Map([['web-1/1', 3]]));
    expect(repository.hasBaseline()).toBe(true);
  });
});
