import { CodedError } from '../../../electron/core/coded-error.js';
import { afterEach, describe, expect, it } from 'vitest';
import { fullJitterBackoff } from '../../../electron/health/backoff.js';
import {
  ATTEMPT_GRACE_MS,
  CheckScheduler,
  nextSlot,
  type AttemptOutcome,
  type ScheduledRun,
} from '../../../electron/health/check-scheduler.js';
import { CheckDefinition, type CheckResult } from '../../../shared/services.js';
import { ManualClock } from '../../support/manual-clock.js';
import { memoryLogger } from '../../support/test-logger.js';

type CheckInput = Partial<Record<string, unknown>>;
const tcp = (name: string, over: CheckInput = {}): CheckDefinition =>
  CheckDefinition.parse({ type: 'tcp', name, host: 'localhost', port: 1, intervalMs: 1000, timeoutMs: 1000, ...over });
const ttl = (name: string, ttlMs: number): CheckDefinition =>
  CheckDefinition.parse({ type: 'ttl', name, ttlMs, intervalMs: 1000, timeoutMs: 1000 });

/** Cycles through fixed values: exact offsets and backoff delays. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};
/** mulberry32: a small seeded generator for spreads. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

interface Delivered {
  key: string;
  result: CheckResult;
  lagMs: number;
}
interface Attempt {
  key: string;
  at: number;
  n: number;
}
type AttemptFn = (run: ScheduledRun, n: number, clock: ManualClock) => Promise<AttemptOutcome> | AttemptOutcome;

const schedulers: Array<{ scheduler: CheckScheduler; clock: ManualClock }> = [];
afterEach(async () => {
  // stop() drains runs in flight, which finish only as manual time passes.
  for (const { scheduler, clock } of schedulers.splice(0)) {
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    for (let i = 0; i < 1000 && !stopped; i++) await clock.advance(1000);
    await stopping;
  }
});

/** Resolves `value` after `ms` of (manual) time. */
const after = <T>(clock: ManualClock, ms: number, value: T) =>
  new Promise<T>((resolve) => clock.setTimer(() => resolve(value), ms));

