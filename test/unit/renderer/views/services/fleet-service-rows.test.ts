import { describe, expect, it } from 'vitest';
import type { CheckState, CheckStatus, ServiceState } from '../../../../../shared/services.js';
import { fleetServiceRows } from '../../../../../renderer/views/services/fleet-service-rows.js';

const t0 = Date.UTC(2026, 11, 3, 18, 0, 0);

const check = (name: string, lastAt: number | null): CheckState => ({
  name,
  type: 'http',
  status: 'passing',
  since: t0,
  lastResult: lastAt === null ? null : { status: 'passing', output: `HTTP 200 (${name})`, latencyMs: 3, at: lastAt },
  uptime: { day: 1, week: 1, month: 1, since: t0 },
  template: null,
});

const service = (id: string, status: CheckStatus, checks: CheckState[] = [check('health', t0)]): ServiceState => ({
  definition: { id, name: id.toUpperCase(), description: '', tags: [], checks: [] },
  source: 'api',
  status,
  checks,
  supervisor: null,
});

describe('fleet-wide services rows', () => {
  it('lists service × node, worst first, then by service and node name; members that failed add none', () => {
    const rows = fleetServiceRows([
      {
        memberId: 'n2',
        memberName: 'beta',
        services: [service('web', 'passing'), service('db', 'critical')],
        error: null,
      },
      {
        memberId: 'n1',
        memberName: 'alpha',
        services: [service('web', 'passing'), service('cron', 'passing', [])],
        error: null,
      },
      { memberId: 'n3', memberName: 'gamma', services: null, error: 'timed out' },
      { memberId: 'n4', memberName: 'delta', services: [service('web', 'warning')], error: null },
    ]);
    expect(rows.map((row) => [row.key, row.health])).toEqual([
      ['n2/db', 'critical'],
      ['n4/web', 'warning'],
      ['n1/cron', 'no-checks'],
      ['n1/web', 'passing'],
      ['n2/web', 'passing'],
    ]);
  });

  it('takes the newest result of any of a service’s checks', () => {
    const [row] = fleetServiceRows([
      {
        memberId: 'n1',
        memberName: 'alpha',
        services: [service('web', 'passing', [check('a', t0 + 5), check('b', t0 + 9), check('c', null)])],
        error: null,
      },
    ]);
    expect(row?.lastResult?.output).toBe('HTTP 200 (b)');
  });
});
