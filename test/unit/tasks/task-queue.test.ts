import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinTaskTypes } from '../../../electron/tasks/builtin-task-types.js';
import { TaskQueue, type TaskChangedEvent } from '../../../electron/tasks/task-queue.js';
import { defineTaskType } from '../../../electron/tasks/task-types.js';
import { TasksConfig, type TasksConfigInput } from '../../../shared/tasks.js';
import { ManualClock } from '../../support/manual-clock.js';
import { memoryLogger } from '../../support/test-logger.js';
import { openTaskDatabase, start } from './open-task-store.js';

let failuresLeft = 0;
const flaky = defineTaskType({
  name: 'flaky',
  payload: z.object({}).strict(),
  run: () => (failuresLeft-- > 0 ? Promise.reject(new Error('flaked')) : Promise.resolve('fine')),
});
const chatty = defineTaskType({
  name: 'chatty',
  payload: z.object({ lines: z.number().int() }).strict(),
  run({ lines }, { log, progress }) {
    for (let i = 1; i <= lines; i += 1) log(`line ${i}`);
    progress(50);
    return Promise.resolve({ lines });
  },
});
/** Never settles and ignores its signal: the worker must still end its attempt. */
const stubborn = defineTaskType({ name: 'stubborn', payload: z.object({}), run: () => new Promise(() => {}) });

function setup(options: { config?: TasksConfigInput; clock?: ManualClock; file?: string; nodeId?: string } = {}) {
  const clock = options.clock ?? new ManualClock(start);
  const { db, file } = openTaskDatabase(options.file);
  const events: TaskChangedEvent[] = [];
  const types = builtinTaskTypes({
    clock,
    commands: { hello: { argv: ['echo', 'hello'], env: {} } },
    config: TasksConfig.parse({}),
    runCheck: () => Promise.resolve({ status: 'passing', output: 'ok' }),
  })
    .register(flaky)
    .register(chatty)
    .register(stubborn);
  const queue = new TaskQueue({
    db,
    clock,
    random: () => 0.5,
    logger: memoryLogger().logger,
    publish: (event) => events.push(event),
    nodeId: options.nodeId ?? 'node-a',
    labels: { zone: 'eu' },
    config: TasksConfig.parse({ concurrency: 2, leaseMs: 5000, heartbeatMs: 1000, pollMs: 500, ...options.config }),
    types,
  });
  return { queue, clock, events, file, db };
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code?: string }).code, issues: (error as { issues?: unknown }).issues };
  }
  throw new Error('expected a refusal');
};