function harness(options: { random?: () => number; maxConcurrent?: number; attempt?: AttemptFn } = {}) {
  const clock = new ManualClock();
  const t0 = clock.now();
  const { logger, lines } = memoryLogger();
  const delivered: Delivered[] = [];
  const attempts: Attempt[] = [];
  const counts = new Map<string, number>();
  const running = new Map<string, number>();
  let concurrent = 0;
  let maxConcurrent = 0;
  let maxSelfOverlap = 0;
  const attempt: AttemptFn =
    options.attempt ??
    ((_run, n, c) => after(c, 10, { status: 'passing' as const, output: `attempt ${n}`, latencyMs: 10 }));
  const scheduler = new CheckScheduler({
    clock,
    random: options.random ?? seeded(42),
    logger,
    maxConcurrent: options.maxConcurrent,
    async runAttempt(run) {
      const key = `${run.serviceId}/${run.check.name}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      attempts.push({ key, at: clock.now(), n });
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      running.set(key, (running.get(key) ?? 0) + 1);
      maxSelfOverlap = Math.max(maxSelfOverlap, running.get(key)!);
      try {
        return await attempt(run, n, clock);
      } finally {
        concurrent--;
        running.set(key, running.get(key)! - 1);
      }
    },
    onResult(run, result, lagMs) {
      delivered.push({ key: `${run.serviceId}/${run.check.name}`, result, lagMs });
    },
  });
  schedulers.push({ scheduler, clock });
  const startsOf = (key: string) => attempts.filter((a) => a.key === key).map((a) => a.at - t0);
  return {
    clock,
    t0,
    scheduler,
    delivered,
    attempts,
    lines,
    startsOf,
    stats: () => ({ maxConcurrent, maxSelfOverlap }),
    /** Advances in steps, so that ManualClock's bookkeeping stays cheap for long runs. */
    async run(ms: number, step = 1000) {
      for (let done = 0; done < ms; done += step) await clock.advance(Math.min(step, ms - done));
    },
  };
}

describe('CheckScheduler', () => {
  it('computes the next slot on the due-time grid, skipping slots in the past', () => {
    expect(nextSlot(1000, 500, 1000)).toBe(1500);
    expect(nextSlot(1000, 500, 1499)).toBe(1500);
    expect(nextSlot(1000, 500, 1500)).toBe(2000);
    expect(nextSlot(1000, 500, 2700)).toBe(3000);
  });

  it('spreads first runs at a random offset within each interval', async () => {
    const h = harness({ random: sequence(0.1, 0.6, 0.35) });
    h.scheduler.set('svc', [tcp('a', { intervalMs: 10_000 }), tcp('b', { intervalMs: 10_000 }), tcp('c')]);
    h.scheduler.start();
    await h.clock.advance(10_000);
    expect(h.startsOf('svc/a')[0]).toBe(1000);
    expect(h.startsOf('svc/b')[0]).toBe(6000);
    expect(h.startsOf('svc/c')[0]).toBe(350); // 0.35 × its 1 s interval
  });

  it('has no thundering herd: 1,000 checks started together are spread over the interval', async () => {
    const h = harness();
    h.scheduler.set(
      'svc',
      Array.from({ length: 1000 }, (_, i) => tcp(`c${i}`, { intervalMs: 10_000, timeoutMs: 5000 })),
    );
    h.scheduler.start();
    await h.run(10_000);
    const perSecond = Array<number>(10).fill(0);
    const first = h.attempts.filter((a) => a.at - h.t0 < 10_000);
    for (const a of first) perSecond[Math.floor((a.at - h.t0) / 1000)]!++;
    expect(first).toHaveLength(1000);
    for (const count of perSecond) expect(count).toBeGreaterThan(60);
    for (const count of perSecond) expect(count).toBeLessThan(140);
  });

  it('does not drift: runs stay on the grid of the first due time whatever the run durations', async () => {
    const h = harness({
      random: sequence(0.25),
      attempt: (_run, n, c) => after(c, (n * 137) % 900, { status: 'passing', output: 'ok', latencyMs: 1 }),
    });
    h.scheduler.set('svc', [tcp('a')]);
    h.scheduler.start();
    await h.run(100_000);
    const starts = h.startsOf('svc/a');
    expect(starts).toHaveLength(100);
    expect(starts).toEqual(starts.map((_, k) => 250 + k * 1000));
    expect(h.delivered.every((d) => d.lagMs === 0)).toBe(true);
  });

  it('skips the slots missed while a run overran, and never runs a check concurrently with itself', async () => {
    // Every attempt fails and takes 400 ms; 2 retries with 0.5 × (100, 200) ms backoff: 1,350 ms per run.
    const h = harness({
      random: sequence(0.5),
      attempt: (_run, _n, c) => after(c, 400, { status: 'critical', output: 'down', latencyMs: 400 }),
    });
    h.scheduler.set('svc', [tcp('a', { retries: 2, retryBaseMs: 100, retryMaxMs: 1000 })]);
    h.scheduler.start();
    await h.run(6000, 100);
    // First attempts of each run: 500, then 1,500 skipped (still running until 1,850), 2,500, 4,500.
    const firstAttempts = h.attempts.filter((a) => (a.n - 1) % 3 === 0).map((a) => a.at - h.t0);
    expect(firstAttempts).toEqual([500, 2500, 4500]);
    expect(h.delivered.map((d) => d.result.at - h.t0)).toEqual([1850, 3850, 5850]);
    expect(h.delivered.every((d) => d.lagMs === 0)).toBe(true);
    expect(h.stats().maxSelfOverlap).toBe(1);
    expect(h.scheduler.stats().skippedSlots).toBe(3);
  });

  it('retries after non-passing attempts with exactly the full-jitter backoff delays', async () => {
    // First value places the run (0 → at once); the rest are the jitter of each retry.
    const jitter = [0.5, 0.25, 0.9, 0.999];
    const h = harness({
      random: sequence(0, ...jitter),
      attempt: (_run, n, c) => after(c, 10, { status: 'critical', output: `attempt ${n}`, latencyMs: 10 }),
    });
    const check = tcp('a', { intervalMs: 60_000, timeoutMs: 5000, retries: 4, retryBaseMs: 100, retryMaxMs: 300 });
    h.scheduler.set('svc', [check]);
    h.scheduler.start();
    await h.run(5000, 50);
    const starts = h.startsOf('svc/a');
    const waits = starts.slice(1).map((s, i) => s - starts[i]! - 10);
    // Manual time is epoch milliseconds: compare fractional delays to float precision.
    const expected = jitter.map((r, i) => fullJitterBackoff(i, 100, 300, () => r));
    expect(expected).toEqual([50, 50, 270, 299.7]);
    waits.forEach((wait, i) => expect(wait).toBeCloseTo(expected[i]!, 3));
    expect(h.delivered).toHaveLength(1);
    expect(h.delivered[0]!.result).toMatchObject({ status: 'critical', output: 'attempt 5' });
  });

  it('stops retrying at the first passing attempt, whose result is the run result', async () => {
    const h = harness({
      random: sequence(0, 0.5, 0.5),
      attempt: (_run, n, c) =>
        after(c, 10, { status: n < 3 ? 'warning' : 'passing', output: `attempt ${n}`, latencyMs: n }),
    });
    h.scheduler.set('svc', [tcp('a', { intervalMs: 60_000, timeoutMs: 5000, retries: 5, retryBaseMs: 100 })]);
    h.scheduler.start();
    await h.run(5000, 50);
    expect(h.attempts).toHaveLength(3);
    expect(h.delivered.map((d) => d.result)).toEqual([
      { status: 'passing', output: 'attempt 3', latencyMs: 3, at: h.t0 + 10 + 50 + 10 + 100 + 10 },
    ]);
  });

  it('respects the concurrency cap, starting waiting runs in FIFO order and reporting their lag', async () => {
    const h = harness({
      random: sequence(0),
      maxConcurrent: 3,
      attempt: (_run, _n, c) => after(c, 100, { status: 'passing', output: 'ok', latencyMs: 100 }),
    });
    const names = Array.from({ length: 10 }, (_, i) => `c${i}`);
    h.scheduler.set(
      'svc',
      names.map((name) => tcp(name, { intervalMs: 10_000, timeoutMs: 5000 })),
    );
    h.scheduler.start();
    await h.clock.advance(0);
    expect(h.scheduler.stats()).toMatchObject({ running: 10, queued: 7 });
    await h.run(2000, 10);
    expect(h.stats().maxConcurrent).toBe(3);
    expect(h.attempts.map((a) => a.key)).toEqual(names.map((n) => `svc/${n}`));
    expect(h.delivered.map((d) => d.lagMs)).toEqual([0, 0, 0, 100, 100, 100, 200, 200, 200, 300]);
  });

  it('turns a throwing runAttempt into an unknown result and keeps going', async () => {
    const h = harness({
      random: sequence(0),
      attempt: (_run, n) => {
        if (n === 1) throw new Error('checker exploded');
        if (n === 2) return Promise.reject(new Error('checker rejected'));
        return { status: 'passing', output: 'ok', latencyMs: 1 };
      },
    });
    h.scheduler.set('svc', [tcp('a')]);
    h.scheduler.start();
    await h.run(3000);
    expect(h.delivered.map((d) => [d.result.status, d.result.output])).toEqual([
      ['unknown', 'checker failed: checker exploded'],
      ['unknown', 'checker failed: checker rejected'],
      ['passing', 'ok'],
      ['passing', 'ok'],
    ]);
    expect(h.lines.filter((l) => l.msg === 'checker threw')).toHaveLength(2);
  });

  it('abandons an attempt that never settles as unknown after its timeout and a grace period', async () => {
    const h = harness({
      random: sequence(0),
      attempt: (_run, n) =>
        n === 1 ? new Promise<AttemptOutcome>(() => {}) : { status: 'passing', output: 'ok', latencyMs: 1 },
    });
    h.scheduler.set('svc', [tcp('a', { intervalMs: 10_000, timeoutMs: 1000 })]);
    h.scheduler.start();
    await h.run(9_999);
    expect(h.delivered.map((d) => d.result)).toEqual([
      {
        status: 'unknown',
        output: `checker did not return within ${1000 + ATTEMPT_GRACE_MS} ms`,
        latencyMs: 1000 + ATTEMPT_GRACE_MS,
        at: h.t0 + 1000 + ATTEMPT_GRACE_MS,
      },
    ]);
    await h.run(10_000);
    expect(h.delivered[1]!.result.status).toBe('passing');
  });

  it('keeps going when onResult throws', async () => {
    const h = harness({ random: sequence(0) });
    let calls = 0;
    const scheduler = new CheckScheduler({
      clock: h.clock,
      random: () => 0,
      logger: memoryLogger().logger,
      runAttempt: async () => ({ status: 'passing', output: 'ok', latencyMs: 1 }),
      onResult: () => {
        calls++;
        throw new Error('listener failed');
      },
    });
    schedulers.push({ scheduler, clock: h.clock });
    scheduler.set('svc', [tcp('a')]);
    scheduler.start();
    await h.run(3000);
    expect(calls).toBe(4); // 0, 1, 2 and 3 s
  });

  it('re-schedules only the checks that set() changed', async () => {
    const h = harness({ random: sequence(0.2, 0.7, 0.5) });
    h.scheduler.set('svc', [tcp('a'), tcp('b')]);
    h.scheduler.start();
    await h.run(2500);
    expect(h.startsOf('svc/a')).toEqual([200, 1200, 2200]);
    expect(h.startsOf('svc/b')).toEqual([700, 1700]);

    // Same definitions (new objects, other key order) for a; b's interval changes.
    const sameA = CheckDefinition.parse({
      port: 1,
      host: 'localhost',
      timeoutMs: 1000,
      intervalMs: 1000,
      name: 'a',
      type: 'tcp',
    });
    h.scheduler.set('svc', [sameA, tcp('b', { intervalMs: 2000 })]);
    await h.run(5000);
    expect(h.startsOf('svc/a')).toEqual([200, 1200, 2200, 3200, 4200, 5200, 6200, 7200]);
    // b re-spread from the set() at 2,500: 0.5 × 2,000 → 3,500, then every 2 s.
    expect(h.startsOf('svc/b')).toEqual([700, 1700, 3500, 5500, 7500]);
  });

  it('set() adds new checks and drops the ones no longer listed', async () => {
    const h = harness({ random: sequence(0) });
    h.scheduler.set('svc', [tcp('a'), tcp('b')]);
    h.scheduler.start();
    await h.run(1500);
    h.scheduler.set('svc', [tcp('b'), tcp('c')]);
    await h.run(2000);
    expect(h.startsOf('svc/a')).toEqual([0, 1000]);
    expect(h.startsOf('svc/b')).toEqual([0, 1000, 2000, 3000]);
    expect(h.startsOf('svc/c')).toEqual([1500, 2500, 3500]);
    expect(() => h.scheduler.set('svc', [tcp('x'), tcp('x')])).toThrow(CodedError);
  });

  it('remove() stops a service and drops the result of its run under way', async () => {
    const h = harness({
      random: sequence(0),
      attempt: (_run, _n, c) => after(c, 500, { status: 'passing', output: 'ok', latencyMs: 500 }),
    });
    h.scheduler.set('gone', [tcp('a')]);
    h.scheduler.set('kept', [tcp('a')]);
    h.scheduler.start();
    await h.run(1200, 100); // second runs in flight until 1,500
    h.scheduler.remove('gone');
    await h.run(3000, 100);
    expect(h.startsOf('gone/a')).toEqual([0, 1000]);
    expect(h.delivered.filter((d) => d.key === 'gone/a')).toHaveLength(1);
    expect(h.startsOf('kept/a')).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(h.scheduler.stats().checks).toBe(1);
    await expect(h.scheduler.runNow('gone', 'a')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('runNow runs out of schedule, delivers the result with no lag, and leaves the schedule alone', async () => {
    const h = harness({ random: sequence(0.5) });
    h.scheduler.set('svc', [tcp('a')]);
    h.scheduler.start();
    await h.clock.advance(700);
    const pending = h.scheduler.runNow('svc', 'a');
    await h.clock.advance(10);
    await expect(pending).resolves.toMatchObject({ status: 'passing', at: h.t0 + 710 });
    expect(h.delivered.at(-1)).toMatchObject({ lagMs: 0, result: { at: h.t0 + 710 } });
    await h.run(2000);
    expect(h.startsOf('svc/a')).toEqual([500, 700, 1500, 2500]);
    await expect(h.scheduler.runNow('svc', 'nope')).rejects.toBeInstanceOf(CodedError);
  });

  it('runNow while the check is running returns that run instead of starting a second one', async () => {
    const h = harness({
      random: sequence(0),
      attempt: (_run, n, c) => after(c, 300, { status: 'passing', output: `attempt ${n}`, latencyMs: 300 }),
    });
    h.scheduler.set('svc', [tcp('a')]);
    h.scheduler.start();
    await h.clock.advance(100);
    const pending = h.scheduler.runNow('svc', 'a');
    await h.clock.advance(200);
    await expect(pending).resolves.toMatchObject({ output: 'attempt 1' });
    expect(h.attempts).toHaveLength(1);
    expect(h.stats().maxSelfOverlap).toBe(1);
  });

  it('runNow works before start()', async () => {
    const h = harness();
    h.scheduler.set('svc', [tcp('a')]);
    const pending = h.scheduler.runNow('svc', 'a');
    await h.clock.advance(10);
    await expect(pending).resolves.toMatchObject({ status: 'passing' });
  });

  describe('ttl checks', () => {
    it('are never run; a report is delivered as a result', async () => {
      const h = harness();
      h.scheduler.set('svc', [ttl('job', 5000)]);
      h.scheduler.start();
      await h.clock.advance(1000);
      const result = h.scheduler.report('svc', 'job', 'passing', 'backup done');
      expect(result).toEqual({ status: 'passing', output: 'backup done', latencyMs: 0, at: h.t0 + 1000 });
      expect(h.delivered).toEqual([{ key: 'svc/job', result, lagMs: 0 }]);
      await h.clock.advance(3000);
      expect(h.attempts).toEqual([]);
      expect(h.delivered).toHaveLength(1);
    });

    it('turn critical once per ttl period of silence, counted from the last report or from set()', async () => {
      const h = harness();
      h.scheduler.set('svc', [ttl('job', 5000)]);
      h.scheduler.start();
      await h.run(12_000);
      expect(h.delivered.map((d) => [d.result.at - h.t0, d.result.status, d.result.output])).toEqual([
        [5000, 'critical', 'no report within 5 s'],
        [10_000, 'critical', 'no report within 5 s'],
      ]);
      h.scheduler.report('svc', 'job', 'passing', '');
      await h.run(8000);
      expect(h.delivered.map((d) => [d.result.at - h.t0, d.result.status])).toEqual([
        [5000, 'critical'],
        [10_000, 'critical'],
        [12_000, 'passing'],
        [17_000, 'critical'],
      ]);
    });

    it('runNow returns the last report while fresh, else a critical result', async () => {
      const h = harness();
      h.scheduler.set('svc', [ttl('job', 5000)]);
      h.scheduler.start();
      const report = h.scheduler.report('svc', 'job', 'warning', 'slow');
      await h.clock.advance(4000);
      await expect(h.scheduler.runNow('svc', 'job')).resolves.toEqual(report);
      expect(h.delivered).toHaveLength(1);
      await h.clock.advance(999); // deadline at 5,000 not reached
      expect(h.delivered).toHaveLength(1);
      await h.clock.advance(1);
      expect(h.delivered).toHaveLength(2);
      await h.clock.advance(1000);
      await expect(h.scheduler.runNow('svc', 'job')).resolves.toMatchObject({ status: 'critical' });
      expect(h.delivered).toHaveLength(3);
      await h.clock.advance(4999); // the evaluation moved the next deadline a full period on
      expect(h.delivered).toHaveLength(3);
    });

    it('refuse reports for unknown or non-ttl checks', () => {
      const h = harness();
      h.scheduler.set('svc', [ttl('job', 5000), tcp('port')]);
      expect(() => h.scheduler.report('svc', 'port', 'passing', '')).toThrow(/only ttl checks take reports/);
      expect(() => h.scheduler.report('svc', 'nope', 'passing', '')).toThrow(CodedError);
      expect(() => h.scheduler.report('other', 'job', 'passing', '')).toThrow(/no check other\/job/);
    });
  });

  it('stop() waits for runs in flight, cuts retry backoff short, drops queued attempts and schedules nothing more', async () => {
    // Four checks due at once, two slots: retrying and slow start; queued1 takes retrying's slot when it
    // backs off (0.5 × 10 s); queued2 is still waiting when stop() comes at 100 ms.
    const h = harness({
      random: sequence(0, 0, 0, 0, 0.5),
      maxConcurrent: 2,
      attempt: (run, n, c) =>
        run.check.name === 'retrying'
          ? after(c, 10, { status: 'critical', output: `attempt ${n}`, latencyMs: 10 })
          : after(c, 500, { status: 'passing', output: 'ok', latencyMs: 500 }),
    });
    const long = { intervalMs: 60_000, timeoutMs: 1000 };
    h.scheduler.set('svc', [
      tcp('retrying', { ...long, retries: 3, retryBaseMs: 10_000, retryMaxMs: 10_000 }),
      tcp('slow', long),
      tcp('queued1', long),
      tcp('queued2', long),
    ]);
    h.scheduler.start();
    await h.clock.advance(100);
    expect(h.scheduler.stats()).toMatchObject({ running: 4, queued: 1 });

    let stopped = false;
    const stopping = h.scheduler.stop().then(() => (stopped = true));
    await h.clock.advance(0);
    expect(h.delivered).toEqual([
      {
        key: 'svc/retrying',
        result: { status: 'critical', output: 'attempt 1', latencyMs: 10, at: h.t0 + 100 },
        lagMs: 0,
      },
    ]);
    await h.clock.advance(405);
    expect(stopped).toBe(false); // queued1 runs until 510
    await h.clock.advance(5);
    await stopping;
    expect(stopped).toBe(true);
    expect(h.delivered.map((d) => d.key)).toEqual(['svc/retrying', 'svc/slow', 'svc/queued1']);
    expect(h.startsOf('svc/queued2')).toEqual([]);
    expect(h.scheduler.stats()).toMatchObject({ running: 0, queued: 0 });

    await h.run(120_000, 10_000);
    expect(h.attempts).toHaveLength(3);
    await expect(h.scheduler.runNow('svc', 'slow')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('can be started again after stop(), spreading the checks afresh', async () => {
    const h = harness({ random: sequence(0.5, 0.25) });
    h.scheduler.set('svc', [tcp('a')]);
    h.scheduler.start();
    await h.run(1000);
    await h.scheduler.stop();
    await h.run(5000);
    h.scheduler.start();
    await h.run(2000);
    expect(h.startsOf('svc/a')).toEqual([500, 6250, 7250]);
  });

  it('keeps up with 2,000 checks every 5 s using one timer, not one per check', async () => {
    const clock = new ManualClock();
    let timers = 0;
    let maxTimers = 0;
    const counting = {
      now: () => clock.now(),
      monotonic: () => clock.monotonic(),
      setTimer(fn: () => void, ms: number) {
        timers++;
        maxTimers = Math.max(maxTimers, timers);
        let live = true;
        const cancel = clock.setTimer(() => {
          live = false;
          timers--;
          fn();
        }, ms);
        return () => {
          if (live) timers--;
          live = false;
          cancel();
        };
      },
    };
    const runs = new Map<string, number>();
    let maxLag = 0;
    const scheduler = new CheckScheduler({
      clock: counting,
      random: seeded(7),
      logger: memoryLogger().logger,
      runAttempt: async () => ({ status: 'passing', output: 'ok', latencyMs: 1 }),
      onResult(run, _result, lagMs) {
        runs.set(run.check.name, (runs.get(run.check.name) ?? 0) + 1);
        maxLag = Math.max(maxLag, lagMs);
      },
    });
    schedulers.push({ scheduler, clock });
    for (let s = 0; s < 20; s++) {
      scheduler.set(
        `svc${s}`,
        Array.from({ length: 100 }, (_, i) => tcp(`c${s}-${i}`, { intervalMs: 5000, timeoutMs: 2000 })),
      );
    }
    scheduler.start();
    for (let t = 0; t < 60_000; t += 500) await clock.advance(500);
    expect(runs.size).toBe(2000);
    for (const count of runs.values()) expect(count).toBe(12);
    expect(maxLag).toBe(0);
    expect(maxTimers).toBeLessThan(10);
  });
});
