import { describe, expect, it, onTestFinished } from 'vitest';
import type { Campaign } from '../../../electron/cluster/coordination-backend.js';
import { fleetKeys, fleetTaskKeys } from '../../../electron/cluster/fleet-keys.js';
import { LocalBackend } from '../../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../../electron/cluster/local/local-coordinator.js';
import { builtinTaskTypes } from '../../../electron/tasks/builtin-task-types.js';
import { FleetTaskNode } from '../../../electron/tasks/fleet-task-node.js';
import { TaskQueue } from '../../../electron/tasks/task-queue.js';
import type { Member } from '../../../shared/node.js';
import type { TaskSubmitRequest } from '../../../shared/rpc/tasks.js';
import { FleetTaskRecord, TasksConfig, type TaskSubmitInput } from '../../../shared/tasks.js';
import { memberRecord } from '../cluster/coordination-contract.js';
import { ManualClock } from '../../support/manual-clock.js';
import { memoryLogger } from '../../support/test-logger.js';
import { openTaskDatabase, start } from './open-task-store.js';

const caller = { transport: 'http', remote: '127.0.0.1' } as const;
const config = TasksConfig.parse({ heartbeatMs: 200, leaseMs: 2000, pollMs: 100, fleetRetentionMs: 60_000 });
const request = (input: TaskSubmitInput & { strategy?: TaskSubmitRequest['strategy'] }) =>
  ({
    payload: {},
    priority: 0,
    maxAttempts: 3,
    timeoutMs: 60_000,
    backoff: { baseMs: 1000, capMs: 60_000 },
    group: 'default',
    target: 'any',
    ...input,
  }) as TaskSubmitRequest;

/**
 * Three nodes on one embedded coordinator with a manual clock: each with its own SQLite queue and fleet task node.
 * Who is a live member is the test's to say (a node "dies" by leaving the list and stopping its worker).
 */
async function fleet() {
  const clock = new ManualClock(start);
  const coordinator = new LocalCoordinator(clock);
  const { logger, lines } = memoryLogger();
  const live = new Set(['a', 'b', 'c']);
  const nodes = new Map<string, { queue: TaskQueue; fleet: FleetTaskNode; backend: LocalBackend }>();
  const members = (): Member[] =>
    [...live].map((id) => ({
      ...memberRecord(id),
      leader: id === 'a',
      lastSeen: clock.now(),
      summary: {
        health: 'passing',
        services: 0,
        checks: { passing: 0, warning: 0, critical: 0, flapping: 0, unknown: 0 },
        cpuPercent: 10,
        memoryPercent: 10,
        diskPercent: 10,
        leaderClaim: null,
        configErrors: [],
        openAlerts: { info: 0, warning: 0, critical: 0, emergency: 0 },
        tasks: { waiting: 0, running: 0, types: ['sleep', 'exec'], commands: [], concurrency: 4 },
        publishedAt: clock.now(),
      },
    }));
  let campaign: Campaign | null = null;
  for (const id of ['a', 'b', 'c']) {
    const backend = new LocalBackend({ coordinator, ownsCoordinator: false, cluster: 'unit', clock, logger });
    await backend.connect();
    if (id === 'a') campaign = backend.campaign('a', await backend.register(memberRecord('a'), 30));
    const { db } = openTaskDatabase();
    const types = builtinTaskTypes({
      clock,
      commands: {},
      config,
      runCheck: () => Promise.resolve({ status: 'passing', output: '' }),
    });
    let node: FleetTaskNode | null = null;
    const queue = new TaskQueue({
      db,
      clock,
      random: () => 0.5,
      logger,
      publish: (event) => node?.member.localChanged(event.data),
      nodeId: id,
      labels: {},
      config,
      types,
    });
    node = new FleetTaskNode({
      backend,
      queue,
      types,
      selfId: id,
      clock,
      random: () => 0.5,
      logger,
      config,
      leadership: () => (id === 'a' ? (campaign?.current() ?? null) : null),
      members,
      callMember: (memberId, params) => Promise.resolve(nodes.get(memberId)!.queue.get(params.id)),
    });
    nodes.set(id, { queue, fleet: node, backend });
  }
  await clock.advance(10);
  for (const { fleet: node, queue } of nodes.values()) {
    await node.start();
    queue.start();
  }
  onTestFinished(async () => {
    for (const { fleet: node, queue, backend } of nodes.values()) {
      node.stop();
      await queue.stop();
      await backend.close();
    }
    coordinator.close();
  });
  const node = (id: string) => nodes.get(id)!;
  const record = async (id: string) => {
    const entry = coordinator.get(`${fleetKeys('unit').kv}${fleetTaskKeys.record(id)}`);
    return entry ? FleetTaskRecord.parse(JSON.parse(entry.value)) : null;
  };
  return { clock, coordinator, lines, live, node, record };
}

