import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fleetAlertMirror } from '../../../electron/alert-delivery/fleet-alert-mirror.js';
import { fleetAlertKeys } from '../../../electron/cluster/fleet-keys.js';
import { LocalBackend } from '../../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../../electron/cluster/local/local-coordinator.js';
import { AlertNotifier } from '../../../electron/desktop-notifications/alert-notifier.js';
import { DesktopNotificationsRepository } from '../../../electron/desktop-notifications/desktop-notifications-repository.js';
import type {
  DesktopNotice,
  DesktopNoticeAction,
  DesktopNotifierPort,
} from '../../../electron/desktop-notifications/desktop-notifier-port.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { DesktopNotificationSettings } from '../../../shared/desktop-notifications.js';
import type { FleetAlertEvent, FleetAlertRecord } from '../../../shared/fleet-alerts.js';
import { ManualClock } from '../../support/manual-clock.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';

const midnight = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
/** The test's local time is UTC, whatever zone the machine is in. */
const utcMinuteOfDay = (ms: number) => Math.floor(ms / MINUTE) % 1440;

/** A record as node `web-1` publishes it: its events numbered from 1. */
function alertRecord(
  localId: number,
  transitions: Array<FleetAlertEvent['transition']>,
  alert: Partial<FleetAlertRecord['alert']> = {},
): FleetAlertRecord {
  return {
    alert: {
      id: `web-1/${localId}`,
      localId,
      ruleId: 'disk-full',
      ruleName: 'Disk almost full',
      severity: 'warning',
      state: transitions.includes('resolved') ? 'resolved' : 'firing',
      summary: 'disk 93% used',
      value: 93,
      firingValue: 93,
      node: 'web-1',
      labels: {},
      startedAt: midnight,
      firingAt: midnight,
      resolvedAt: transitions.includes('resolved') ? midnight + MINUTE : null,
      description: 'The disk of web-1 is almost full.',
      acknowledged: null,
      ...(transitions.includes('acknowledged')
        ? { acknowledgedBy: 'ana', acknowledged: { by: 'ana', at: midnight, note: '', untilMs: null } }
        : {}),
      ...alert,
    },
    events: transitions.map((transition, index) => ({ seq: index + 1, transition, at: midnight })),
  };
}

/** A port that records what it was asked to show, and lets the test act on a notification. */
class RecordingPort implements DesktopNotifierPort {
  readonly shown: Array<{ notice: DesktopNotice; act: (action: DesktopNoticeAction) => void }> = [];
  readonly revealed: string[] = [];
  show(notice: DesktopNotice, onAction: (action: DesktopNoticeAction) => void): void {
    this.shown.push({ notice, act: onAction });
  }
  reveal(alertId: string): void {
    this.revealed.push(alertId);
  }
  get titles(): string[] {
    return this.shown.map(({ notice }) => notice.title);
  }
}

/** One embedded coordinator (the fleet's backend) that consoles on their own SQLite files watch. */
async function fleet() {
  const clock = new ManualClock(midnight);
  const { logger } = memoryLogger();
  const coordinator = new LocalCoordinator(clock);
  const backend = new LocalBackend({ coordinator, ownsCoordinator: false, cluster: 'unit', clock, logger });
  await backend.connect();
  onTestFinished(() => backend.close());
  const publish = (record: FleetAlertRecord) =>
    backend.put(fleetAlertKeys.record(record.alert.id), JSON.stringify(record));

  /** A console on `file` (a new database unless given): its mirror of the records and its notifier, started. */
  async function openConsole(options: { file?: string; settings?: Partial<DesktopNotificationSettings> } = {}) {
    const file = options.file ?? join(mkdtempSync(join(tmpdir(), 'fleetdeck-desktop-')), databaseFileName);
    const { db } = openDatabase(file, { now: midnight });
    const repository = new DesktopNotificationsRepository(db);
    if (options.settings) {
      repository.saveSettings(DesktopNotificationSettings.parse(options.settings), clock.now());
    }
    const records = fleetAlertMirror({ backend, clock, logger });
    const port = new RecordingPort();
    const acknowledged: string[] = [];
    const notifier = new AlertNotifier({
      records,
      repository,
      port,
      clock,
      logger,
      minuteOfDay: utcMinuteOfDay,
      acknowledge: (alert) => {
        acknowledged.push(alert.id);
        return Promise.resolve();
      },
    });
    const mirror = records.start();
    const stopNotifier = notifier.start();
    await mirror.ready;
    const stop = () => {
      stopNotifier();
      mirror.stop();
      if (db.open) db.close();
    };
    onTestFinished(stop);
    /** Publishes `record` and waits until this console's mirror holds that revision (so its pass has run). */
    const seen = async (record: FleetAlertRecord) => {
      const revision = await publish(record);
      await waitFor(
        `revision ${revision} of ${record.alert.id}`,
        () => records.get(record.alert.id)?.revision === revision,
      );
    };
    return { file, port, acknowledged, repository, seen, stop };
  }

  return { clock, publish, openConsole };
}

