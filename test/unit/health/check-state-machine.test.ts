import { describe, expect, it } from 'vitest';
import {
  CHECK_MEMORY_VERSION,
  FLAP_MIN_RESULTS,
  FLAP_START_THRESHOLD,
  FLAP_STOP_THRESHOLD,
  FLAP_WINDOW,
  applyResult,
  checkKey,
  flapShare,
  parseCheckMemory,
  type CheckMemory,
} from '../../../electron/health/check-state-machine.js';
import type { ResultStatus } from '../../../shared/services.js';

const t0 = Date.UTC(2026, 0, 1);
const at = (i: number) => t0 + i * 1000;
const result = (status: ResultStatus, i: number) => ({ status, output: `${status} #${i}`, latencyMs: i, at: at(i) });
const lenient = { failuresBeforeCritical: 1, successesBeforePassing: 1 };

/** Feeds statuses in order (result i at t0 + i s) and returns every intermediate memory. */
function feed(statuses: ResultStatus[], check = lenient, start: CheckMemory | null = null, offset = 0): CheckMemory[] {
  const memories: CheckMemory[] = [];
  let memory = start;
  statuses.forEach((status, i) => {
    memory = applyResult(memory, result(status, offset + i), check);
    memories.push(memory);
  });
  return memories;
}
const last = (memories: CheckMemory[]) => memories[memories.length - 1]!;
const repeat = (status: ResultStatus, n: number): ResultStatus[] => Array.from({ length: n }, () => status);
const alternate = (n: number, a: ResultStatus = 'passing', b: ResultStatus = 'critical'): ResultStatus[] =>
  Array.from({ length: n }, (_, i) => (i % 2 === 0 ? a : b));

