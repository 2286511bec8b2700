import type { tasksMethods } from '../../shared/rpc/tasks.js';
import type { TaskState } from '../../shared/tasks.js';
import type { Handlers } from '../api/handler-table.js';
import { errorMessage } from '../core/errors.js';
import type { CompiledSchedule } from './cron-schedule.js';
import { nextTickAfter, type CronState } from './cron-schedule.js';
import type { TaskQueue } from './task-queue.js';
import type { TaskTypeRegistry } from './task-types.js';

export interface TasksHandlerDeps {
  queue: TaskQueue;
  types: TaskTypeRegistry;
  /** The commands an `exec` task may name on this node. */
  commands: () => string[];
  recurring: () => readonly CompiledSchedule[];
  cronState: CronState;
  now: () => number;
}

export function tasksHandlers({
  queue,
  types,
  commands,
  recurring,
  cronState,
  now,
}: TasksHandlerDeps): Handlers<keyof typeof tasksMethods> {
  const stateOf = (id: string) => ({ id, state: queue.get(id).state });
  const actions: Record<'cancel' | 'retry', (id: string) => void> = {
    cancel: (id) => queue.cancel(id),
    retry: (id) => queue.retry(id),
  };
  return {
    // The placement strategy matters only to the leader placing a fleet task; a node-local submit ignores it.
    'tasks.submit': ({ strategy: _strategy, ...task }) => queue.submit(task),
    'tasks.submitBatch': ({ tasks }) => queue.submitBatch({ tasks: tasks.map(({ strategy: _s, ...task }) => task) }),
    'tasks.get': ({ id }) => queue.get(id),
    'tasks.list': (query) => queue.list(query),
    'tasks.cancel': ({ id }) => {
      queue.cancel(id);
      return stateOf(id);
    },
    'tasks.retry': ({ id }) => {
      queue.retry(id);
      return stateOf(id);
    },
    'tasks.bulk': ({ action, ids }) => ({
      outcomes: ids.map((id) => {
        try {
          actions[action](id);
          return { ...stateOf(id), error: null };
        } catch (error) {
          return { id, state: null as TaskState | null, error: errorMessage(error) };
        }
      }),
    }),
    'tasks.stats': () => queue.stats(),
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
