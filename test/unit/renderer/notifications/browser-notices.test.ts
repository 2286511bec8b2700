import { describe, expect, it } from 'vitest';
import { browserNotices, MAX_REMEMBERED } from '../../../../renderer/notifications/browser-notices.js';
import { DesktopNotificationSettings } from '../../../../shared/desktop-notifications.js';
import type { ListedAlert } from '../../../../shared/fleet-alerts.js';

const midnight = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const utcMinuteOfDay = (ms: number) => Math.floor(ms / MINUTE) % 1440;
const settings = (input: Partial<DesktopNotificationSettings> = {}) => DesktopNotificationSettings.parse(input);

function listed(id: number, alert: Partial<ListedAlert> = {}): ListedAlert {
  return {
    id,
    node: 'web-1',
    ruleId: 'disk-full',
    ruleName: 'Disk almost full',
    severity: 'warning',
    labels: {},
    state: 'firing',
    value: 93,
    firingValue: 93,
    summary: 'disk 93% used',
    description: '',
    startedAt: midnight,
    firingAt: midnight,
    resolvedAt: null,
    acknowledged: null,
    silenced: false,
    ...alert,
  };
}

const titles = (result: ReturnType<typeof browserNotices>) => result.show.map((notice) => notice.title);

describe('which fleet alert events a browser tab shows', () => {
  it('takes in what it finds the first time without showing it, then shows each new event once', () => {
    const first = browserNotices([listed(1)], settings(), null, midnight, utcMinuteOfDay);
    expect(first.show).toEqual([]);

    const acknowledged = listed(1, { acknowledged: { by: 'ana', at: midnight + MINUTE, note: '', untilMs: null } });
    const second = browserNotices([acknowledged, listed(2)], settings(), first.remember, midnight, utcMinuteOfDay);
    expect(titles(second)).toEqual([
      'WARNING: Disk almost full acknowledged by ana',
      'WARNING: Disk almost full firing',
    ]);
    expect(second.show[1]).toMatchObject({ alertId: 'web-1/2', body: 'disk 93% used — on web-1' });

    const again = browserNotices([acknowledged, listed(2)], settings(), second.remember, midnight, utcMinuteOfDay);
    expect(again.show).toEqual([]);
  });

  it('tells a resolved alert only if it fired', () => {
    const seen = browserNotices([], settings(), null, midnight, utcMinuteOfDay).remember;
    const resolved = { state: 'resolved' as const, resolvedAt: midnight + MINUTE };
    const result = browserNotices(
      [listed(1, resolved), listed(2, { ...resolved, firingAt: null })],
      settings(),
      seen,
      midnight,
      utcMinuteOfDay,
    );
    expect(result.show.map((notice) => [notice.alertId, notice.title])).toEqual([
      ['web-1/1', 'WARNING: Disk almost full firing'],
      ['web-1/1', 'WARNING: Disk almost full resolved'],
    ]);
  });

  it('applies the severity and do-not-disturb hours, and does not show later what they left out', () => {
    const quietNights = settings({ minSeverity: 'critical', doNotDisturb: { from: '22:00', to: '07:00' } });
    const seen = browserNotices([], quietNights, null, midnight, utcMinuteOfDay).remember;
    const at2300 = midnight + 23 * 60 * MINUTE;
    const night = browserNotices(
      [listed(1, { severity: 'emergency' }), listed(2, { severity: 'warning' })],
      quietNights,
      seen,
      at2300,
      utcMinuteOfDay,
    );
    expect(night.show).toEqual([]);

    const at0700 = midnight + 7 * 60 * MINUTE;
    const morning = browserNotices(
      [listed(1, { severity: 'emergency' }), listed(2, { severity: 'warning' }), listed(3, { severity: 'critical' })],
      quietNights,
      night.remember,
      at0700,
      utcMinuteOfDay,
    );
    expect(morning.show.map((notice) => notice.alertId)).toEqual(['web-1/3']);
  });

  it('remembers a bounded number of events, newest kept', () => {
    const many = Array.from({ length: MAX_REMEMBERED + 10 }, (_, index) => `web-1/${index}:firing:${midnight}`);
    const result = browserNotices([listed(99_999)], settings(), many, midnight, utcMinuteOfDay);
    expect(result.remember).toHaveLength(MAX_REMEMBERED);
    expect(result.remember.at(-1)).toBe(`web-1/99999:firing:${midnight}`);
    expect(titles(result)).toEqual(['WARNING: Disk almost full firing']);
  });
});