describe('TaskQueue', () => {
  it('runs a submitted task to success, recording the attempt and publishing each change', async () => {
    const { queue, clock, events } = setup();
    queue.start();
    const { id } = queue.submit({ type: 'sleep', payload: { ms: 1000 } });
    await clock.advance(0);
    expect(queue.get(id)).toMatchObject({ state: 'running', node: 'node-a' });
    await clock.advance(1000);
    expect(queue.get(id)).toMatchObject({
      state: 'succeeded',
      result: { sleptMs: 1000 },
      progress: 100,
      attempts: [{ number: 1, node: 'node-a', startedAt: start, endedAt: start + 1000, error: null }],
    });
    const states = events.filter((e) => e.data.id === id).map((e) => e.data.state);
    expect(states[0]).toBe('queued');
    expect(states[1]).toBe('running');
    expect(states.at(-1)).toBe('succeeded');
    await queue.stop();
  });

  it('refuses bad submissions naming the field, and writes nothing', () => {
    const { queue } = setup();
    expect(refusal(() => queue.submit({ type: 'nope', payload: {} }))).toMatchObject({
      code: 'invalid_request',
      issues: [{ path: 'type' }],
    });
    expect(refusal(() => queue.submit({ type: 'sleep', payload: { ms: 'soon' } })).issues).toEqual([
      { path: 'payload.ms', message: expect.any(String) },
    ]);
    expect(refusal(() => queue.submit({ type: 'sleep', payload: { ms: 1 }, timeoutMs: -5 })).issues).toEqual([
      { path: 'timeoutMs', message: expect.any(String) },
    ]);
    expect(refusal(() => queue.submit({ type: 'sleep', payload: { ms: 1 }, target: 'node:elsewhere' })).issues).toEqual(
      [{ path: 'target', message: 'unknown target node "elsewhere"' }],
    );
    expect(refusal(() => queue.submit({ type: 'sleep', payload: { ms: 1 }, target: 'label:zone=us' })).issues).toEqual([
      { path: 'target', message: 'this node does not have label zone=us' },
    ]);
    expect(refusal(() => queue.submit({ type: 'exec', payload: { command: 'rm' } })).issues).toEqual([
      { path: 'payload.command', message: 'command "rm" is not defined on this node' },
    ]);
    expect(
      refusal(() =>
        queue.submitBatch({
          tasks: [
            { type: 'sleep', payload: { ms: 1 } },
            { type: 'sleep', payload: {} },
          ],
        }),
      ).issues,
    ).toEqual([{ path: 'tasks.1.payload.ms', message: expect.any(String) }]);
    expect(queue.list({})).toEqual([]);
    // Accepted: this node's own id, its label, and any.
    for (const target of ['node:node-a', 'label:zone=eu', 'any', 'local']) {
      queue.submit({ type: 'sleep', payload: { ms: 1 }, target });
    }
    expect(queue.list({ limit: 10 })).toHaveLength(4);
  });

  it('returns the same task for a resubmit with the same idempotency key', () => {
    const { queue } = setup();
    const first = queue.submit({ type: 'sleep', payload: { ms: 1 }, idempotencyKey: 'once' });
    expect(queue.submit({ type: 'sleep', payload: { ms: 1 }, idempotencyKey: 'once' })).toEqual({
      id: first.id,
      deduplicated: true,
    });
    expect(queue.submitBatch({ tasks: [{ type: 'sleep', payload: { ms: 2 }, idempotencyKey: 'once' }] })).toEqual({
      ids: [first.id],
    });
  });

  it('aborts an attempt at its timeout, retries after the backoff, and dead-letters after the last attempt', async () => {
    const { queue, clock } = setup();
    queue.start();
    const { id } = queue.submit({
      type: 'sleep',
      payload: { ms: 10_000 },
      timeoutMs: 100,
      maxAttempts: 2,
      backoff: { baseMs: 1000, capMs: 1000 },
    });
    await clock.advance(100);
    expect(queue.get(id)).toMatchObject({ state: 'retrying', error: 'timed out after 100 ms', runAt: start + 600 });
    await clock.advance(500);
    expect(queue.get(id).state).toBe('running');
    await clock.advance(100);
    const dead = queue.get(id);
    expect(dead.state).toBe('dead');
    expect(dead.attempts.map((a) => [a.startedAt - start, a.endedAt! - start, a.error])).toEqual([
      [0, 100, 'timed out after 100 ms'],
      [600, 700, 'timed out after 100 ms'],
    ]);
    await queue.stop();
  });

  it('ends the attempt of an executor that ignores its signal at the timeout', async () => {
    const { queue, clock } = setup();
    queue.start();
    const { id } = queue.submit({ type: 'stubborn', timeoutMs: 50, maxAttempts: 1 });
    await clock.advance(50);
    expect(queue.get(id)).toMatchObject({ state: 'dead', error: 'timed out after 50 ms' });
    await queue.stop();
  });

  it('cancel stops a running task and cancels a waiting one', async () => {
    const { queue, clock } = setup({ config: { concurrency: 1 } });
    queue.start();
    const running = queue.submit({ type: 'sleep', payload: { ms: 10_000 } }).id;
    const waiting = queue.submit({ type: 'sleep', payload: { ms: 10_000 } }).id;
    await clock.advance(0);
    queue.cancel(running);
    queue.cancel(waiting);
    await clock.advance(0);
    expect(queue.get(running)).toMatchObject({ state: 'cancelled', attempts: [{ error: 'cancelled' }] });
    expect(queue.get(waiting)).toMatchObject({ state: 'cancelled', attempts: [] });
    await queue.stop();
  });

  it('retries a failing task with backoff until it succeeds, and replays a dead letter', async () => {
    const { queue, clock } = setup();
    queue.start();
    failuresLeft = 1;
    const { id } = queue.submit({ type: 'flaky', backoff: { baseMs: 200, capMs: 200 } });
    await clock.advance(0);
    expect(queue.get(id)).toMatchObject({ state: 'retrying', error: 'flaked' });
    await clock.advance(100);
    expect(queue.get(id)).toMatchObject({ state: 'succeeded', result: 'fine', attemptCount: 2 });

    failuresLeft = 1;
    const dead = queue.submit({ type: 'flaky', maxAttempts: 1 }).id;
    await clock.advance(0);
    expect(queue.get(dead).state).toBe('dead');
    expect(queue.replayDead()).toEqual([dead]);
    await clock.advance(0);
    expect(queue.get(dead)).toMatchObject({ state: 'succeeded', attempts: [{ error: 'flaked' }, { error: null }] });
    await queue.stop();
  });

  it('runs at most `concurrency` tasks at once and the rest as slots free up', async () => {
    const { queue, clock } = setup({ config: { concurrency: 2 } });
    queue.start();
    const ids = [1, 2, 3, 4, 5].map(() => queue.submit({ type: 'sleep', payload: { ms: 100 } }).id);
    await clock.advance(0);
    expect(queue.queueLength()).toEqual({ waiting: 3, running: 2 });
    await clock.advance(100);
    expect(queue.queueLength()).toEqual({ waiting: 1, running: 2 });
    await clock.advance(200);
    expect(ids.map((id) => queue.get(id).state)).toEqual(Array(5).fill('succeeded'));
    expect(queue.stats().counts.succeeded).toBe(5);
    await queue.stop();
  });

  it('records progress and log lines', async () => {
    const { queue, clock } = setup();
    queue.start();
    const { id } = queue.submit({ type: 'chatty', payload: { lines: 3 } });
    await clock.advance(0);
    expect(queue.get(id)).toMatchObject({
      state: 'succeeded',
      logs: [
        { at: start, line: 'line 1' },
        { at: start, line: 'line 2' },
        { at: start, line: 'line 3' },
      ],
    });
    await queue.stop();
  });

  it('hands running tasks back on stop without spending an attempt', async () => {
    const { queue, clock, file } = setup();
    queue.start();
    const { id } = queue.submit({ type: 'sleep', payload: { ms: 10_000 }, maxAttempts: 1 });
    await clock.advance(0);
    await queue.stop();
    expect(queue.get(id)).toMatchObject({
      state: 'queued',
      attemptCount: 0,
      attempts: [{ error: 'interrupted: the worker stopped' }],
    });

    const next = setup({ clock, file });
    next.queue.start();
    await clock.advance(10_000);
    expect(next.queue.get(id).state).toBe('succeeded');
    await next.queue.stop();
  });

  it('runs a task again once the lease of a hung worker expires, and the hung worker lets go', async () => {
    const hung = setup({ clock: new ManualClock(start) });
    hung.queue.start();
    const { id } = hung.queue.submit({ type: 'sleep', payload: { ms: 30_000 } });
    await hung.clock.advance(0);
    expect(hung.queue.get(id).state).toBe('running');

    // Another worker on the same file, 5 s later (the lease's length) and a little more.
    const rescuer = setup({ clock: new ManualClock(start + 5001), file: hung.file, nodeId: 'node-b' });
    rescuer.queue.start();
    await rescuer.clock.advance(0);
    expect(rescuer.queue.get(id)).toMatchObject({ state: 'running', node: 'node-b', attemptCount: 2 });
    expect(rescuer.queue.get(id).attempts[0]!.error).toMatch(/lease expired/);

    // The hung worker wakes up: its heartbeat finds the lease gone and it stops without recording anything.
    await hung.clock.advance(1000);
    await rescuer.clock.advance(30_000);
    expect(rescuer.queue.get(id)).toMatchObject({ state: 'succeeded', node: 'node-b' });
    expect(rescuer.queue.get(id).attempts.map((a) => [a.node, a.error === null])).toEqual([
      ['node-a', false],
      ['node-b', true],
    ]);
    await hung.queue.stop();
    await rescuer.queue.stop();
  });
});
