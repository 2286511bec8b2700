import { describe, expect, it } from 'vitest';
import { windowOpenedAt } from '../../../../electron/alerts/lifecycle/maintenance-window-schedule.js';
import { alertLabels, checkWindow, isSilenced } from '../../../../electron/alerts/lifecycle/silencing.js';
import {
  MaintenanceWindow,
  Silence,
  type MaintenanceWindowInput,
  type SilenceDraftInput,
} from '../../../../shared/alert-lifecycle.js';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 0, 5, 10, 0); // a Monday, 10:00 UTC

const silence = (draft: Partial<SilenceDraftInput> & Pick<SilenceDraftInput, 'matchers'>): Silence =>
  Silence.parse({ id: 's1', startsAt: t0, endsAt: t0 + hour, createdBy: 'ops', ...draft });
const window = (input: Partial<MaintenanceWindowInput> & Pick<MaintenanceWindowInput, 'schedule'>) =>
  MaintenanceWindow.parse({ id: 'w1', name: 'Patch night', matchers: [{ name: 'role', value: 'db' }], ...input });

const dbCpu = alertLabels({
  labels: { role: 'db', team: 'storage' },
  node: 'db-1',
  ruleId: 'cpu-high',
  severity: 'critical',
  service: 'postgres',
});

describe('alertLabels', () => {
  it('adds node, rule, severity and service to the alert’s own labels', () => {
    expect(dbCpu).toEqual({
      role: 'db',
      team: 'storage',
      node: 'db-1',
      rule: 'cpu-high',
      severity: 'critical',
      service: 'postgres',
    });
    expect(alertLabels({ labels: {}, node: 'n', ruleId: 'r', severity: 'info' })).not.toHaveProperty('service');
  });
});

describe('isSilenced: silences', () => {
  it('silences an alert every matcher holds for, only from startsAt until endsAt', () => {
    const s = silence({
      matchers: [
        { name: 'node', value: 'db-1' },
        { name: 'severity', op: '=~', value: 'crit.*' },
      ],
    });
    expect(isSilenced(dbCpu, t0 - 1, [s], [])).toEqual({ silenced: false });
    expect(isSilenced(dbCpu, t0, [s], [])).toEqual({ silenced: true, by: 'silence s1' });
    expect(isSilenced(dbCpu, t0 + hour - 1, [s], [])).toEqual({ silenced: true, by: 'silence s1' });
    expect(isSilenced(dbCpu, t0 + hour, [s], [])).toEqual({ silenced: false });
  });

  it('does not silence when one matcher fails, and reads a missing label as ""', () => {
    const otherNode = silence({
      matchers: [
        { name: 'node', value: 'db-1' },
        { name: 'service', op: '!=', value: 'postgres' },
      ],
    });
    expect(isSilenced(dbCpu, t0, [otherNode], []).silenced).toBe(false);
    const noZone = silence({ matchers: [{ name: 'zone', value: '' }] });
    expect(isSilenced(dbCpu, t0, [noZone], []).silenced).toBe(true);
    const notDb = silence({ matchers: [{ name: 'role', op: '!~', value: 'db|cache' }] });
    expect(isSilenced(dbCpu, t0, [notDb], []).silenced).toBe(false);
  });

  it('names the first silence that matches', () => {
    const miss = silence({ id: 'miss', matchers: [{ name: 'node', value: 'web-1' }] });
    const hit = silence({ id: 'hit', matchers: [{ name: 'team', value: 'storage' }] });
    expect(isSilenced(dbCpu, t0, [miss, hit], [])).toEqual({ silenced: true, by: 'silence hit' });
  });

  it('refuses a silence that ends before it starts, naming endsAt', () => {
    const parsed = Silence.safeParse({
      id: 's',
      matchers: [{ name: 'node', value: 'a' }],
      startsAt: 5,
      endsAt: 5,
      createdBy: 'x',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['endsAt']);
  });
});

describe('isSilenced: maintenance windows', () => {
  it('a one-off window silences what it selects between its start and end', () => {
    const w = window({ schedule: { kind: 'once', startsAt: t0, endsAt: t0 + 2 * hour } });
    expect(isSilenced(dbCpu, t0 - 1, [], [w]).silenced).toBe(false);
    expect(isSilenced(dbCpu, t0 + hour, [], [w])).toEqual({ silenced: true, by: 'maintenance window w1' });
    expect(isSilenced(dbCpu, t0 + 2 * hour, [], [w]).silenced).toBe(false);
    const web = { ...dbCpu, role: 'web' };
    expect(isSilenced(web, t0 + hour, [], [w]).silenced).toBe(false);
  });

  it('a recurring window opens at every tick of its cron expression for its duration', () => {
    // Every Saturday 02:00-04:00 UTC.
    const w = window({ schedule: { kind: 'recurring', cron: '0 2 * * 6', durationMinutes: 120 } });
    const saturday2am = Date.UTC(2026, 0, 10, 2, 0);
    expect(windowOpenedAt(w, saturday2am - 1)).toBeNull();
    expect(windowOpenedAt(w, saturday2am)).toBe(saturday2am);
    expect(windowOpenedAt(w, saturday2am + 2 * hour - 1)).toBe(saturday2am);
    expect(windowOpenedAt(w, saturday2am + 2 * hour)).toBeNull();
    expect(isSilenced(dbCpu, saturday2am + hour, [], [w]).silenced).toBe(true);
    // The next week too.
    expect(windowOpenedAt(w, saturday2am + 7 * 24 * hour + 30 * 60_000)).toBe(saturday2am + 7 * 24 * hour);
    expect(isSilenced(dbCpu, t0, [], [w]).silenced).toBe(false);
  });

  it('reads a recurring window in its time zone', () => {
    // 02:00 in New York is 07:00 UTC in January.
    const w = window({
      schedule: { kind: 'recurring', cron: '0 2 * * *', durationMinutes: 60, timezone: 'America/New_York' },
    });
    const day = Date.UTC(2026, 0, 6);
    expect(windowOpenedAt(w, day + 2 * hour + 30 * 60_000)).toBeNull();
    expect(windowOpenedAt(w, day + 7 * hour + 30 * 60_000)).toBe(day + 7 * hour);
  });

  it('refuses a bad cron expression or time zone naming the field, and a bad regex naming the matcher', () => {
    const bad = (input: Partial<MaintenanceWindowInput> & Pick<MaintenanceWindowInput, 'schedule'>) => {
      try {
        checkWindow(window(input));
      } catch (error) {
        return (error as { issues?: Array<{ path: string }> }).issues?.map((issue) => issue.path);
      }
      return [];
    };
    expect(bad({ schedule: { kind: 'recurring', cron: '0 25 * * *', durationMinutes: 5 } })).toEqual(['schedule.cron']);
    expect(
      bad({ schedule: { kind: 'recurring', cron: '0 2 * * *', durationMinutes: 5, timezone: 'Mars/Olympus' } }),
    ).toEqual(['schedule.timezone']);
    expect(
      bad({ matchers: [{ name: 'role', op: '=~', value: '(' }], schedule: { kind: 'once', startsAt: 1, endsAt: 2 } }),
    ).toEqual(['matchers[0].value']);
  });
});
