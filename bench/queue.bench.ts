// The node-local task queue against raw better-sqlite3 on the same disk with the same PRAGMAs (the agent's
// openDatabase: WAL, synchronous=NORMAL): durable enqueue, no-op claim → complete, batched claiming, the commit
// rate with synchronous=FULL against an fdatasync loop, and submit → start latency with an idle worker.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { systemClock } from '../electron/core/clock.js';
import { openDatabase } from '../electron/store/open-database.js';
import { TaskQueue, timeOrderedId } from '../electron/tasks/task-queue.js';
import { TaskRepository, type AttemptOutcome } from '../electron/tasks/task-repository.js';
import { defineTaskType, TaskTypeRegistry } from '../electron/tasks/task-types.js';
import { TasksConfig, TaskSubmit } from '../shared/tasks.js';
import { fmt, machine, percentile } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-queue-bench-'));
const open = (name: string) => openDatabase(join(dir, `${name}.sqlite`), { now: Date.now() }).db;
const silent = pino({ level: 'silent' });

/** When the latest no-op task started (performance.now), 0 until it does. */
const started = { at: 0 };
const noop = defineTaskType({
  name: 'noop',
  payload: z.object({ n: z.number() }).strict(),
  run: () => {
    started.at = performance.now();
    return Promise.resolve(null);
  },
});

function queueOn(db: ReturnType<typeof open>, concurrency = 4) {
  return new TaskQueue({
    db,
    clock: systemClock,
    random: Math.random,
    logger: silent,
    publish: () => {},
    nodeId: 'bench',
    labels: {},
    config: TasksConfig.parse({ concurrency }),
    types: new TaskTypeRegistry([noop]),
  });
}

const submitInput = (n: number) => ({ type: 'noop', payload: { n } });

/** Operations per second of `op` run `count` times. */
function rate(count: number, op: (i: number) => void): number {
  const begun = performance.now();
  for (let i = 0; i < count; i += 1) op(i);
  return count / ((performance.now() - begun) / 1000);
}

// A raw table whose rows carry as many bytes as a stored task's column values, with no index but its key.
const probe = open('probe');
queueOn(probe).submit(submitInput(0));
const rowBytes = (
  probe
    .prepare<[], { bytes: number }>(
      `SELECT sum(length(CAST(coalesce(id, '') AS BLOB)) + length(type) + length(payload) + length(grp) + length(target)
         + length(state)) + 8 * 12 AS bytes FROM tasks`,
    )
    .get() as { bytes: number }
).bytes;
const body = 'x'.repeat(rowBytes);
function rawTable(name: string) {
  const db = open(name);
  db.exec('CREATE TABLE raw (id INTEGER PRIMARY KEY, body TEXT NOT NULL, state TEXT NOT NULL)');
  return {
    db,
    insert: db.prepare<[string]>(`INSERT INTO raw (body, state) VALUES (?, 'queued')`),
    update: db.prepare<[number]>(`UPDATE raw SET state = 'done' WHERE id = ?`),
  };
}

// 1. Durable enqueue: one per transaction, and 100 per transaction; through the queue's front door (validation,
// payload schema, event) and through the repository alone (storage only), each against raw inserts.
const raw = rawTable('raw-enqueue');
const ours = queueOn(open('enqueue'));
const storage = new TaskRepository(open('enqueue-storage'), { random: Math.random, maxLogLines: 100 });
const template = TaskSubmit.parse(submitInput(0));
const rawBatch = raw.db.transaction(() => {
  for (let i = 0; i < 100; i += 1) raw.insert.run(body);
});
const hundred = Array.from({ length: 100 }, (_, i) => submitInput(i));
const enqueueOps = {
  rawSingle: () => raw.insert.run(body),
  oursSingle: (i: number) => ours.submit(submitInput(i)),
  storageSingle: () => storage.enqueue(template, timeOrderedId(Date.now()), Date.now()),
  rawBatched: () => rawBatch(),
  oursBatched: () => ours.submitBatch({ tasks: hundred }),
  storageBatched: () =>
    storage.enqueueBatch(
      hundred.map(() => ({ task: template, id: timeOrderedId(Date.now()) })),
      Date.now(),
    ),
};
type EnqueueOp = keyof typeof enqueueOps;
const enqueueRate = Object.fromEntries(Object.keys(enqueueOps).map((k) => [k, 0])) as Record<EnqueueOp, number>;
// Four alternating rounds (the first a warm-up), so background noise falls on the baseline and the subject alike.
for (let round = 0; round < 4; round += 1) {
  for (const [name, op] of Object.entries(enqueueOps) as Array<[EnqueueOp, (i: number) => unknown]>) {
    const batched = name.endsWith('Batched');
    const tasksPerSecond = rate(batched ? 30 : 1000, op) * (batched ? 100 : 1);
    if (round > 0) enqueueRate[name] += tasksPerSecond / 3; // round 0 warms up
  }
}

