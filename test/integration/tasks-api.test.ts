import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcParams } from '../../shared/rpc.js';
import { clientFor } from '../support/http-client.js';
import { openInProcessAgent, type InProcessAgent } from '../support/in-process-agent.js';
import { waitFor } from '../support/poll.js';
import { readEvents } from '../support/sse.js';
import { memoryLogger } from '../support/test-logger.js';

/** A loopback port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('tasks over the HTTP API (one node, local backend)', () => {
  let node: InProcessAgent;
  const api = () => clientFor(node.server.url);
  const rawCall = async (method: string, params: unknown) => {
    const response = await fetch(`${node.server.url}/rpc/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: response.status, body: (await response.json()) as { error?: { issues?: unknown[] } } };
  };
  const settle = (id: string, state: string) =>
    waitFor(`task ${id} to be ${state}`, async () => {
      const task = await api().call('tasks.get', { id });
      return task.state === state && task;
    });

  beforeAll(async () => {
    node = await openInProcessAgent(
      {
        name: 'tasks-node',
        labels: { zone: 'a' },
        commands: { hello: { argv: [process.execPath, '-e', 'console.log("hello", ...process.argv.slice(1))'] } },
        tasks: { execArgs: { hello: { allow: ['[a-z]+'], maxArgs: 2 } }, heartbeatMs: 200, leaseMs: 2000 },
      },
      { logger: memoryLogger().logger },
    );
    await node.agent.start(node.server.url);
  });
  afterAll(async () => {
    await node.server.close();
    await node.agent.stop();
  });

  it('runs a submitted task to success, pushing task.changed, with its attempt, progress and result', async () => {
    const stream = readEvents(`${node.server.url}/events`);
    try {
      const { id, deduplicated } = await api().call('tasks.submit', { type: 'sleep', payload: { ms: 50 } });
      expect(deduplicated).toBe(false);
      const task = await settle(id, 'succeeded');
      expect(task).toMatchObject({ progress: 100, result: { sleptMs: 50 }, node: node.agent.nodeId, attemptCount: 1 });
      expect(task.attempts).toEqual([
        expect.objectContaining({ number: 1, node: node.agent.nodeId, error: null, endedAt: expect.any(Number) }),
      ]);
      await waitFor('task.changed events up to success', () =>
        stream.events.some((event) =>
          JSON.stringify(event).includes(`"id":"${id}","type":"sleep","state":"succeeded"`),
        ),
      );
    } finally {
      stream.close();
    }
  });

  it('runs an exec task of a command the node defines, with allowed arguments only', async () => {
    const { id } = await api().call('tasks.submit', { type: 'exec', payload: { command: 'hello', args: ['fleet'] } });
    const task = await settle(id, 'succeeded');
    expect(task.result).toMatchObject({ exitCode: 0, output: expect.stringContaining('hello fleet') });

    const refused = await rawCall('tasks.submit', { type: 'exec', payload: { command: 'hello', args: ['../etc'] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.issues).toEqual([expect.objectContaining({ path: 'payload.args.0' })]);
  });

  it('returns the existing task for a repeated idempotency key, also for concurrent resubmits', async () => {
    const submit: RpcParams<'tasks.submit'> = { type: 'sleep', payload: { ms: 1 }, idempotencyKey: 'nightly-1' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => api().call('tasks.submit', submit)));
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(answers.filter((a) => !a.deduplicated)).toHaveLength(1);
  });

  it('refuses bad submits with 400 naming the field, and writes nothing', async () => {
    const ids = async () => (await api().call('tasks.list', { limit: 500 })).map((task) => task.id).sort();
    const before = await ids();
    const cases: Array<[unknown, string]> = [
      [{ type: 'no-such-type', payload: {} }, 'type'],
      [{ type: 'sleep', payload: { ms: 'soon' } }, 'payload.ms'],
      [{ type: 'exec', payload: { command: 'rm-rf' } }, 'payload.command'],
      [{ type: 'sleep', payload: { ms: 1 }, timeoutMs: -5 }, 'timeoutMs'],
      [{ type: 'sleep', payload: { ms: 1 }, target: 'node:elsewhere' }, 'target'],
      [{ type: 'sleep', payload: { ms: 1 }, target: 'label:zone=b' }, 'target'],
      [{ type: 'sleep', payload: { ms: 1 }, target: 'everywhere' }, 'target'],
    ];
    for (const [params, path] of cases) {
      const answer = await rawCall('tasks.submit', params);
      expect(answer.status, JSON.stringify(params)).toBe(400);
      expect(answer.body.error?.issues, JSON.stringify(params)).toEqual(
        expect.arrayContaining([expect.objectContaining({ path })]),
      );
    }
    const batch = await rawCall('tasks.submitBatch', {
      tasks: [
        { type: 'sleep', payload: { ms: 1 } },
        { type: 'sleep', payload: {} },
      ],
    });
    expect(batch.status).toBe(400);
    expect(batch.body.error?.issues).toEqual([expect.objectContaining({ path: 'tasks.1.payload.ms' })]);
    expect(await ids()).toEqual(before);
  });

  it('cancels a running task, aborting its work', async () => {
    const { id } = await api().call('tasks.submit', { type: 'sleep', payload: { ms: 60_000 } });
    await settle(id, 'running');
    // The answer is the state at that moment: the abort has been sent, the attempt ends as soon as the work stops.
    expect((await api().call('tasks.cancel', { id })).id).toBe(id);
    const task = await settle(id, 'cancelled');
    expect(task.attempts[0]?.error).toMatch(/cancel/);
    expect(task.progress).toBeLessThan(100);
  });

  it('makes a dead letter after the last attempt and replays it, alone and in bulk', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const { id } = await api().call('tasks.submit', { type: 'http', payload: { url }, maxAttempts: 1 });
    const dead = await settle(id, 'dead');
    expect(dead.attempts).toHaveLength(1);
    expect(dead.error).toBeTruthy();
    expect((await api().call('tasks.list', { state: 'dead' })).map((t) => t.id)).toContain(id);

    await api().call('tasks.retry', { id });
    const again = await settle(id, 'dead');
    expect(again.attempts).toHaveLength(2);

    const { outcomes } = await api().call('tasks.bulk', { action: 'retry', ids: [id, 'no-such-task'] });
    expect(outcomes).toEqual([
      { id, state: expect.any(String), error: null },
      { id: 'no-such-task', state: null, error: expect.stringContaining('no-such-task') },
    ]);
    await waitFor('the bulk replay to run', async () => (await api().call('tasks.get', { id })).attempts.length === 3);
  });

  it('lists by text and publishes the queue length in the node summary', async () => {
    const { id } = await api().call('tasks.submit', {
      type: 'sleep',
      payload: { ms: 60_000 },
      group: 'reports',
      notBefore: Date.now() + 3_600_000,
    });
    expect((await api().call('tasks.get', { id })).state).toBe('scheduled');
    expect((await api().call('tasks.list', { group: 'reports' })).map((t) => t.id)).toEqual([id]);
    expect((await api().call('tasks.list', { text: id.slice(0, 12) })).map((t) => t.id)).toContain(id);
    await waitFor('the summary to count the waiting task', async () => {
      const [self] = await api().call('cluster.members', {});
      return (self?.summary?.tasks.waiting ?? 0) >= 1;
    });
    await api().call('tasks.cancel', { id });
  });

  it('names the task types and the exec commands of this node', async () => {
    const types = await api().call('tasks.types', {});
    expect(types.map((t) => t.type).sort()).toEqual(['check', 'exec', 'http', 'sleep']);
    expect(types.find((t) => t.type === 'exec')?.commands).toEqual(['hello']);
  });
});
