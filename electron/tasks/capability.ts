import type { tasksMethods } from '../../shared/rpc/tasks.js';
import { TaskSubmitRequest } from '../../shared/rpc/tasks.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import type { ClusterCapability } from '../cluster/capability.js';
import { builtinTaskTypes } from './builtin-task-types.js';
import { compileSchedule, CronScheduler, CronStateRepository, recurringSubmit } from './cron-schedule.js';
import { FleetTaskNode } from './fleet-task-node.js';
import { tasksHandlers } from './handlers.js';
import { TaskQueue } from './task-queue.js';
import type { RunCheckNow } from './types/check-task.js';

export interface TasksCapabilityDeps {
  /** Leadership decides who fires recurring tasks and places fleet tasks; members are where fleet tasks go. */
  cluster: Pick<ClusterCapability, 'leadership' | 'onChange' | 'members' | 'call'>;
  runCheck: RunCheckNow;
}

/**
 * The node's durable task queue: submits validated and stored in SQLite before they are answered, a worker that
 * runs them with timeouts, cancel, retries and leases, recurring tasks fired by the leader, and the queue's length
 * in the node summary. On a fleet backend, tasks for other targets go through the coordination backend
 * (fleet-task-node.ts); on the local backend everything runs here.
 */
export function createTasksCapability(context: CapabilityContext, deps: TasksCapabilityDeps) {
  const { config, clock, random, store, events, summary, backend } = context;
  const logger = context.logger('tasks');
  const types = builtinTaskTypes({ clock, commands: config.commands, config: config.tasks, runCheck: deps.runCheck });
  let fleet: FleetTaskNode | null = null;
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
          fleet?.member.localChanged(event.data);
        },
        nodeId: context.node.id,
        labels: config.labels,
        config: config.tasks,
        types,
      }),
  );
  fleet =
    backend.kind === 'local'
      ? null
      : new FleetTaskNode({
          backend,
          queue,
          types,
          selfId: context.node.id,
          clock,
          random,
          logger,
          config: config.tasks,
          leadership: () => deps.cluster.leadership(),
          members: () => deps.cluster.members(),
          callMember: (memberId, params, caller) => deps.cluster.call(memberId, 'tasks.get', params, caller),
        });
  // Compiled now, so a bad expression in the config stops the agent at start with the definition's id.
  const recurring = config.tasks.recurring.map(compileSchedule);
  const cronState = fleet?.cronState ?? store.repository((db) => new CronStateRepository(db));
  const cron = new CronScheduler({
    clock,
    state: cronState,
    logger,
    fire: (definition, tickAt) => {
      const submit = recurringSubmit(definition, tickAt);
      if (!fleet || submit.target === undefined || submit.target === 'local') {
        queue.submit(submit);
        return;
      }
      fleet.tasks.submit(TaskSubmitRequest.parse(submit)).catch((error: unknown) => {
        logger.error({ err: error, recurringId: definition.id, tickAt }, 'recurring task could not be submitted');
      });
    },
  });
  let firing = false;
  let stopped = true;
  const followLeadership = () => {
    const leading = deps.cluster.leadership() !== null && !stopped;
    if (leading === firing) return;
    firing = leading;
    if (!leading) {
      cron.stop();
      return;
    }
    // A new leader reads the fleet's last fired ticks before it fires anything.
    void (fleet?.cronReady ?? Promise.resolve()).then(() => {
      if (firing) cron.start(recurring.map((schedule) => schedule.definition));
    });
  };
  const stops: Array<() => void> = [];

  return {
    name: 'tasks',
    handlers: tasksHandlers({
      queue,
      fleet: fleet?.tasks ?? null,
      types,
      commands: () => Object.keys(config.commands).sort(),
      recurring: () => recurring,
      cronState,
      now: () => clock.now(),
    }),
    async start() {
      stopped = false;
      if (fleet) {
        await fleet.start();
        stops.push(deps.cluster.onChange(() => fleet?.leader.changed()));
      }
      queue.start();
      if (recurring.length > 0) {
        stops.push(deps.cluster.onChange(followLeadership));
        followLeadership();
      }
    },
    async stop() {
      stopped = true;
      for (const stop of stops.splice(0)) stop();
      fleet?.stop();
      cron.stop();
      firing = false;
      await queue.stop();
    },
    summary: () => ({
      tasks: {
        ...queue.queueLength(),
        dead: queue.deadCount(),
        types: types.names(),
        commands: Object.keys(config.commands).sort(),
        concurrency: config.tasks.concurrency,
        perType: config.tasks.perType,
        weight: config.tasks.weight,
      },
    }),
  } satisfies Capability<keyof typeof tasksMethods>;
}