describe('desktop notifications of fleet alerts', () => {
  it('does not show the backlog a console finds on its first start, then shows what happens after', async () => {
    const { publish, openConsole } = await fleet();
    await publish(alertRecord(1, ['firing']));
    await publish(alertRecord(2, ['firing', 'resolved']));
    const desk = await openConsole();
    expect(desk.port.shown).toEqual([]);

    await desk.seen(alertRecord(2, ['firing', 'resolved'], { summary: 'disk 80% used' }));
    await desk.seen(alertRecord(1, ['firing', 'acknowledged']));
    await desk.seen(alertRecord(3, ['firing']));
    expect(desk.port.titles).toEqual([
      'WARNING: Disk almost full acknowledged by ana',
      'WARNING: Disk almost full firing',
    ]);
    expect(desk.port.shown[1]?.notice).toMatchObject({ alertId: 'web-1/3', body: 'disk 93% used — on web-1' });
  });

  it('shows alerts at or above the chosen severity only', async () => {
    const { openConsole } = await fleet();
    const desk = await openConsole({ settings: { minSeverity: 'critical' } });
    await desk.seen(alertRecord(1, ['firing'], { severity: 'info' }));
    await desk.seen(alertRecord(2, ['firing'], { severity: 'warning' }));
    await desk.seen(alertRecord(3, ['firing'], { severity: 'critical' }));
    await desk.seen(alertRecord(4, ['firing'], { severity: 'emergency' }));
    expect(desk.port.shown.map(({ notice }) => notice.alertId)).toEqual(['web-1/3', 'web-1/4']);
  });

  it('shows nothing when turned off', async () => {
    const { openConsole } = await fleet();
    const desk = await openConsole({ settings: { enabled: false, minSeverity: 'info' } });
    await desk.seen(alertRecord(1, ['firing'], { severity: 'emergency' }));
    expect(desk.port.shown).toEqual([]);
  });

  it('keeps quiet during do-not-disturb hours that wrap midnight, and does not show later what came then', async () => {
    const { clock, openConsole } = await fleet();
    const desk = await openConsole({ settings: { doNotDisturb: { from: '22:00', to: '07:00' } } });
    clock.stepWall(23 * 60 * MINUTE + 30 * MINUTE); // 23:30
    await desk.seen(alertRecord(1, ['firing']));
    clock.stepWall(2 * 60 * MINUTE); // 01:30 the next day
    await desk.seen(alertRecord(2, ['firing']));
    clock.stepWall(5 * 60 * MINUTE + 29 * MINUTE); // 06:59
    await desk.seen(alertRecord(3, ['firing']));
    expect(desk.port.shown).toEqual([]);

    clock.stepWall(MINUTE); // 07:00: the quiet hours are over
    await desk.seen(alertRecord(1, ['firing', 'resolved']));
    clock.stepWall(14 * 60 * MINUTE); // 21:00
    await desk.seen(alertRecord(4, ['firing']));
    expect(desk.port.shown.map(({ notice }) => [notice.alertId, notice.title])).toEqual([
      ['web-1/1', 'WARNING: Disk almost full resolved'],
      ['web-1/4', 'WARNING: Disk almost full firing'],
    ]);
  });

  it('never shows one event twice: not for a new revision of the record, nor after a restart on the same database', async () => {
    const { openConsole } = await fleet();
    const first = await openConsole();
    await first.seen(alertRecord(1, ['firing']));
    await first.seen(alertRecord(1, ['firing'], { summary: 'disk 94% used', value: 94 }));
    expect(first.port.titles).toEqual(['WARNING: Disk almost full firing']);
    first.stop();

    const again = await openConsole({ file: first.file });
    expect(again.port.shown).toEqual([]);
    await again.seen(alertRecord(1, ['firing', 'resolved']));
    expect(again.port.titles).toEqual(['WARNING: Disk almost full resolved']);
  });

  it('offers Acknowledge on a firing alert and Open on every notification', async () => {
    const { openConsole } = await fleet();
    const desk = await openConsole();
    await desk.seen(alertRecord(7, ['firing']));
    await desk.seen(alertRecord(7, ['firing', 'resolved']));
    const [firing, resolved] = desk.port.shown;
    expect(firing?.notice.actions).toEqual(['acknowledge', 'open']);
    expect(resolved?.notice.actions).toEqual(['open']);
    firing?.act('acknowledge');
    resolved?.act('open');
    expect(desk.acknowledged).toEqual(['web-1/7']);
    expect(desk.port.revealed).toEqual(['web-1/7']);
  });
});
