import { z } from 'zod';
import { EpochMs, Labels, NodeId } from './ids.js';
import { Slug } from './services.js';

/**
 * Where a task is in its life. `scheduled`: its not-before is still ahead; `retrying`: a failed attempt waits for
 * its backoff; `dead`: the last attempt failed (the dead-letter state, replayable).
 */
export const TaskState = z.enum(['queued', 'scheduled', 'running', 'retrying', 'succeeded', 'dead', 'cancelled']);
export type TaskState = z.infer<typeof TaskState>;

export const finishedTaskStates: readonly TaskState[] = ['succeeded', 'dead', 'cancelled'];

/** A task type's name: the registry key, e.g. `exec`, `sleep`, `backup.snapshot`. */
export const TaskTypeName = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{0,62}$/, 'must be 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter');

/** Where a task may run, parsed from its string form. */
export type ParsedTaskTarget =
  | { kind: 'local' }
  | { kind: 'any' }
  | { kind: 'node'; nodeId: string }
  | { kind: 'label'; key: string; value: string };

/** `local`, `any`, `node:<id>` or `label:<key>=<value>`; an error says which part is wrong. */
export function parseTaskTarget(text: string): { ok: true; target: ParsedTaskTarget } | { ok: false; error: string } {
  if (text === 'local' || text === 'any') return { ok: true, target: { kind: text } };
  if (text.startsWith('node:')) {
    const id = NodeId.safeParse(text.slice('node:'.length));
    if (!id.success) return { ok: false, error: `node id ${id.error.issues[0]?.message ?? 'is invalid'}` };
    return { ok: true, target: { kind: 'node', nodeId: id.data } };
  }
  if (text.startsWith('label:')) {
    const [key = '', ...rest] = text.slice('label:'.length).split('=');
    const labels = Labels.safeParse({ [key]: rest.join('=') });
    if (rest.length === 0 || key === '') return { ok: false, error: 'a label target is label:<key>=<value>' };
    if (!labels.success) return { ok: false, error: labels.error.issues[0]?.message ?? 'invalid label' };
    return { ok: true, target: { kind: 'label', key, value: rest.join('=') } };
  }
  return { ok: false, error: 'must be "local", "any", "node:<id>" or "label:<key>=<value>"' };
}

