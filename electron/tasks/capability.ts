import type { tasksMethods } from '../../shared/rpc/tasks.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import type { ClusterCapability } from '../cluster/capability.js';
import { builtinTaskTypes } from './builtin-task-types.js';
import { compileSchedule, CronScheduler, CronStateRepository, recurringSubmit } from './cron-schedule.js';
import { tasksHandlers } from './handlers.js';
import { TaskQueue } from './task-queue.js';
import type { RunCheckNow } from './types/check-task.js';

export interface TasksCapabilityDeps {
  /** Leadership decides who fires recurring tasks: the leader only, once per tick for the fleet. */
  cluster: Pick<ClusterCapability, 'leadership' | 'onChange'>;
  runCheck: RunCheckNow;
}

/**
 * The node's durable task queue: submits validated and stored in SQLite before they are answered, a worker that
 * runs them with timeouts, cancel, retries and leases, recurring tasks fired by the leader, and the queue's length
 * in the node summary.
 */
export function createTasksCapability(context: CapabilityContext, deps: TasksCapabilityDeps) {
  const { config, clock, random, store, events, summary } = context;
  const logger = context.logger('tasks');
  const types = builtinTaskTypes({ clock, commands: config.commands, config: config.tasks, runCheck: deps.runCheck });
  const queue = store.repository(
    (db) =>
      new TaskQueue({
        db,
        clock,
        random,
        logger,
        publish: (event) => {
          events.publish(event);
          summary.changed();
        },
        nodeId: context.node.id,
        labels: config.labels,
        config: config.tasks,
        types,
      }),
  );
  // Compiled now, so a bad expression in the config stops the agent at start with the definition's id.
  const recurring = config.tasks.recurring.map(compileSchedule);
  const cronState = store.repository((db) => new CronStateRepository(db));
  const cron = new CronScheduler({
    clock,
    state: cronState,
    logger,
    fire: (definition, tickAt) => queue.submit(recurringSubmit(definition, tickAt)),
  });
  let firing = false;
  const followLeadership = () => {
    const leading = deps.cluster.leadership() !== null;
    if (leading === firing) return;
    firing = leading;
    if (leading) cron.start(recurring.map((schedule) => schedule.definition));
    else cron.stop();
  };
  const stops: Array<() => void> = [];

  return {
    name: 'tasks',
    handlers: tasksHandlers({
      queue,
      types,
      commands: () => Object.keys(config.commands).sort(),
      recurring: () => recurring,
      cronState,
      now: () => clock.now(),
    }),
    start() {
      queue.start();
      if (recurring.length > 0) {
        stops.push(deps.cluster.onChange(followLeadership));
        followLeadership();
      }
    },
    async stop() {
      for (const stop of stops.splice(0)) stop();
      cron.stop();
      firing = false;
      await queue.stop();
    },
    summary: () => ({ tasks: queue.queueLength() }),
  } satisfies Capability<keyof typeof tasksMethods>;
}
