import { describe, expect, it } from 'vitest';
import { DesktopNotificationSettings, inDoNotDisturb, shouldNotify } from '../../../shared/desktop-notifications.js';

const at = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

describe('desktop notification settings', () => {
  it('quiet hours within a day: from inclusive, to exclusive', () => {
    const office = { from: '09:00', to: '17:30' };
    expect(['08:59', '09:00', '17:29', '17:30'].map((time) => inDoNotDisturb(office, at(time)))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('quiet hours past midnight', () => {
    const night = { from: '22:00', to: '07:00' };
    expect(
      ['21:59', '22:00', '23:59', '00:00', '06:59', '07:00'].map((time) => inDoNotDisturb(night, at(time))),
    ).toEqual([false, true, true, true, true, false]);
  });

  it('equal times or none mean no quiet hours', () => {
    expect(inDoNotDisturb({ from: '08:00', to: '08:00' }, at('08:00'))).toBe(false);
    expect(inDoNotDisturb(null, at('03:00'))).toBe(false);
  });

  it('refuses a time that is not HH:MM, naming the field', () => {
    const parsed = DesktopNotificationSettings.safeParse({ doNotDisturb: { from: '24:00', to: '7:00' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['doNotDisturb.from', 'doNotDisturb.to']);
  });

  it('shows an alert at or above the minimum severity only, and nothing when off', () => {
    const critical = DesktopNotificationSettings.parse({ minSeverity: 'critical' });
    expect(['info', 'warning', 'critical', 'emergency'].map((severity) => shouldNotify(critical, severity, 0))).toEqual(
      [false, false, true, true],
    );
    expect(shouldNotify({ ...critical, enabled: false }, 'emergency', 0)).toBe(false);
  });
});
