import { describe, expect, it } from 'vitest';
import { emptyLogsRoute } from '../../../../../renderer/stores/logs-store.js';
import { alertLogsRoute, logsHref, parseLogsRoute } from '../../../../../renderer/views/logs/logs-route.js';
import { viewFromHash } from '../../../../../renderer/shell/views.js';

const firedAt = Date.UTC(2026, 11, 3, 14, 0);
const minute = 60_000;

describe('the Logs view route', () => {
  it('round-trips through its link, with times as ISO 8601', () => {
    const route = {
      memberId: 'db-1',
      patternId: 'oom',
      source: 'app-log',
      severity: 'critical' as const,
      from: firedAt - 5 * minute,
      to: firedAt + 10 * minute,
    };
    const href = logsHref(route);
    expect(href).toBe(
      '#/logs?node=db-1&pattern=oom&source=app-log&severity=critical&from=2026-12-03T13%3A55%3A00.000Z&to=2026-12-03T14%3A10%3A00.000Z',
    );
    expect(parseLogsRoute(href)).toEqual(route);
    expect(viewFromHash(href).id).toBe('logs');
    expect(logsHref(emptyLogsRoute)).toBe('#/logs');
    expect(parseLogsRoute('#/logs')).toEqual(emptyLogsRoute);
  });

  it('leaves out what does not parse, keeping the rest', () => {
    expect(
      parseLogsRoute('#/logs?severity=fatal&from=yesterday&pattern=Not%20A%20Slug&to=2026-12-03T14:00:00Z'),
    ).toEqual({ ...emptyLogsRoute, to: firedAt });
  });

  it("opens an open alert's lines from 5 minutes before it fired to now, on the node it is on", () => {
    const alert = { startedAt: firedAt - minute, firingAt: firedAt, resolvedAt: null };
    expect(alertLogsRoute(alert, { kind: 'resource', metric: 'cpu' }, 'db-1')).toEqual({
      ...emptyLogsRoute,
      memberId: 'db-1',
      from: firedAt - 5 * minute,
    });
  });

  it("ends a resolved alert's window at its resolution; one that never fired starts from when it was raised", () => {
    const alert = { startedAt: firedAt, firingAt: null, resolvedAt: firedAt + 2 * minute };
    expect(alertLogsRoute(alert, undefined, null)).toEqual({
      ...emptyLogsRoute,
      from: firedAt - 5 * minute,
      to: firedAt + 2 * minute,
    });
  });

  it("pre-selects a log-pattern alert's pattern and reaches back over its rule's window when that is longer", () => {
    const alert = { startedAt: firedAt, firingAt: firedAt, resolvedAt: null };
    const signal = { kind: 'logPattern' as const, patternId: 'oom', windowSeconds: 900 };
    expect(alertLogsRoute(alert, signal, null)).toEqual({
      ...emptyLogsRoute,
      patternId: 'oom',
      from: firedAt - 15 * minute,
    });
  });
});
