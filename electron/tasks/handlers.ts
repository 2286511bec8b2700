import type { CallerContext } from '../../shared/rpc.js';
import type { TaskSubmitRequest, tasksMethods } from '../../shared/rpc/tasks.js';
import type { TaskState } from '../../shared/tasks.js';
import type { Handlers } from '../api/handler-table.js';
import { errorMessage } from '../core/errors.js';
import type { CompiledSchedule } from './cron-schedule.js';
import { nextTickAfter, type CronState } from './cron-schedule.js';
import type { FleetTasks } from './fleet-tasks.js';
import type { TaskQueue } from './task-queue.js';
import type { TaskTypeRegistry } from './task-types.js';

export interface TasksHandlerDeps {
  queue: TaskQueue;
  /** On a fleet backend: where tasks for another target go, and where get/cancel/retry find fleet tasks. */
  fleet: FleetTasks | null;
  types: TaskTypeRegistry;
  /** The commands an `exec` task may name on this node. */
  commands: () => string[];
  recurring: () => readonly CompiledSchedule[];
  cronState: CronState;
  now: () => number;
}

const withoutStrategy = ({ strategy: _strategy, ...task }: TaskSubmitRequest) => task;

export function tasksHandlers({
  queue,
  fleet,
  types,
  commands,
  recurring,
  cronState,
  now,
}: TasksHandlerDeps): Handlers<keyof typeof tasksMethods> {
  const stateOf = (id: string) => ({ id, state: queue.get(id).state });
  const local = {
    cancel: (id: string) => {
      queue.cancel(id);
      return stateOf(id);
    },
    retry: (id: string) => {
      queue.retry(id);
      return stateOf(id);
    },
  };
  const act = (action: 'cancel' | 'retry', id: string, caller: CallerContext) =>
    fleet ? fleet[action](id, caller) : local[action](id);
  return {
    // Another target on a fleet backend goes to the fleet; the strategy matters only to the leader placing it.
    'tasks.submit': (request) =>
      fleet && request.target !== 'local' ? fleet.submit(request) : queue.submit(withoutStrategy(request)),
    'tasks.submitBatch': ({ tasks }) =>
      fleet && tasks.some((task) => task.target !== 'local')
        ? fleet.submitBatch(tasks)
        : queue.submitBatch({ tasks: tasks.map(withoutStrategy) }),
    'tasks.get': ({ id, local: here }, caller) => (fleet && !here ? fleet.get(id, caller) : queue.get(id)),
    'tasks.list': (query) => queue.list(query),
    'tasks.cancel': ({ id }, caller) => act('cancel', id, caller),
    'tasks.retry': ({ id }, caller) => act('retry', id, caller),
    'tasks.bulk': async ({ action, ids }, caller) => {
      const outcomes = [];
      for (const id of ids) {
        try {
          outcomes.push({ ...(await act(action, id, caller)), error: null });
        } catch (error) {
          outcomes.push({ id, state: null as TaskState | null, error: errorMessage(error) });
        }
      }
      return { outcomes };
    },
    'tasks.stats': ({ windowMs }) => queue.stats(windowMs),
    'tasks.types': () =>
      types.names().map((type) => ({
        type,
        description: types.get(type)?.description ?? '',
        ...(type === 'exec' ? { commands: commands() } : {}),
      })),
    'tasks.recurring': () =>
      recurring().map((schedule) => {
        const { id, schedule: expression, timezone, task } = schedule.definition;
        return {
          id,
          schedule: expression,
          timezone: timezone ?? null,
          type: task.type,
          nextAt: nextTickAfter(schedule, now()),
          lastFiredAt: cronState.lastFired(id),
        };
      }),
  };
}
