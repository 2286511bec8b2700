import { z } from 'zod';
import {
  PlacementStrategy,
  Task,
  TaskId,
  TaskListQuery,
  TaskState,
  TaskStats,
  TaskStatsQuery,
  TaskSubmit,
  TaskSummary,
  TaskTypeName,
} from '../tasks.js';
import { EpochMs } from '../ids.js';
import { Slug } from '../services.js';
import { method, NoParams } from './method.js';

/** A submit as the API takes it: the task, and optionally how the leader should place it (else the fleet default). */
export const TaskSubmitRequest = TaskSubmit.extend({ strategy: PlacementStrategy.optional() }).strict();
export type TaskSubmitRequest = z.infer<typeof TaskSubmitRequest>;

const TaskRef = z.object({ id: TaskId }).strict();
/** `local`: answer from this node's own store only (how one member asks the member holding a fleet task). */
const TaskGetRequest = TaskRef.extend({ local: z.boolean().optional() }).strict();
const StateAnswer = z.object({ id: TaskId, state: TaskState });

/** What a per-task action did to each task of a bulk call, or why it could not. */
const BulkOutcome = z.object({ id: TaskId, state: TaskState.nullable(), error: z.string().nullable() });

/** The durable task queue: submit, inspect, cancel, retry and replay, on this node or across the fleet. */
export const tasksMethods = {
  'tasks.submit': method(
    TaskSubmitRequest,
    z.object({ id: TaskId, deduplicated: z.boolean() }),
    'Queues a task (durable before the answer); a resubmit with the same idempotency key returns the existing task.',
  ),
  'tasks.submitBatch': method(
    z.object({ tasks: z.array(TaskSubmitRequest).min(1).max(1000) }).strict(),
    z.object({ ids: z.array(TaskId) }),
    'Queues several tasks, all or nothing.',
  ),
  'tasks.get': method(
    TaskGetRequest,
    Task,
    'One task with every attempt, its progress, logs and result; a fleet task is found on whichever node holds it.',
  ),
  'tasks.list': method(
    TaskListQuery,
    z.array(TaskSummary),
    'Tasks of this node, newest first, by state, type, node, group or text (id, type, payload, error).',
  ),
  'tasks.cancel': method(
    TaskRef,
    StateAnswer,
    'Cancels a task: a waiting one at once, a running one by aborting its work (its process group is killed).',
  ),
  'tasks.retry': method(
    TaskRef,
    StateAnswer,
    'Queues a dead or cancelled task again with a fresh count of attempts (a dead letter is replayed); runs a retrying one now.',
  ),
  'tasks.bulk': method(
    z.object({ action: z.enum(['cancel', 'retry']), ids: z.array(TaskId).min(1).max(500) }).strict(),
    z.object({ outcomes: z.array(BulkOutcome) }),
    'Cancels or retries many tasks; each answers for itself.',
  ),
  'tasks.stats': method(
    TaskStatsQuery,
    TaskStats,
    'Counts by state, and attempts ended per minute (coarser past a day) over the window asked, an hour by default.',
  ),
  'tasks.types': method(
    NoParams,
    z.array(
      z.object({
        type: TaskTypeName,
        description: z.string(),
        /** For `exec`: the commands this node's config defines, the only ones a task may run here. */
        commands: z.array(Slug).optional(),
      }),
    ),
    'Task types this node runs, and the commands an exec task may name here.',
  ),
  'tasks.recurring': method(
    NoParams,
    z.array(
      z.object({
        id: Slug,
        schedule: z.string(),
        timezone: z.string().nullable(),
        type: TaskTypeName,
        nextAt: EpochMs.nullable(),
        lastFiredAt: EpochMs.nullable(),
      }),
    ),
    "Recurring tasks of this node's config, with their next tick; the leader fires each tick once for the fleet.",
  ),
} as const;
