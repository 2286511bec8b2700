import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetKeys, fleetTaskKeys } from '../../electron/cluster/fleet-keys.js';
import type { FleetdeckClient } from '../../shared/client.js';
import type { Member } from '../../shared/node.js';
import { FleetTaskRecord, type Task } from '../../shared/tasks.js';
import { startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

const CLUSTER = 'fleet-tasks';
const TTL_SECONDS = 3;
const ids = ['n1', 'n2', 'n3'] as const;
type NodeId = (typeof ids)[number];

interface Node {
  id: NodeId;
  dataDir: string;
  process: AgentProcess;
  client: FleetdeckClient;
  alive: boolean;
}

const hello = { argv: [process.execPath, '-e', 'console.log("hello")'] };

/** n1 has no `hello` command; n2 and n3 carry the label the recurring task targets. */
const configOf = (id: NodeId) => ({
  labels: id === 'n1' ? {} : { beat: 'yes' },
  commands: id === 'n1' ? {} : { hello },
  resources: { intervalMs: 500 },
  tasks: {
    heartbeatMs: 200,
    leaseMs: 2000,
    recurring: [
      {
        id: 'beat',
        schedule: '*/2 * * * * *',
        task: { type: 'sleep', payload: { ms: 0 }, target: 'label:beat=yes' },
      },
    ],
  },
});

/**
 * Fleet tasks end to end: three agents as child processes on a real etcd, killed with SIGKILL. The tests share the
 * fleet and run in order; each node that is killed is started again on its data directory before the next test.
 */
describe('fleet tasks on etcd (3 agent processes, kill -9)', () => {
  let etcd: EtcdCluster;
  let raw: Etcd3;
  const nodes = new Map<NodeId, Node>();
  const recordsPrefix = `${fleetKeys(CLUSTER).kv}tasks/`;

  const node = (id: NodeId) => nodes.get(id)!;
  const live = () => [...nodes.values()].filter((n) => n.alive);
  const start = async (id: NodeId, dataDir = tempDir()) => {
    const process = await startAgentProcess({
      dataDir,
      args: [
        ...['--backend', 'etcd', '--etcd-endpoints', etcd.endpoints.join(',')],
        ...['--cluster', CLUSTER, '--lease-ttl', String(TTL_SECONDS), '--node-id', id],
      ],
      config: configOf(id),
    });
    nodes.set(id, { id, dataDir, process, client: clientFor(process.url), alive: true });
  };
  const kill = async (id: NodeId) => {
    node(id).alive = false;
    await node(id).process.stop('SIGKILL');
  };
  /** Every live node sees every live node, each with a published summary (what the leader places by). */
  const converged = async () => {
    const expected = live()
      .map((n) => n.id)
      .sort()
      .join();
    for (const n of live()) {
      const members: Member[] = await n.client.call('cluster.members', {});
      if (members.filter((m) => m.summary?.tasks.types).length !== live().length) return false;
      if (
        members
          .map((m) => m.id)
          .sort()
          .join() !== expected
      ) {
        return false;
      }
    }
    return true;
  };
  /** The leader every live node agrees on (never a killed one). */
  const leaderId = () =>
    waitFor(
      'one leader that every live node sees',
      async () => {
        const seen = await Promise.all(live().map(async (n) => (await n.client.call('cluster.leader', {}))?.id));
        const [first] = seen;
        const agreed = live().some((n) => n.id === first) && seen.every((id) => id === first);
        return agreed ? (first as NodeId) : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  /** Every member's published summary shows an empty queue (placement reads the summaries). */
  const idle = () =>
    waitFor(
      'every summary to show an idle queue',
      async () =>
        (await live()[0]!.client.call('cluster.members', {})).every(
          (m) => m.summary?.tasks.running === 0 && m.summary.tasks.waiting === 0,
        ),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  const records = async () =>
    Object.entries(await raw.getAll().prefix(`${recordsPrefix}fleet/`).strings()).map(([, value]) =>
      FleetTaskRecord.parse(JSON.parse(value)),
    );
  /** Asks `via` until the task is in `state`; returns it. */
  const settle = (via: NodeId, id: string, state: Task['state'], timeoutMs = 20_000) =>
    waitFor(
      `task ${id} to be ${state} (asked on ${via})`,
      async () => {
        const task = await node(via).client.call('tasks.get', { id });
        return task.state === state && task;
      },
      { timeoutMs, intervalMs: 100 },
    );
  const submitSleep = (via: NodeId, ms: number, extra: Record<string, unknown> = {}) =>
    node(via).client.call('tasks.submit', { type: 'sleep', payload: { ms }, target: 'any', ...extra });
  const rawSubmit = async (via: NodeId, params: unknown) => {
    const response = await fetch(`${node(via).process.url}/rpc/tasks.submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    const body = (await response.json()) as { error?: { issues?: Array<{ path: string }> } };
    return { status: response.status, paths: (body.error?.issues ?? []).map((issue) => issue.path) };
  };

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    raw = new Etcd3({ hosts: etcd.endpoints });
    for (const id of ids) await start(id);
    await waitFor('the fleet to converge with summaries', converged, { timeoutMs: 20_000, intervalMs: 200 });
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes.values()) await n.process.stop('SIGKILL');
    raw?.close();
    await etcd?.stop();
  });

  it('refuses bad submits with 400 naming the field, and writes nothing anywhere', async () => {
    // (The leader's recurring task writes records meanwhile: counted are those from n2 only.)
    const fromN2 = async () => (await records()).filter((r) => r.submittedBy === 'n2').length;
    const before = await fromN2();
    const localBefore = (await node('n2').client.call('tasks.list', {})).length;
    const bad: Array<[unknown, string]> = [
      [{ type: 'nope', target: 'any' }, 'type'],
      [{ type: 'sleep', payload: { ms: 'long' }, target: 'any' }, 'payload.ms'],
      [{ type: 'exec', payload: { command: 'hello' }, target: 'node:n1' }, 'payload.command'],
      [{ type: 'exec', payload: { command: 'missing' }, target: 'any' }, 'payload.command'],
      [{ type: 'sleep', payload: { ms: 1 }, timeoutMs: -5, target: 'any' }, 'timeoutMs'],
      [{ type: 'sleep', payload: { ms: 1 }, target: 'node:n9' }, 'target'],
      [{ type: 'sleep', payload: { ms: 1 }, target: 'label:zone=mars' }, 'target'],
    ];
    for (const [params, path] of bad) {
      expect(await rawSubmit('n2', { ...(params as object), idempotencyKey: `bad-${path}` })).toEqual({
        status: 400,
        paths: expect.arrayContaining([path]) as string[],
      });
    }
    expect(await fromN2()).toBe(before);
    for (const [, path] of bad) {
      expect(await raw.get(`${fleetKeys(CLUSTER).kv}${fleetTaskKeys.idempotency(`bad-${path}`)}`)).toBeNull();
    }
    expect((await node('n2').client.call('tasks.list', {})).length).toBe(localBefore);

    // An exec task naming a command its target defines is accepted from a node that does not define it.
    const { id } = await node('n1').client.call('tasks.submit', {
      type: 'exec',
      payload: { command: 'hello' },
      target: 'node:n3',
    });
    expect(await settle('n1', id, 'succeeded')).toMatchObject({ node: 'n3', result: { exitCode: 0 } });
  });

  it('places round-robin across the three agents, and least-connections on the idle ones', async () => {
    const submitted = [];
    for (let i = 0; i < 6; i += 1) submitted.push(await submitSleep('n1', 10, { strategy: 'round-robin' }));
    const ran = await Promise.all(submitted.map(({ id }) => settle('n2', id, 'succeeded')));
    const perNode = ran.reduce<Record<string, number>>((counts, task) => {
      counts[task.node!] = (counts[task.node!] ?? 0) + 1;
      return counts;
    }, {});
    expect(perNode).toEqual({ n1: 2, n2: 2, n3: 2 });

    await idle();
    const long = [];
    for (let i = 0; i < 3; i += 1) long.push(await submitSleep('n2', 1500, { strategy: 'least-connections' }));
    const running = await Promise.all(long.map(({ id }) => settle('n3', id, 'running')));
    expect(running.map((task) => task.node).sort()).toEqual(['n1', 'n2', 'n3']);
    await Promise.all(long.map(({ id }) => settle('n1', id, 'succeeded')));
  });

  it('gets, cancels and retries a fleet task from any node', async () => {
    const { id } = await submitSleep('n1', 60_000, { target: 'node:n3' });
    expect(await settle('n2', id, 'running')).toMatchObject({ node: 'n3', attemptCount: 1 });
    expect(await node('n2').client.call('tasks.cancel', { id })).toMatchObject({ id });
    expect(await settle('n1', id, 'cancelled')).toMatchObject({ node: 'n3', error: 'cancelled' });
    expect(await node('n1').client.call('tasks.retry', { id })).toEqual({ id, state: 'queued' });
    expect(await settle('n2', id, 'running')).toMatchObject({ node: 'n3' });
    await node('n3').client.call('tasks.cancel', { id });
    await settle('n2', id, 'cancelled');
    await waitFor('the record to be done', async () => (await records()).find((r) => r.id === id)?.phase === 'done');
    await expect(node('n1').client.call('tasks.cancel', { id })).rejects.toThrow(/already cancelled/);
  });

  it('keeps one task per idempotency key under concurrent resubmits from every node', async () => {
    const submits = live().flatMap((n) =>
      Array.from({ length: 4 }, () =>
        n.client.call('tasks.submit', { type: 'sleep', payload: { ms: 1 }, target: 'any', idempotencyKey: 'once' }),
      ),
    );
    const answers = await Promise.all(submits);
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(answers.filter((a) => !a.deduplicated)).toHaveLength(1);
    await settle('n3', answers[0]!.id, 'succeeded');
    expect((await records()).filter((r) => r.task.idempotencyKey === 'once')).toHaveLength(1);
  });

  it('kill -9 of the agent running a task: it completes elsewhere, and the restarted agent does not run it again', async () => {
    const leader = await leaderId();
    const victim = ids.find((id) => id !== leader)!;
    const { id } = await submitSleep(leader, 2000, { target: 'label:beat=yes', strategy: 'round-robin' });
    // Round-robin over n2 and n3: resubmit until one lands on the victim.
    let task = await settle(leader, id, 'running');
    let taskId = id;
    while (task.node !== victim) {
      taskId = (await submitSleep(leader, 2000, { target: `node:${victim}` })).id;
      task = await settle(leader, taskId, 'running');
    }
    await kill(victim);
    const done = await settle(leader, taskId, 'succeeded', 20_000);
    expect(done.node).not.toBe(victim);

    await start(victim, node(victim).dataDir);
    const local = await waitFor('the restarted agent to give the task up', async () => {
      const copy = await node(victim).client.call('tasks.get', { id: taskId, local: true });
      return copy.state === 'cancelled' && copy;
    });
    expect(local.error).toBe(`handed to ${done.node}`);
    await waitFor('the fleet to converge again', converged, { timeoutMs: 20_000, intervalMs: 200 });
  });

  it('kill -9 of the submitting node right after submit returned: the task still runs', async () => {
    const leader = await leaderId();
    const submitter = ids.find((id) => id !== leader)!;
    const { id } = await submitSleep(submitter, 200, { target: `node:${leader}` });
    await kill(submitter);
    expect(await settle(leader, id, 'succeeded')).toMatchObject({ node: leader });
    await start(submitter, node(submitter).dataDir);
    await waitFor('the fleet to converge again', converged, { timeoutMs: 20_000, intervalMs: 200 });
  });

  it('kill -9 of the leader while tasks are pending: all complete, and cron fired each tick once across it', async () => {
    const leader = await leaderId();
    const via = ids.find((id) => id !== leader)!;
    const before = await Promise.all(Array.from({ length: 4 }, () => submitSleep(via, 300)));
    const killedAt = Date.now();
    await kill(leader);
    // No leader until its lease expires: these wait as pending records.
    const during = await Promise.all(Array.from({ length: 4 }, () => submitSleep(via, 300)));
    const newLeader = await leaderId();
    expect(newLeader).not.toBe(leader);
    for (const { id } of [...before, ...during]) {
      expect((await settle(via, id, 'succeeded', 30_000)).node).not.toBe(leader);
    }

    // Ticks go on after the failover, and no tick made two tasks.
    await waitFor(
      'a tick fired by the new leader',
      async () =>
        (await records()).some(
          (r) =>
            r.task.idempotencyKey?.startsWith('cron:beat:') && r.submittedBy === newLeader && r.submittedAt > killedAt,
        ),
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    const beats = (await records()).filter((r) => r.task.idempotencyKey?.startsWith('cron:beat:'));
    const ticks = beats.map((r) => Number(r.task.idempotencyKey!.split(':')[2]));
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.some((tick) => tick < killedAt)).toBe(true);
    expect(ticks.every((tick) => tick % 2000 === 0)).toBe(true);
    // At most one missed tick caught up: no tick older than the failover was fired by the new leader twice over.
    const caughtUp = beats.filter(
      (r) => r.submittedBy === newLeader && Number(r.task.idempotencyKey!.split(':')[2]) < killedAt,
    );
    expect(caughtUp.length).toBeLessThanOrEqual(1);
  });
});
