import { describe, expect, it } from 'vitest';
import { TaskRepository } from '../../../electron/tasks/task-repository.js';
import { openRepository, openTaskDatabase, start, submit } from './open-task-store.js';

const lease = { owner: 'worker-a', node: 'node-a', leaseMs: 10_000 };
const end = (now: number, owner = 'worker-a') => ({ owner, now, durationMs: 5 });
const sleep = (extra: Parameters<typeof submit>[0] extends infer T ? Partial<T> : never = {}) =>
  submit({ type: 'sleep', payload: { ms: 1 }, ...extra });

describe('TaskRepository', () => {
  it('stores a submitted task durably: a second connection to the file reads it back', () => {
    const { tasks, file } = openRepository();
    const { id, deduplicated } = tasks.enqueue(sleep({ priority: 5, group: 'backups' }), 'task-1', start);
    expect({ id, deduplicated }).toEqual({ id: 'task-1', deduplicated: false });

    const other = new TaskRepository(openTaskDatabase(file).db, { random: Math.random, maxLogLines: 10 });
    expect(other.get('task-1', start)).toMatchObject({
      id: 'task-1',
      type: 'sleep',
      payload: { ms: 1 },
      priority: 5,
      group: 'backups',
      target: 'local',
      state: 'queued',
      attemptCount: 0,
      attempts: [],
      maxAttempts: 3,
      backoff: { baseMs: 1000, capMs: 60_000 },
    });
  });

  it('returns the existing task for a repeated idempotency key, also within one batch', () => {
    const { tasks } = openRepository();
    expect(tasks.enqueue(sleep({ idempotencyKey: 'nightly' }), 'a', start)).toEqual({ id: 'a', deduplicated: false });
    expect(tasks.enqueue(sleep({ idempotencyKey: 'nightly' }), 'b', start)).toEqual({ id: 'a', deduplicated: true });
    const batch = tasks.enqueueBatch(
      [
        { task: sleep({ idempotencyKey: 'k' }), id: 'c' },
        { task: sleep({ idempotencyKey: 'k' }), id: 'd' },
      ],
      start,
    );
    expect(batch).toEqual([
      { id: 'c', deduplicated: false },
      { id: 'c', deduplicated: true },
    ]);
    expect(tasks.list({ limit: 10 }, start).map((t) => t.id)).toEqual(['c', 'a']);
  });

  it('writes a batch all or nothing', () => {
    const { tasks } = openRepository();
    tasks.enqueue(sleep(), 'taken', start);
    expect(() =>
      tasks.enqueueBatch(
        [
          { task: sleep(), id: 'fresh' },
          { task: sleep(), id: 'taken' },
        ],
        start,
      ),
    ).toThrow(/UNIQUE/);
    expect(tasks.get('fresh', start)).toBeUndefined();
  });

  it('claims higher priority first, FIFO within a priority, and not before notBefore', () => {
    const { tasks } = openRepository();
    tasks.enqueue(sleep({ priority: 0 }), 'low-1', start);
    tasks.enqueue(sleep({ priority: 9 }), 'high-later', start);
    tasks.enqueue(sleep({ priority: 0 }), 'low-2', start);
    tasks.enqueue(sleep({ priority: 9, notBefore: start + 60_000 }), 'high-scheduled', start);
    expect(tasks.get('high-scheduled', start)?.state).toBe('scheduled');

    const first = tasks.claim({ ...lease, now: start, limit: 10 });
    expect(first.map((t) => t.id)).toEqual(['high-later', 'low-1', 'low-2']);
    expect(tasks.claim({ ...lease, now: start + 59_999, limit: 10 })).toEqual([]);
    expect(tasks.claim({ ...lease, now: start + 60_000, limit: 10 }).map((t) => t.id)).toEqual(['high-scheduled']);
    expect(tasks.get('low-1', start)).toMatchObject({
      state: 'running',
      node: 'node-a',
      attemptCount: 1,
      attempts: [{ number: 1, node: 'node-a', startedAt: start, endedAt: null, error: null }],
    });
  });

  it('lets no busy group starve another of the same priority', () => {
    const { tasks } = openRepository();
    for (let i = 0; i < 20; i += 1) tasks.enqueue(sleep({ group: 'bulk' }), `bulk-${i}`, start);
    tasks.enqueue(sleep({ group: 'interactive' }), 'interactive-1', start + 1);
    tasks.enqueue(sleep({ group: 'interactive' }), 'interactive-2', start + 2);

    const claimed = tasks.claim({ ...lease, now: start + 10, limit: 4 }).map((t) => t.id);
    // Groups alternate: the one with fewer running tasks goes next.
    expect(claimed).toEqual(['bulk-0', 'interactive-1', 'bulk-1', 'interactive-2']);
    // With bulk still running and interactive done, interactive work submitted later goes before more bulk.
    tasks.complete('interactive-1', null, end(start + 11));
    tasks.complete('interactive-2', null, end(start + 11));
    tasks.enqueue(sleep({ group: 'interactive' }), 'interactive-3', start + 20);
    expect(tasks.claim({ ...lease, now: start + 30, limit: 1 }).map((t) => t.id)).toEqual(['interactive-3']);
  });

  it('keeps to the per-type concurrency limits, counting tasks already running', () => {
    const { tasks } = openRepository();
    for (let i = 0; i < 3; i += 1) tasks.enqueue(submit({ type: 'exec', payload: {} }), `exec-${i}`, start);
    tasks.enqueue(sleep(), 'sleep-0', start);
    const perType = { exec: 2 };
    expect(tasks.claim({ ...lease, now: start, limit: 10, perType }).map((t) => t.id)).toEqual([
      'exec-0',
      'exec-1',
      'sleep-0',
    ]);
    expect(tasks.claim({ ...lease, now: start, limit: 10, perType })).toEqual([]);
    tasks.complete('exec-0', null, end(start + 1));
    expect(tasks.claim({ ...lease, now: start + 2, limit: 10, perType }).map((t) => t.id)).toEqual(['exec-2']);
  });

  it('retries with full-jitter backoff, then dead-letters after the last attempt, and replays it', () => {
    const { tasks } = openRepository({ random: () => 0.5 });
    tasks.enqueue(sleep({ maxAttempts: 2, backoff: { baseMs: 1000, capMs: 1500 } }), 'flaky', start);

    tasks.claim({ ...lease, now: start, limit: 1 });
    expect(tasks.fail('flaky', 'boom 1', end(start + 100))).toBe('retrying');
    // Attempt 1 failed: uniform in [0, min(1500, 1000 × 2^0)) → 0.5 × 1000.
    expect(tasks.get('flaky', start + 100)).toMatchObject({ state: 'retrying', runAt: start + 600, error: 'boom 1' });
    expect(tasks.claim({ ...lease, now: start + 599, limit: 1 })).toEqual([]);
    expect(tasks.claim({ ...lease, now: start + 600, limit: 1 })).toHaveLength(1);
    expect(tasks.fail('flaky', 'boom 2', end(start + 700))).toBe('dead');

    const dead = tasks.get('flaky', start + 700)!;
    expect(dead).toMatchObject({ state: 'dead', error: 'boom 2', finishedAt: start + 700, attemptCount: 2 });
    expect(dead.attempts.map((a) => [a.number, a.error, a.endedAt])).toEqual([
      [1, 'boom 1', start + 100],
      [2, 'boom 2', start + 700],
    ]);

    expect(tasks.replayDead(undefined, start + 800)).toEqual(['flaky']);
    expect(tasks.get('flaky', start + 800)).toMatchObject({ state: 'queued', attemptCount: 0, error: null });
    expect(tasks.claim({ ...lease, now: start + 800, limit: 1 })[0]).toMatchObject({ id: 'flaky', attempt: 1 });
    expect(tasks.get('flaky', start + 800)!.attempts.map((a) => a.number)).toEqual([1, 2, 3]);
  });

  it('records success with the result, and refuses an outcome from a worker that lost its lease', () => {
    const { tasks } = openRepository();
    tasks.enqueue(sleep(), 't', start);
    tasks.claim({ ...lease, now: start, limit: 1 });
    expect(tasks.complete('t', { ok: true }, end(start + 5, 'worker-b'))).toBe(false);
    expect(tasks.fail('t', 'x', end(start + 5, 'worker-b'))).toBeNull();
    expect(tasks.complete('t', { ok: true }, end(start + 5))).toBe(true);
    expect(tasks.get('t', start + 5)).toMatchObject({
      state: 'succeeded',
      result: { ok: true },
      progress: 100,
      finishedAt: start + 5,
      attempts: [{ number: 1, endedAt: start + 5, error: null }],
    });
  });

  it('recovers a task whose lease expired (its worker died) and lets a heartbeat keep a live one', () => {
    const { tasks } = openRepository();
    tasks.enqueue(sleep(), 'crashed', start);
    tasks.enqueue(sleep(), 'alive', start);
    tasks.claim({ ...lease, now: start, limit: 2 });

    expect(tasks.heartbeat('worker-a', ['alive'], start + 9000, 10_000)).toEqual({ lost: [], cancelRequested: [] });
    expect(tasks.recoverExpired(start + 10_000)).toEqual([]);
    expect(tasks.recoverExpired(start + 10_001)).toEqual(['crashed']);
    expect(tasks.get('crashed', start + 10_001)).toMatchObject({ state: 'queued', attemptCount: 1 });
    expect(tasks.get('crashed', start + 10_001)!.attempts[0]!.error).toMatch(/lease expired/);

    const again = tasks.claim({ ...lease, owner: 'worker-b', now: start + 10_001, limit: 5 });
    expect(again.map((t) => [t.id, t.attempt])).toEqual([['crashed', 2]]);
    // The dead worker, were it only slow, can no longer touch it.
    expect(tasks.heartbeat('worker-a', ['crashed'], start + 10_002, 10_000).lost).toEqual(['crashed']);
  });

  it('cancels a waiting task at once and flags a running one for its worker', () => {
    const { tasks } = openRepository();
    tasks.enqueue(sleep(), 'running', start);
    tasks.enqueue(sleep(), 'waiting', start);
    tasks.claim({ ...lease, now: start, limit: 1 });
    expect(tasks.cancel('running', start + 1)).toBe('running');
    expect(tasks.cancel('waiting', start + 1)).toBe('cancelled');
    expect(tasks.get('waiting', start + 1)?.state).toBe('cancelled');
    expect(tasks.heartbeat('worker-a', ['running'], start + 2, 10_000).cancelRequested).toEqual(['running']);
  });

  it('cancels a running task whose worker is gone (lease expired) at once, with the reason given', () => {
    const { tasks } = openRepository();
    tasks.enqueue(sleep(), 'orphan', start);
    tasks.claim({ ...lease, now: start, limit: 1 });
    const afterLease = start + lease.leaseMs + 1;
    expect(tasks.cancel('orphan', afterLease, 'handed to n2')).toBe('cancelled');
    expect(tasks.get('orphan', afterLease)).toMatchObject({ state: 'cancelled', error: 'handed to n2' });
    expect(tasks.get('orphan', afterLease)?.attempts.map((a) => a.error)).toEqual(['handed to n2']);
    expect(tasks.recoverExpired(afterLease + 1)).toEqual([]);
  });

  it('replays only dead tasks in bulk and refuses to retry what is not failed', () => {
    const { tasks } = openRepository();
    tasks.enqueue(sleep({ maxAttempts: 1 }), 'd1', start);
    tasks.enqueue(sleep({ maxAttempts: 1 }), 'd2', start);
    tasks.enqueue(sleep(), 'ok', start);
    for (const t of tasks.claim({ ...lease, now: start, limit: 3 })) {
      if (t.id === 'ok') tasks.complete(t.id, null, end(start + 1));
      else tasks.fail(t.id, 'nope', end(start + 1));
    }
    // What the node summary publishes for the fleet's dead-letter rule: the dead ones, not the succeeded.
    expect(tasks.deadCount()).toBe(2);
    expect(() => tasks.retry('ok', start + 2)).toThrow(/only a dead, cancelled or retrying task/);
    expect(() => tasks.retry('missing', start + 2)).toThrow(/no task missing/);
    expect(() => tasks.cancel('ok', start + 2)).toThrow(/already succeeded/);
    expect(tasks.replayDead(['d2', 'ok'], start + 2)).toEqual(['d2']);
    tasks.retry('d1', start + 3);
    expect(tasks.stats(start + 3, 60_000).counts).toMatchObject({ queued: 2, succeeded: 1, dead: 0 });
    expect(tasks.deadCount()).toBe(0);
  });

  it('keeps progress and only the newest log lines of a running task', () => {
    const { tasks } = openRepository({ maxLogLines: 3 });
    tasks.enqueue(sleep(), 't', start);
    tasks.claim({ ...lease, now: start, limit: 1 });
    const lines = ['one', 'two', 'three', 'four'].map((line, i) => ({ at: start + i, line }));
    tasks.report('t', 'worker-a', { progress: 40, lines }, start + 5);
    tasks.report('t', 'worker-b', { progress: 99, lines: [{ at: start, line: 'intruder' }] }, start + 6);
    const task = tasks.get('t', start + 6)!;
    expect(task.progress).toBe(40);
    expect(task.logs.map((l) => l.line)).toEqual(['two', 'three', 'four']);
    expect(tasks.logs('t', 0, 2).map((l) => l.line)).toEqual(['two', 'three']);
  });

  it('lists newest first with filters, text search and paging', () => {
    const { tasks } = openRepository();
    tasks.enqueue(submit({ type: 'exec', payload: { command: 'backup-db' }, group: 'ops' }), 'a', start);
    tasks.enqueue(sleep({ notBefore: start + 1000 }), 'b', start);
    tasks.enqueue(submit({ type: 'http', payload: { url: 'http://x/100%_done' } }), 'c', start);
    tasks.enqueue(sleep(), 'd', start);
    const ids = (query: Parameters<TaskRepository['list']>[0]) => tasks.list(query, start).map((t) => t.id);

    expect(ids({ limit: 10 })).toEqual(['d', 'c', 'b', 'a']);
    expect(ids({ limit: 2, before: 'c' })).toEqual(['b', 'a']);
    expect(ids({ limit: 10, state: 'scheduled' })).toEqual(['b']);
    expect(ids({ limit: 10, state: 'queued' })).toEqual(['d', 'c', 'a']);
    expect(ids({ limit: 10, type: 'sleep' })).toEqual(['d', 'b']);
    expect(ids({ limit: 10, group: 'ops' })).toEqual(['a']);
    expect(ids({ limit: 10, text: 'backup' })).toEqual(['a']);
    // % and _ are taken literally.
    expect(ids({ limit: 10, text: '100%_' })).toEqual(['c']);
    expect(ids({ limit: 10, text: '%' })).toEqual(['c']);
  });

  it('counts by state and reports attempts per minute with their mean duration', () => {
    const { tasks } = openRepository();
    tasks.enqueue(sleep(), 'a', start);
    tasks.enqueue(sleep(), 'b', start);
    tasks.enqueue(sleep({ notBefore: start + 600_000 }), 'later', start);
    tasks.claim({ ...lease, now: start, limit: 2 });
    tasks.complete('a', null, { owner: 'worker-a', now: start + 1000, durationMs: 10 });
    tasks.fail('b', 'x', { owner: 'worker-a', now: start + 61_000, durationMs: 30 });
    const stats = tasks.stats(start + 61_000, 120_000);
    expect(stats.counts).toEqual({
      queued: 0,
      scheduled: 1,
      running: 0,
      retrying: 1,
      succeeded: 1,
      dead: 0,
      cancelled: 0,
    });
    expect(stats.throughput.filter((b) => b.succeeded + b.failed > 0)).toEqual([
      { at: start, succeeded: 1, failed: 0, meanMs: 10 },
      { at: start + 60_000, succeeded: 0, failed: 1, meanMs: 30 },
    ]);
    expect(tasks.queueLength()).toEqual({ waiting: 2, running: 0 });
    expect(tasks.nextRunAt()).toBe(start + 61_000 + 500);
    expect(stats.bucketMs).toBe(60_000);

    // A week is counted in 7-minute buckets: a day's worth of them, both attempts in one.
    const week = tasks.stats(start + 61_000, 7 * 86_400_000);
    expect(week.bucketMs).toBe(7 * 60_000);
    expect(week.throughput.length).toBeLessThanOrEqual(1441);
    expect(week.throughput.filter((b) => b.succeeded + b.failed > 0)).toEqual([
      { at: Math.floor(start / (7 * 60_000)) * 7 * 60_000, succeeded: 1, failed: 1, meanMs: 20 },
    ]);
  });

  it('prunes tasks that finished before a time, with their attempts and logs, and nothing still to run', () => {
    const { tasks, db } = openRepository();
    tasks.enqueue(sleep(), 'old', start);
    tasks.enqueue(sleep(), 'recent', start);
    tasks.enqueue(sleep(), 'waiting', start);
    tasks.claim({ ...lease, now: start, limit: 2 });
    tasks.report('old', 'worker-a', { lines: [{ at: start, line: 'x'.repeat(5000) }] }, start);
    expect(tasks.get('old', start)!.logs[0]!.line).toHaveLength(2000);
    tasks.complete('old', null, end(start + 10));
    tasks.complete('recent', null, end(start + 1000));

    expect(tasks.pruneFinished(start + 500)).toBe(1);
    expect(tasks.get('old', start + 500)).toBeUndefined();
    expect(tasks.list({ limit: 10 }, start + 500).map((t) => t.id)).toEqual(['waiting', 'recent']);
    expect(db.prepare('SELECT count(*) AS n FROM task_logs').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM task_attempts').get()).toEqual({ n: 1 });
  });
});
