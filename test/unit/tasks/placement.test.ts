import { describe, expect, it } from 'vitest';
import {
  hybridScore,
  memberLoad,
  placeTask,
  updateEwma,
  type FleetMember,
  type PlacementRequest,
} from '../../../electron/tasks/placement.js';
import { parseTaskTarget, type PlacementStrategy } from '../../../shared/tasks.js';

const member = (id: string, extra: Partial<FleetMember> = {}): FleetMember => ({
  id,
  labels: {},
  weight: 1,
  health: 'passing',
  summaryAgeMs: 1000,
  running: 0,
  queueLength: 0,
  concurrency: 4,
  cpu: 0.1,
  memory: 0.2,
  durations: {},
  ...extra,
});

const target = (text: string) => {
  const parsed = parseTaskTarget(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.target;
};

const request = (strategy: PlacementStrategy, extra: Partial<PlacementRequest> = {}): PlacementRequest => ({
  target: target('any'),
  type: 'sleep',
  strategy,
  selfId: 'a',
  staleAfterMs: 10_000,
  random: () => 0,
  cursor: 0,
  ...extra,
});

const fleet = [member('c'), member('a'), member('b')];
const place = (members: FleetMember[], req: PlacementRequest) => {
  const placed = placeTask(members, req);
  return placed.ok ? placed.memberId : placed.reason;
};

describe('task targets', () => {
  it('parse from their string form with clear errors', () => {
    expect(parseTaskTarget('local')).toEqual({ ok: true, target: { kind: 'local' } });
    expect(parseTaskTarget('node:web-1')).toEqual({ ok: true, target: { kind: 'node', nodeId: 'web-1' } });
    expect(parseTaskTarget('label:zone=eu=west')).toEqual({
      ok: true,
      target: { kind: 'label', key: 'zone', value: 'eu=west' },
    });
    expect(parseTaskTarget('node:Web 1')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^node id must be/),
    });
    expect(parseTaskTarget('label:zone')).toEqual({ ok: false, error: 'a label target is label:<key>=<value>' });
    expect(parseTaskTarget('everywhere')).toEqual({
      ok: false,
      error: 'must be "local", "any", "node:<id>" or "label:<key>=<value>"',
    });
  });

  it('select by node, label, local and task type', () => {
    const members = [member('a', { labels: { zone: 'eu' } }), member('b', { labels: { zone: 'us' }, types: ['exec'] })];
    expect(place(members, request('round-robin', { target: target('label:zone=us'), type: 'exec' }))).toBe('b');
    expect(place(members, request('round-robin', { target: target('label:zone=us') }))).toBe(
      'no member matches label:zone=us and runs "sleep" tasks',
    );
    expect(place(members, request('round-robin', { target: target('node:b'), type: 'exec' }))).toBe('b');
    expect(place(members, request('round-robin', { target: target('local'), selfId: 'b', type: 'exec' }))).toBe('b');
    expect(place(members, request('round-robin', { target: target('node:zz') }))).toBe(
      'no member matches node:zz and runs "sleep" tasks',
    );
  });

  it('prefer members below their per-type limit', () => {
    const members = [
      member('a', { perType: { exec: 1 }, runningByType: { exec: 1 } }),
      member('b', { running: 3, perType: { exec: 2 }, runningByType: { exec: 1 } }),
    ];
    expect(place(members, request('least-connections', { type: 'exec' }))).toBe('b');
    // When every member is at its limit the task still goes somewhere, to wait in that member's queue.
    members[1]!.runningByType = { exec: 2 };
    expect(place(members, request('least-connections', { type: 'exec' }))).toBe('a');
  });
});

describe('placement strategies', () => {
  it('round-robin walks the members in id order, carrying the cursor', () => {
    let cursor = 0;
    const picked: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const placed = placeTask(fleet, request('round-robin', { cursor }));
      if (!placed.ok) throw new Error(placed.reason);
      picked.push(placed.memberId);
      cursor = placed.cursor;
    }
    expect(picked).toEqual(['a', 'b', 'c', 'a']);
  });

  it('random uses the injected source', () => {
    expect(place(fleet, request('random', { random: () => 0 }))).toBe('a');
    expect(place(fleet, request('random', { random: () => 0.5 }))).toBe('b');
    expect(place(fleet, request('random', { random: () => 0.999 }))).toBe('c');
  });

  it('least-connections picks the fewest running, then the shortest queue', () => {
    const members = [
      member('a', { running: 2 }),
      member('b', { running: 1, queueLength: 5 }),
      member('c', { running: 1 }),
    ];
    expect(place(members, request('least-connections'))).toBe('c');
  });

  it('weighted shares by weight and never picks a zero weight', () => {
    const members = [member('a', { weight: 1 }), member('b', { weight: 3 }), member('c', { weight: 0 })];
    expect(place(members, request('weighted', { random: () => 0.2 }))).toBe('a');
    expect(place(members, request('weighted', { random: () => 0.25 }))).toBe('b');
    expect(place(members, request('weighted', { random: () => 0.9999 }))).toBe('b');
    expect(place([member('z', { weight: 0 })], request('weighted'))).toBe('no eligible member has a weight above 0');
  });

  it('health skips critical and stale members and prefers the healthiest', () => {
    const members = [
      member('a', { health: 'critical' }),
      member('b', { health: 'warning' }),
      member('c', { health: 'passing', summaryAgeMs: 60_000 }),
      member('d', { health: 'passing', running: 3 }),
    ];
    expect(place(members, request('health'))).toBe('d');
    expect(place(members.slice(0, 3), request('health'))).toBe('b');
    expect(place(members.slice(0, 1), request('health'))).toBe('no member matching any is healthy and up to date');
  });

  it('least-loaded weighs CPU, memory and queue pressure', () => {
    const members = [
      member('a', { cpu: 0.9, memory: 0.1 }),
      member('b', { cpu: 0.1, memory: 0.1, running: 4, queueLength: 4 }),
      member('c', { cpu: 0.3, memory: 0.5 }),
    ];
    expect(memberLoad(members[2]!)).toBeCloseTo(0.22);
    expect(place(members, request('least-loaded'))).toBe('c');
  });

  it('response-time tries unmeasured members first, then the fastest for the type', () => {
    const members = [
      member('a', { durations: { sleep: 300 } }),
      member('b', { durations: { sleep: 100, exec: 900 } }),
      member('c', { durations: { exec: 50 } }),
    ];
    expect(place(members, request('response-time'))).toBe('c');
    expect(place(members.slice(0, 2), request('response-time'))).toBe('b');
  });

  it('hybrid combines health, load and speed by its documented weights', () => {
    const fast = member('a', { durations: { sleep: 100 }, health: 'warning' });
    const slow = member('b', { durations: { sleep: 400 } });
    // a: 0.4×0.5 + 0.35×(1−0.08) + 0.25×1 = 0.772; b: 0.4×1 + 0.35×0.92 + 0.25×0.25 = 0.7845.
    expect(hybridScore(fast, 'sleep', 100)).toBeCloseTo(0.772);
    expect(hybridScore(slow, 'sleep', 100)).toBeCloseTo(0.7845);
    expect(place([fast, slow], request('hybrid'))).toBe('b');
    expect(place([fast, { ...slow, running: 4 }], request('hybrid'))).toBe('a');
    expect(place([fast, { ...slow, health: 'critical' }], request('hybrid'))).toBe('a');
  });

  it('updates an EWMA of durations', () => {
    expect(updateEwma(undefined, 100)).toBe(100);
    expect(updateEwma(100, 200)).toBeCloseTo(130);
  });
});