/** The string form, validated; `parseTaskTarget` gives its parts. */
export const TaskTarget = z
  .string()
  .max(400)
  .superRefine((text, ctx) => {
    const parsed = parseTaskTarget(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  });
export type TaskTarget = z.infer<typeof TaskTarget>;

/** Exponential backoff with full jitter: the wait before retry n is uniform in [0, min(capMs, baseMs × 2^n)). */
export const Backoff = z
  .object({
    baseMs: z.number().int().min(1).max(3_600_000).default(1000),
    capMs: z.number().int().min(1).max(86_400_000).default(60_000),
  })
  .strict()
  .refine((backoff) => backoff.capMs >= backoff.baseMs, { message: 'capMs must be >= baseMs', path: ['capMs'] });
export type Backoff = z.infer<typeof Backoff>;

/** Any JSON value: payloads and results are stored as JSON text. */
export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;

export const TaskGroup = z.string().min(1).max(64);

export const TaskSubmit = z
  .object({
    type: TaskTypeName,
    /** JSON, checked against the type's own schema at submit (which is why it is not parsed as JSON here too). */
    payload: z.unknown().default({}),
    /** Higher first; FIFO within a priority. */
    priority: z.number().int().min(-1000).max(1000).default(0),
    maxAttempts: z.number().int().min(1).max(100).default(3),
    /** Each attempt is aborted after this long. */
    timeoutMs: z.number().int().min(1).max(86_400_000).default(60_000),
    backoff: Backoff.prefault({}),
    /** Not claimed before this time (epoch ms). */
    notBefore: EpochMs.optional(),
    /** A resubmit with the same key returns the existing task instead of adding one. */
    idempotencyKey: z.string().min(1).max(200).optional(),
    /** Fairness group: one busy group cannot starve the others of the same priority. */
    group: TaskGroup.default('default'),
    target: TaskTarget.default('local'),
  })
  .strict();
export type TaskSubmit = z.infer<typeof TaskSubmit>;
export type TaskSubmitInput = z.input<typeof TaskSubmit>;

export const TaskSubmitBatch = z.object({ tasks: z.array(TaskSubmit).min(1).max(1000) }).strict();

export const TaskId = z.string().min(1).max(64);

export const TaskAttempt = z.object({
  /** 1 for the first attempt; numbering goes on across replays. */
  number: z.number().int().min(1),
  node: z.string(),
  startedAt: EpochMs,
  endedAt: EpochMs.nullable(),
  error: z.string().nullable(),
});
export type TaskAttempt = z.infer<typeof TaskAttempt>;

export const TaskLogLine = z.object({ at: EpochMs, line: z.string() });
export type TaskLogLine = z.infer<typeof TaskLogLine>;

export const Task = z.object({
  id: TaskId,
  type: TaskTypeName,
  payload: JsonValue,
  priority: z.number().int(),
  maxAttempts: z.number().int(),
  timeoutMs: z.number().int(),
  backoff: Backoff,
  notBefore: EpochMs.nullable(),
  idempotencyKey: z.string().nullable(),
  group: TaskGroup,
  target: TaskTarget,
  state: TaskState,
  /** Attempts used since it was submitted or last replayed. */
  attemptCount: z.number().int().min(0),
  attempts: z.array(TaskAttempt),
  /** When it may next be claimed (not-before, or the end of its backoff). */
  runAt: EpochMs,
  result: JsonValue.nullable(),
  /** The last attempt's error. */
  error: z.string().nullable(),
  progress: z.number().min(0).max(100),
  /** The node running it, or that ran it last. */
  node: z.string().nullable(),
  /** The newest log lines, oldest first. */
  logs: z.array(TaskLogLine),
  createdAt: EpochMs,
  updatedAt: EpochMs,
  finishedAt: EpochMs.nullable(),
});
export type Task = z.infer<typeof Task>;

/** A row of a list: a task without its attempts and logs. */
export const TaskSummary = Task.omit({ attempts: true, logs: true });
export type TaskSummary = z.infer<typeof TaskSummary>;

export const TaskListQuery = z
  .object({
    state: TaskState.optional(),
    type: TaskTypeName.optional(),
    /** Searched in the id, type, payload text and error. */
    text: z.string().min(1).max(200).optional(),
    node: z.string().min(1).max(64).optional(),
    group: TaskGroup.optional(),
    limit: z.number().int().min(1).max(500).default(100),
    /** A task id: lists only tasks submitted before it (newest first paging). */
    before: TaskId.optional(),
  })
  .strict();
export type TaskListQuery = z.infer<typeof TaskListQuery>;
export type TaskListQueryInput = z.input<typeof TaskListQuery>;

export const TaskThroughputBucket = z.object({
  /** Start of the bucket. */
  at: EpochMs,
  succeeded: z.number().int().min(0),
  failed: z.number().int().min(0),
  /** Mean duration of the attempts that ended in this bucket, null when none did. */
  meanMs: z.number().nullable(),
});

export const TaskStats = z.object({
  counts: z.record(TaskState, z.number().int().min(0)),
  /** Attempts that ended per `bucketMs` over the last `windowMs`, oldest first, empty buckets included. */
  throughput: z.array(TaskThroughputBucket),
  windowMs: z.number().int(),
  /** A minute up to a day's window, then as many whole minutes as keep the buckets at most 1,440. */
  bucketMs: z.number().int(),
});
export type TaskStats = z.infer<typeof TaskStats>;

/** The window `tasks.stats` counts over: an hour unless asked, at most 7 days. */
export const TaskStatsQuery = z
  .object({
    windowMs: z
      .number()
      .int()
      .min(60_000)
      .max(7 * 86_400_000)
      .optional(),
  })
  .strict();
export type TaskStatsQuery = z.infer<typeof TaskStatsQuery>;

/** What `task.changed` carries: enough to update a list row; the detail is one `tasks.get` away. */
export const TaskChanged = z.object({
  id: TaskId,
  type: TaskTypeName,
  state: TaskState,
  progress: z.number(),
  node: z.string().nullable(),
});
export type TaskChanged = z.infer<typeof TaskChanged>;

export const PlacementStrategy = z.enum([
  'round-robin',
  'random',
  'least-connections',
  'weighted',
  'health',
  'least-loaded',
  'response-time',
  'hybrid',
]);
export type PlacementStrategy = z.infer<typeof PlacementStrategy>;

/**
 * A task submitted on a cron schedule (croner syntax: 5 fields, or 6–7 with seconds and year), fired by the leader
 * only, once per tick; after downtime only the latest missed tick is caught up. The expression is checked when the
 * schedule is loaded.
 */
export const RecurringTask = z
  .object({
    id: Slug,
    schedule: z.string().min(1).max(200),
    /** IANA zone the schedule is read in, e.g. Europe/Stockholm; UTC when absent. */
    timezone: z.string().min(1).max(64).optional(),
    task: TaskSubmit.omit({ idempotencyKey: true, notBefore: true }),
  })
  .strict();
export type RecurringTask = z.infer<typeof RecurringTask>;

/** Which arguments an `exec` task may append to a command's argv: each must fully match one RE2 regex. */
export const ExecArgsPolicy = z
  .object({
    allow: z.array(z.string().min(1).max(500)).max(64).default([]),
    maxArgs: z.number().int().min(0).max(64).default(16),
  })
  .strict();
export type ExecArgsPolicy = z.infer<typeof ExecArgsPolicy>;

/** `tasks:` in the agent config. */
export const TasksConfig = z
  .object({
    /** Tasks this node runs at once. */
    concurrency: z.number().int().min(1).max(256).default(4),
    /** At most this many running at once per task type on this node. */
    perType: z.record(TaskTypeName, z.number().int().min(1).max(256)).default({}),
    /** How the leader places a task targeted `any` or `label:…`, unless the submit says. */
    strategy: PlacementStrategy.default('hybrid'),
    /** This member's share for the `weighted` strategy. */
    weight: z.number().min(0).max(1000).default(1),
    /** A claimed task whose lease is not renewed within this is run again (its worker is taken for dead). */
    leaseMs: z.number().int().min(100).max(600_000).default(15_000),
    heartbeatMs: z.number().int().min(20).max(300_000).default(3_000),
    /** Idle poll interval; a submit on this node wakes the worker at once. */
    pollMs: z.number().int().min(10).max(60_000).default(1000),
    /** Log lines kept per task (the oldest go first). */
    maxLogLines: z.number().int().min(0).max(10_000).default(500),
    /** Characters of output an `exec` task keeps (its end), and of body an `http` task reads (its start). */
    maxOutputChars: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(64 * 1024),
    /** Arguments `exec` tasks may pass, per command of `commands:`; a command not listed takes none. */
    execArgs: z.record(Slug, ExecArgsPolicy).default({}),
    recurring: z.array(RecurringTask).max(1000).default([]),
    /** How long a finished fleet task's record stays in the coordination backend (its result stays on its node). */
    fleetRetentionMs: z.number().int().min(1000).max(86_400_000).default(600_000),
    /** The leader's `health` and `hybrid` placement skip members whose summary is older than this. */
    staleAfterMs: z.number().int().min(1000).max(3_600_000).default(90_000),
  })
  .strict()
  .refine((config) => config.heartbeatMs < config.leaseMs, {
    message: 'heartbeatMs must be shorter than leaseMs',
    path: ['heartbeatMs'],
  })
  .refine((config) => new Set(config.recurring.map((r) => r.id)).size === config.recurring.length, {
    message: 'recurring task ids must be unique',
    path: ['recurring'],
  });
export type TasksConfig = z.infer<typeof TasksConfig>;
export type TasksConfigInput = z.input<typeof TasksConfig>;

/**
 * Where a fleet task is in the coordination backend: `pending` until the leader places it, `assigned` to a member,
 * `taken` once that member holds it in its own store, `done` once it finished there (or was cancelled unplaced).
 */
export const FleetTaskPhase = z.enum(['pending', 'assigned', 'taken', 'done']);
export type FleetTaskPhase = z.infer<typeof FleetTaskPhase>;

/** A task submitted for the fleet, kept in the coordination backend until done and compacted; small on purpose. */
export const FleetTaskRecord = z
  .object({
    id: TaskId,
    /** The submit as accepted (payload checked against its type's schema). */
    task: TaskSubmit,
    /** The placement asked for at submit; null: the leader's default. */
    strategy: PlacementStrategy.nullable(),
    submittedBy: z.string(),
    submittedAt: EpochMs,
    phase: FleetTaskPhase,
    /** The member it is assigned to (assigned, taken), or that ran it last (done). */
    assignee: z.string().nullable(),
    cancelRequested: z.boolean(),
    /** How often a member died holding it and it went back for placement. */
    handBacks: z.number().int().min(0),
    /** Once done: how it ended and where. */
    final: z
      .object({
        state: TaskState,
        node: z.string().nullable(),
        finishedAt: EpochMs,
        /** The last attempt's duration (monotonic), for the leader's response-time estimates. */
        durationMs: z.number().min(0).nullable(),
      })
      .nullable(),
    updatedAt: EpochMs,
  })
  .strict();
export type FleetTaskRecord = z.infer<typeof FleetTaskRecord>;