// 2. No-op processing: claim → complete, one task per transaction pair, against one raw update per transaction;
// then claims of 100 with their outcomes recorded together, as the worker does.
const PROCESS = 5000;
const processing = new TaskRepository(open('process'), { random: Math.random, maxLogLines: 100 });
const fill = () =>
  processing.enqueueBatch(
    Array.from({ length: PROCESS }, () => ({ task: template, id: timeOrderedId(Date.now()) })),
    Date.now(),
  );
const lease = { owner: 'bench', node: 'bench', leaseMs: 60_000 };
const rawProcess = rawTable('raw-process');
rawProcess.db.transaction(() => {
  for (let i = 0; i < PROCESS; i += 1) rawProcess.insert.run(body);
})();
const rawUpdates = rate(PROCESS, (i) => rawProcess.update.run(i + 1));
fill();
const unbatched = rate(PROCESS, () => {
  const [task] = processing.claim({ ...lease, now: Date.now(), limit: 1 });
  processing.complete(task!.id, null, { owner: 'bench', now: Date.now(), durationMs: 0 });
});
fill();
const batched =
  rate(PROCESS / 100, () => {
    const claimed = processing.claim({ ...lease, now: Date.now(), limit: 100 });
    const outcomes: AttemptOutcome[] = claimed.map((t) => ({ id: t.id, ok: true, result: null, durationMs: 0 }));
    processing.recordOutcomes('bench', Date.now(), outcomes);
  }) * 100;

// The whole worker (claim, executor promise, outcome, events) on no-op tasks: concurrency 1 against 100.
async function workerRate(concurrency: number): Promise<number> {
  const queue = queueOn(open(`worker-${concurrency}`), concurrency);
  for (let i = 0; i < 3; i += 1) {
    queue.submitBatch({ tasks: Array.from({ length: 1000 }, (_, j) => submitInput(j)) });
  }
  const begun = performance.now();
  queue.start();
  const busy = () => Object.values(queue.queueLength()).some((n) => n > 0);
  while (busy()) await new Promise((resolve) => setImmediate(resolve));
  const elapsed = performance.now() - begun;
  await queue.stop();
  return 3000 / (elapsed / 1000);
}
const worker1 = await workerRate(1);
const worker100 = await workerRate(100);

// 3. Honesty: with synchronous=FULL each commit waits for the disk; compare with fdatasync on the same disk.
const FSYNCS = 300;
const fullDb = open('full');
fullDb.pragma('synchronous = FULL');
const full = queueOn(fullDb);
const fullRate = rate(FSYNCS, (i) => full.submit(submitInput(i)));
const fd = openSync(join(dir, 'fsync.bin'), 'a');
const chunk = Buffer.alloc(rowBytes, 'x');
const fsyncRate = rate(FSYNCS, () => {
  writeSync(fd, chunk);
  fdatasyncSync(fd);
});
closeSync(fd);

// 4. Submit → start latency with an idle worker (it sleeps until a submit wakes it).
const idle = queueOn(open('latency'), 4);
idle.start();
const latencies: number[] = [];
for (let i = 0; i < 500; i += 1) {
  started.at = 0;
  const submitted = performance.now();
  idle.submit(submitInput(i));
  while (started.at === 0) await new Promise((resolve) => setImmediate(resolve));
  latencies.push(started.at - submitted);
  // Let it record the outcome and go idle again.
  while (idle.queueLength().running > 0) await new Promise((resolve) => setImmediate(resolve));
}
await idle.stop();
latencies.sort((a, b) => a - b);

console.log(`# queue (${machine()}; data on ${dir}; a task row ≈ ${rowBytes} bytes)`);
console.log('| figure | Fleetdeck | baseline | ratio | target |');
console.log('|---|---|---|---|---|');
const row = (figure: string, value: number, baseline: number, target: string, digits = 0) =>
  console.log(
    `| ${figure} | ${fmt(value, digits)} | ${fmt(baseline, digits)} | ${fmt(value / baseline)}× | ${target} |`,
  );
const { rawSingle, oursSingle, storageSingle, rawBatched, oursBatched, storageBatched } = enqueueRate;
row('submit, 1 per transaction (tasks/s; baseline raw INSERT)', oursSingle, rawSingle, '≥ 0.5');
row('  storage only: repository enqueue', storageSingle, rawSingle, '');
row('submitBatch of 100 (tasks/s; baseline 100 raw INSERTs per transaction)', oursBatched, rawBatched, '≥ 0.5');
row('  storage only: repository enqueueBatch', storageBatched, rawBatched, '');
row(
  'no-op claim → complete, unbatched (tasks/s; baseline raw UPDATE per transaction)',
  unbatched,
  rawUpdates,
  '≥ 0.35',
);
row('no-op claim → complete, 100 per claim (tasks/s; baseline our unbatched)', batched, unbatched, '≥ 3');
row('worker end to end, concurrency 100 (tasks/s; baseline concurrency 1)', worker100, worker1, '');
row('synchronous=FULL enqueue (commits/s; baseline write + fdatasync loop)', fullRate, fsyncRate, '≤ ~1.5');
console.log(
  `| submit → start, idle worker (ms) | p50 ${fmt(percentile(latencies, 50), 3)}, p99 ${fmt(percentile(latencies, 99), 3)} | | | |`,
);
