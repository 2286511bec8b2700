import { describe, expect, it } from 'vitest';
import type { CheckState, ResultStatus, ServiceState } from '../../../../../shared/services.js';
import {
  averageLatency,
  beatTitle,
  serviceBeats,
  stripSlots,
  stripSummary,
  worstUptime,
  type Beat,
} from '../../../../../renderer/views/services/heartbeats.js';

const t0 = Date.UTC(2026, 11, 3, 18, 0, 0);

const check = (name: string, recent: Array<[number, ResultStatus, number]>, day: number | null = 1): CheckState => ({
  name,
  type: 'http',
  status: 'passing',
  since: t0,
  lastResult: null,
  uptime: { day, week: day, month: day, since: t0 },
  template: null,
  recent: recent.map(([at, status, latencyMs]) => ({ at, status, latencyMs })),
});

const service = (...checks: CheckState[]): ServiceState => ({
  definition: { id: 'api', name: 'API', description: '', tags: [], checks: [] },
  source: 'api',
  status: 'passing',
  checks,
  supervisor: null,
});

const beat = (at: number, status: ResultStatus = 'passing', latencyMs = 10): Beat => ({
  at,
  status,
  latencyMs,
  check: 'health',
});

describe('heartbeat strip data', () => {
  it('merges the results of every check, oldest first, and keeps the newest', () => {
    const merged = serviceBeats(
      service(
        check('health', [
          [t0 + 1000, 'passing', 5],
          [t0 + 3000, 'critical', 7],
        ]),
        check('tcp', [[t0 + 2000, 'warning', 1]]),
      ),
      2,
    );
    expect(merged).toEqual([
      { at: t0 + 2000, status: 'warning', latencyMs: 1, check: 'tcp' },
      { at: t0 + 3000, status: 'critical', latencyMs: 7, check: 'health' },
    ]);
  });

  it('has no results for a service whose list came without them', () => {
    const { recent: _omitted, ...bare } = check('health', []);
    expect(serviceBeats(service(bare))).toEqual([]);
  });

  it('pads the strip with empty slots on the left, newest result at the right edge', () => {
    const slots = stripSlots([beat(t0), beat(t0 + 1000, 'critical')], 5);
    expect(slots.map((slot) => slot?.status ?? null)).toEqual([null, null, null, 'passing', 'critical']);
    expect(
      stripSlots(
        Array.from({ length: 8 }, (_, i) => beat(t0 + i)),
        5,
      ).map((slot) => slot!.at),
    ).toEqual([t0 + 3, t0 + 4, t0 + 5, t0 + 6, t0 + 7]);
  });

  it('titles each bar with time, status and latency, and the check when there are several', () => {
    const title = beatTitle(beat(t0, 'critical', 1234), true);
    expect(title).toMatch(/^\S.* · Critical · 1\.2 s · health$/);
    expect(beatTitle(beat(t0), false)).toMatch(/ · Passing · 10 ms$/);
  });

  it('sums the strip up in words and averages its latency', () => {
    const beats = [beat(t0, 'passing', 10), beat(t0 + 1, 'critical', 30), beat(t0 + 2, 'passing', 20)];
    expect(stripSummary(beats)).toBe('Last 3 results: 2 passing, 1 critical');
    expect(stripSummary([beat(t0)])).toBe('Last result: 1 passing');
    expect(stripSummary([])).toBe('No results yet');
    expect(averageLatency(beats)).toBe(20);
    expect(averageLatency([])).toBeNull();
  });

  it('shows the uptime of the least available check, a check without results last', () => {
    const worst = worstUptime(service(check('a', [], 0.99), check('b', [], 0.5), check('c', [], null)));
    expect(worst?.day).toBe(0.5);
    expect(worstUptime(service())).toBeNull();
  });
});