describe('check state machine', () => {
  it('exports the Nagios-style thresholds', () => {
    expect({ FLAP_WINDOW, FLAP_MIN_RESULTS, FLAP_START_THRESHOLD, FLAP_STOP_THRESHOLD }).toEqual({
      FLAP_WINDOW: 20,
      FLAP_MIN_RESULTS: 10,
      FLAP_START_THRESHOLD: 0.5,
      FLAP_STOP_THRESHOLD: 0.25,
    });
  });

  it('takes the first result of a new check directly, whatever the thresholds', () => {
    const strict = { failuresBeforeCritical: 5, successesBeforePassing: 5 };
    expect(applyResult(null, result('critical', 0), strict)).toEqual({
      version: CHECK_MEMORY_VERSION,
      status: 'critical',
      since: at(0),
      settled: 'critical',
      consecutivePasses: 0,
      consecutiveFailures: 1,
      flapping: false,
      recent: ['critical'],
      lastResult: result('critical', 0),
    });
    expect(applyResult(null, result('passing', 0), strict)).toMatchObject({ status: 'passing', consecutivePasses: 1 });
    expect(applyResult(null, result('unknown', 0), strict)).toMatchObject({ status: 'unknown' });
  });

  it('leaves passing only after failuresBeforeCritical consecutive failures', () => {
    const check = { failuresBeforeCritical: 3, successesBeforePassing: 1 };
    const memories = feed(['passing', 'critical', 'critical', 'passing', 'critical', 'critical', 'critical'], check);
    expect(memories.map((m) => m.status)).toEqual([
      'passing',
      'passing',
      'passing',
      'passing', // a pass resets the count
      'passing',
      'passing',
      'critical',
    ]);
    expect(memories.map((m) => m.consecutiveFailures)).toEqual([0, 1, 2, 0, 1, 2, 3]);
    expect(last(memories).since).toBe(at(6));
  });

  it('returns to passing only after successesBeforePassing consecutive passes', () => {
    const check = { failuresBeforeCritical: 1, successesBeforePassing: 3 };
    const memories = feed(['critical', 'passing', 'passing', 'warning', 'passing', 'passing', 'passing'], check);
    expect(memories.map((m) => m.status)).toEqual([
      'critical',
      'critical',
      'critical',
      'warning', // still failing: follows the latest non-passing status at once
      'warning',
      'warning',
      'passing',
    ]);
    expect(memories.map((m) => m.consecutivePasses)).toEqual([0, 1, 2, 0, 1, 2, 3]);
  });

  it('becomes the latest of warning and critical when the threshold is reached', () => {
    const check = { failuresBeforeCritical: 3, successesBeforePassing: 1 };
    expect(last(feed(['passing', 'critical', 'critical', 'warning'], check)).status).toBe('warning');
    expect(last(feed(['passing', 'warning', 'warning', 'critical'], check)).status).toBe('critical');
    // Once failing, moving between warning and critical needs no counting.
    const memories = feed(['passing', 'warning', 'warning', 'warning', 'critical', 'warning'], check);
    expect(memories.slice(3).map((m) => m.status)).toEqual(['warning', 'critical', 'warning']);
  });

  it('counts unknown results as failures and reports unknown under the same counting', () => {
    const check = { failuresBeforeCritical: 2, successesBeforePassing: 2 };
    const memories = feed(['passing', 'unknown', 'unknown', 'critical', 'unknown', 'passing', 'passing'], check);
    expect(memories.map((m) => m.status)).toEqual([
      'passing',
      'passing',
      'unknown',
      'critical',
      'unknown',
      'unknown',
      'passing',
    ]);
  });

  it('moves since only when the reported status changes', () => {
    const check = { failuresBeforeCritical: 2, successesBeforePassing: 1 };
    const memories = feed(['passing', 'passing', 'critical', 'passing', 'critical', 'critical', 'critical'], check);
    expect(memories.map((m) => m.since)).toEqual([at(0), at(0), at(0), at(0), at(0), at(5), at(5)]);
    expect(last(memories).lastResult).toEqual(result('critical', 6));
  });

  it('does not modify the memory it is given', () => {
    const before = applyResult(null, result('passing', 0), lenient);
    const copy = structuredClone(before);
    applyResult(before, result('critical', 1), lenient);
    expect(before).toEqual(copy);
  });

  describe('flap detection', () => {
    it('computes the share of results that changed status over the last 20 transitions', () => {
      expect(flapShare(alternate(FLAP_MIN_RESULTS))).toBeNull(); // 9 transitions: too few
      expect(flapShare(alternate(FLAP_MIN_RESULTS + 1))).toBe(1);
      expect(flapShare([...repeat('passing', 11), 'critical'])).toBeCloseTo(1 / 11);
    });

    it('enters flapping once at least 10 transitions were seen and half of them changed status', () => {
      const memories = feed(alternate(12));
      expect(memories.map((m) => m.flapping)).toEqual([...Array<boolean>(10).fill(false), true, true]);
      expect(memories[10]).toMatchObject({ status: 'flapping', since: at(10), settled: 'passing' });
      expect(memories[11]).toMatchObject({ status: 'flapping', since: at(10), settled: 'critical' });
    });

    it('enters at exactly 50 % and not below', () => {
      // p p c c p p c c ...: every other result changes status.
      const half = Array.from({ length: FLAP_WINDOW + 1 }, (_, i): ResultStatus =>
        i % 4 < 2 ? 'passing' : 'critical',
      );
      expect(flapShare(half)).toBe(0.5);
      expect(last(feed(half)).status).toBe('flapping');
      // p p p c c c ...: a third of the results change.
      const third = Array.from({ length: FLAP_WINDOW + 1 }, (_, i): ResultStatus =>
        i % 6 < 3 ? 'passing' : 'critical',
      );
      expect(flapShare(third)).toBeLessThan(FLAP_START_THRESHOLD);
      expect(feed(third).some((m) => m.flapping)).toBe(false);
    });

    it('keeps the window to the last 20 transitions', () => {
      const memory = last(feed(alternate(50)));
      expect(memory.recent).toHaveLength(FLAP_WINDOW + 1);
    });

    it('leaves flapping when the share falls to 25 %, with hysteresis in between', () => {
      const flapping = feed(alternate(FLAP_WINDOW + 1)); // ends with passing; 20 of 20 transitions changed
      expect(last(flapping).status).toBe('flapping');
      // Each steady pass pushes one change out of the window: after k passes, (20 - k) / 20 changed.
      const calming = feed(repeat('passing', 16), lenient, last(flapping), FLAP_WINDOW + 1);
      const shares = calming.map((m) => flapShare(m.recent));
      expect(shares[13]).toBe(0.3); // below 50 % but above 25 %: still flapping
      expect(calming[13]!.status).toBe('flapping');
      expect(shares[14]).toBe(0.25);
      expect(calming[14]).toMatchObject({ status: 'passing', flapping: false, since: at(FLAP_WINDOW + 1 + 14) });
      expect(calming[15]!.since).toBe(calming[14]!.since);
    });

    it('keeps counting underneath and reports the settled status when flapping ends', () => {
      const check = { failuresBeforeCritical: 2, successesBeforePassing: 2 };
      const flapping = feed(alternate(FLAP_WINDOW + 1, 'critical', 'passing'), check);
      // Never two passes in a row: the settled status stayed critical all along.
      expect(last(flapping)).toMatchObject({ status: 'flapping', settled: 'critical' });
      // The first pass is itself a change, so calm needs one pass more than in the test above.
      const calming = feed(repeat('passing', 16), check, last(flapping), FLAP_WINDOW + 1);
      expect(calming[1]).toMatchObject({ status: 'flapping', settled: 'passing' });
      expect(calming[14]!.status).toBe('flapping');
      expect(calming[15]).toMatchObject({ status: 'passing', flapping: false, since: at(FLAP_WINDOW + 1 + 15) });
    });
  });

  describe('persisted memory', () => {
    it('round-trips through JSON', () => {
      const memory = last(feed(alternate(15)));
      expect(parseCheckMemory(JSON.stringify(memory))).toEqual(memory);
    });

    it('discards anything malformed instead of throwing', () => {
      const good = applyResult(null, result('passing', 0), lenient);
      expect(parseCheckMemory('{not json')).toBeNull();
      expect(parseCheckMemory('null')).toBeNull();
      expect(parseCheckMemory(JSON.stringify({ ...good, status: 'sideways' }))).toBeNull();
      expect(parseCheckMemory(JSON.stringify({ ...good, version: 0 }))).toBeNull();
      expect(parseCheckMemory(JSON.stringify({ ...good, recent: repeat('passing', 40) }))).toBeNull();
      expect(parseCheckMemory(JSON.stringify({ ...good, extra: true }))).toBeNull();
      expect(parseCheckMemory(JSON.stringify({ ...good, consecutivePasses: -1 }))).toBeNull();
    });

    it('keys checks by service and name', () => {
      expect(checkKey('web', 'http')).toBe('web/http');
    });
  });
});
