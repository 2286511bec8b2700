// A task worker in a process of its own, for the crash tests: `work <db> <leaseMs>` runs the queue and prints each
// task.changed event as a JSON line until killed; `submit <db> <idempotencyKey>` submits one sleep task and prints
// the answer.
import { openDatabase } from '../../../electron/store/open-database.js';
import { systemClock } from '../../../electron/core/clock.js';
import { createLogger } from '../../../electron/core/logger.js';
import { builtinTaskTypes } from '../../../electron/tasks/builtin-task-types.js';
import { TaskQueue } from '../../../electron/tasks/task-queue.js';
import { TasksConfig } from '../../../shared/tasks.js';

const [mode, file = '', arg = ''] = process.argv.slice(2);
const { db } = openDatabase(file, { now: Date.now() });
const leaseMs = mode === 'work' ? Number(arg) : 1000;
const config = TasksConfig.parse({ leaseMs, heartbeatMs: Math.floor(leaseMs / 5), pollMs: 50 });
const queue = new TaskQueue({
  db,
  clock: systemClock,
  random: Math.random,
  logger: createLogger({ level: 'warn' }),
  publish: (event) => process.stdout.write(`${JSON.stringify(event.data)}\n`),
  nodeId: `worker-${process.pid}`,
  labels: {},
  config,
  types: builtinTaskTypes({
    clock: systemClock,
    commands: {},
    config,
    runCheck: () => Promise.reject(new Error('no checks here')),
  }),
});

if (mode === 'work') {
  queue.start();
} else {
  const answer = queue.submit({ type: 'sleep', payload: { ms: 1 }, idempotencyKey: arg });
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  db.close();
}
