import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock.js';
import { inspectRecordedProcess } from '../../../electron/health/supervisor/process-group.js';
import { builtinTaskTypes } from '../../../electron/tasks/builtin-task-types.js';
import { TaskQueue } from '../../../electron/tasks/task-queue.js';
import type { CommandDefinition } from '../../../shared/services.js';
import { TasksConfig, type TaskChanged, type TasksConfigInput } from '../../../shared/tasks.js';
import { repoRoot } from '../../support/agent-process.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { openTaskDatabase } from './open-task-store.js';

let workerScript: string;

// The worker script is bundled once (packages stay external, resolved from the repo's node_modules).
beforeAll(async () => {
  const dir = join(repoRoot, 'test/artifacts/tasks');
  mkdirSync(dir, { recursive: true });
  workerScript = join(dir, `worker-process-${process.pid}.mjs`);
  await build({
    entryPoints: [join(repoRoot, 'test/unit/tasks/worker-process.ts')],
    outfile: workerScript,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
});

const children: ChildProcess[] = [];
const queues: TaskQueue[] = [];

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.stop()));
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** Runs the worker script; `lines` collects what it prints. */
function runWorker(args: string[]) {
  const child = spawn(process.execPath, [workerScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines: string[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  return { child, lines };
}

function localQueue(
  db: ReturnType<typeof openTaskDatabase>['db'],
  options: { config?: TasksConfigInput; commands?: Record<string, CommandDefinition> } = {},
) {
  const config = TasksConfig.parse({ leaseMs: 1000, heartbeatMs: 200, pollMs: 50, ...options.config });
  const queue = new TaskQueue({
    db,
    clock: systemClock,
    random: Math.random,
    logger: memoryLogger().logger,
    publish: () => {},
    nodeId: 'node-test',
    labels: {},
    config,
    types: builtinTaskTypes({
      clock: systemClock,
      commands: options.commands ?? {},
      config,
      runCheck: () => Promise.reject(new Error('no checks here')),
    }),
  });
  queues.push(queue);
  return queue;
}

describe('task queue with real processes', () => {
  it('runs a task again after its worker is killed with SIGKILL mid-run, once the lease expires', async () => {
    const { db, file } = openTaskDatabase();
    const submitter = localQueue(db);
    const { id } = submitter.submit({ type: 'sleep', payload: { ms: 1500 } });

    const worker = runWorker(['work', file, '1000']);
    await waitFor('the worker to start the task', () =>
      worker.lines.some((line) => {
        const event = JSON.parse(line) as TaskChanged;
        return event.id === id && event.state === 'running';
      }),
    );
    const exited = once(worker.child, 'exit');
    worker.child.kill('SIGKILL');
    await exited;
    expect(submitter.get(id)).toMatchObject({ state: 'running', node: `worker-${worker.child.pid}` });

    const killedAt = performance.now();
    submitter.start();
    const done = await waitFor('the task to run again and succeed', () => {
      const task = submitter.get(id);
      return task.state === 'succeeded' && task;
    });
    // The lease (1 s) expires, then the 1.5 s sleep runs again: seconds, not hours.
    expect(performance.now() - killedAt).toBeLessThan(6000);
    expect(done.attempts.map((a) => [a.node, a.error?.startsWith('lease expired') ?? null])).toEqual([
      [`worker-${worker.child.pid}`, true],
      ['node-test', null],
    ]);
  });

  it('makes one task for concurrent resubmits with the same idempotency key from several processes', async () => {
    const { db, file } = openTaskDatabase();
    const submitters = Array.from({ length: 4 }, () => runWorker(['submit', file, 'only-once']));
    await Promise.all(submitters.map(({ child }) => once(child, 'exit')));
    const answers = submitters.map(({ lines }) => JSON.parse(lines[0]!) as { id: string; deduplicated: boolean });
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(answers.filter((a) => !a.deduplicated)).toHaveLength(1);
    expect(localQueue(db).list({})).toHaveLength(1);
  });

  it('kills the process group of an exec task at its timeout, the background grandchild too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-exec-timeout-'));
    const pidFile = join(dir, 'grandchild.pid');
    const commands = { stuck: { argv: ['sh', '-c', `sleep 300 & echo $! > "$0"; wait`, pidFile], env: {} } };
    const queue = localQueue(openTaskDatabase().db, { commands });
    queue.start();
    const { id } = queue.submit({ type: 'exec', payload: { command: 'stuck' }, timeoutMs: 500, maxAttempts: 1 });

    const pid = await waitFor('the grandchild pid', () => Number(readFileSync(pidFile, 'utf8').trim()) || undefined);
    const dead = await waitFor('the task to time out', () => {
      const task = queue.get(id);
      return task.state === 'dead' && task;
    });
    expect(dead.error).toBe('timed out after 500 ms');
    await waitFor('the grandchild to be gone', () => inspectRecordedProcess(pid, []).status === 'gone');
  });
});