describe('fleet tasks on the local backend (manual clock)', () => {
  it('places round-robin, runs each task on its member under the same id, and reports it done', async () => {
    const { clock, node, record } = await fleet();
    const ids = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(
        (await node('b').fleet.tasks.submit(request({ type: 'sleep', payload: { ms: 100 }, strategy: 'round-robin' })))
          .id,
      );
    }
    await clock.advance(500);
    const done = await Promise.all(ids.map((id) => record(id)));
    expect(done.map((r) => [r?.phase, r?.final?.state, r?.final?.node])).toEqual([
      ['done', 'succeeded', 'a'],
      ['done', 'succeeded', 'b'],
      ['done', 'succeeded', 'c'],
    ]);
    expect(done[2]!.final!.durationMs).toBeGreaterThanOrEqual(0);
    // Asked anywhere, the task comes from the node that ran it.
    expect(await node('a').fleet.tasks.get(ids[2]!, caller)).toMatchObject({
      id: ids[2],
      node: 'c',
      state: 'succeeded',
    });
    expect(node('c').queue.repository.isFleet(ids[2]!)).toBe(true);
  });

  it('hands a dead member its tasks back for placement; back again, it cancels its own copy', async () => {
    const { clock, node, record, live } = await fleet();
    const submit = request({ type: 'sleep', payload: { ms: 10_000 }, strategy: 'round-robin' });
    await node('a').fleet.tasks.submit(submit);
    const { id } = await node('a').fleet.tasks.submit(submit);
    await clock.advance(300);
    expect(await record(id)).toMatchObject({ phase: 'taken', assignee: 'b' });
    expect(node('b').queue.get(id).state).toBe('running');

    // b is taken for dead (its lease expired) while it still runs, cut off: the leader hands its task back.
    live.delete('b');
    await clock.advance(1100);
    const placedAgain = (await record(id))!;
    expect(placedAgain).toMatchObject({ phase: 'taken', handBacks: 1 });
    expect(placedAgain.assignee).not.toBe('b');
    expect(node(placedAgain.assignee!).queue.get(id).state).toBe('running');
    // b sees the record moved on and gives up its copy, so the task does not run twice.
    // (Handed back while the record waited for placement, or to its new member once placed.)
    expect(node('b').queue.get(id)).toMatchObject({
      state: 'cancelled',
      error: expect.stringMatching(/^handed (back|to)/),
    });
    live.add('b');
  });

  it('cancels a task whose record was handed to another member, with "handed to <member>"', async () => {
    const { clock, node, record, coordinator } = await fleet();
    const { id } = await node('a').fleet.tasks.submit(
      request({ type: 'sleep', payload: { ms: 10_000 }, target: 'node:c' }),
    );
    await clock.advance(300);
    const key = `${fleetKeys('unit').kv}${fleetTaskKeys.record(id)}`;
    const taken = (await record(id))!;
    coordinator.put(key, JSON.stringify({ ...taken, assignee: 'b', phase: 'assigned' }));
    await clock.advance(300);
    expect(node('c').queue.get(id)).toMatchObject({ state: 'cancelled', error: 'handed to b' });
    expect(node('b').queue.get(id).state).toBe('running');
  });

  it('cancels a pending task in its record and a running one through its holder; retries from any node', async () => {
    const { clock, node, record } = await fleet();
    const { id } = await node('b').fleet.tasks.submit(
      request({ type: 'sleep', payload: { ms: 10_000 }, target: 'node:c' }),
    );
    await clock.advance(300);
    expect(await node('a').fleet.tasks.cancel(id, caller)).toEqual({ id, state: 'running' });
    await clock.advance(300);
    expect(await record(id)).toMatchObject({ phase: 'done', final: { state: 'cancelled', node: 'c' } });
    expect(await node('b').fleet.tasks.retry(id, caller)).toEqual({ id, state: 'queued' });
    await clock.advance(300);
    expect(node('c').queue.get(id).state).toBe('running');
    await expect(node('a').fleet.tasks.retry(id, caller)).rejects.toThrow(/only a dead, cancelled or retrying task/);
  });

  it('deduplicates by idempotency key, and compacts done records with their keys after the retention', async () => {
    const { clock, node, record, coordinator } = await fleet();
    const submit = request({ type: 'sleep', payload: { ms: 10 }, idempotencyKey: 'nightly' });
    const answers = await Promise.all(['a', 'b', 'c', 'a'].map((id) => node(id).fleet.tasks.submit(submit)));
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(answers.filter((a) => !a.deduplicated)).toHaveLength(1);
    const { id } = answers[0]!;
    await clock.advance(500);
    expect((await record(id))?.phase).toBe('done');
    const idemKey = `${fleetKeys('unit').kv}${fleetTaskKeys.idempotency('nightly')}`;
    expect(coordinator.get(idemKey)).toBeDefined();
    await clock.advance(config.fleetRetentionMs + 1000);
    expect(await record(id)).toBeNull();
    expect(coordinator.get(idemKey)).toBeUndefined();
  });

  it('writes a batch all at once: refused whole, or every record with its keys (a taken key answers with its task)', async () => {
    const { clock, node, record, coordinator } = await fleet();
    const records = () => [...coordinator.range(`${fleetKeys('unit').kv}${fleetTaskKeys.records}`)].length;
    await expect(
      node('a').fleet.tasks.submitBatch([
        request({ type: 'sleep', payload: { ms: 10 } }),
        request({ type: 'sleep', payload: { ms: -1 } }),
      ]),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'tasks.1.payload.ms' })] });
    expect(records()).toBe(0);

    const earlier = await node('b').fleet.tasks.submit(
      request({ type: 'sleep', payload: { ms: 10 }, idempotencyKey: 'k-old' }),
    );
    const { ids } = await node('a').fleet.tasks.submitBatch([
      request({ type: 'sleep', payload: { ms: 10 }, idempotencyKey: 'k-old' }),
      request({ type: 'sleep', payload: { ms: 10 }, idempotencyKey: 'k-new' }),
      request({ type: 'sleep', payload: { ms: 10 }, idempotencyKey: 'k-new' }),
      request({ type: 'sleep', payload: { ms: 10 } }),
    ]);
    expect(ids[0]).toBe(earlier.id);
    expect(ids[2]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
    expect(records()).toBe(3);
    await clock.advance(500);
    for (const id of ids) expect((await record(id))?.final?.state).toBe('succeeded');

    const tooMany = Array.from({ length: 65 }, () => request({ type: 'sleep', payload: { ms: 1 } }));
    await expect(node('a').fleet.tasks.submitBatch(tooMany)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'tasks', message: expect.stringContaining('at most 64') })],
    });
  });

  it('logs and skips a malformed record, and keeps placing the others', async () => {
    const { clock, node, record, coordinator, lines } = await fleet();
    coordinator.put(`${fleetKeys('unit').kv}${fleetTaskKeys.record('garbage')}`, '{"id":"garbage","phase":"??"}');
    const { id } = await node('b').fleet.tasks.submit(request({ type: 'sleep', payload: { ms: 10 } }));
    await clock.advance(500);
    expect((await record(id))?.phase).toBe('done');
    expect(lines.some((line) => line.msg === 'skipping a malformed value')).toBe(true);
  });

  it('refuses an unknown target node or a payload that does not fit its type, writing nothing', async () => {
    const { node, coordinator } = await fleet();
    const before = coordinator.range(fleetKeys('unit').kv).length;
    await expect(
      node('a').fleet.tasks.submit(request({ type: 'sleep', payload: { ms: 1 }, target: 'node:zz' })),
    ).rejects.toMatchObject({
      issues: [{ path: 'target', message: 'unknown target node "zz"' }],
    });
    await expect(node('a').fleet.tasks.submit(request({ type: 'sleep', payload: { ms: -1 } }))).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(
      node('a').fleet.tasks.submit(request({ type: 'exec', payload: { command: 'hello' }, target: 'node:b' })),
    ).rejects.toMatchObject({ issues: [{ path: 'payload.command' }] });
    expect(coordinator.range(fleetKeys('unit').kv).length).toBe(before);
  });
});
