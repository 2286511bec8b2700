import { z } from 'zod';
import type { Member } from '../../shared/node.js';
import type { CallerContext } from '../../shared/rpc.js';
import type { TaskSubmitRequest } from '../../shared/rpc/tasks.js';
import {
  finishedTaskStates,
  parseTaskTarget,
  Task,
  TaskId,
  type FleetTaskRecord,
  type TaskState,
  type TaskSubmit,
} from '../../shared/tasks.js';
import { decodeValue } from '../cluster/codecs.js';
import { ConflictError, maxAtomicWrites, type CoordinationBackend } from '../cluster/coordination-backend.js';
import { fleetTaskKeys } from '../cluster/fleet-keys.js';
import type { Clock } from '../core/clock.js';
import { CodedError } from '../core/coded-error.js';
import type { Logger } from '../core/logger.js';
import { canRun, execCommandOf } from './fleet-members.js';
import type { FleetTaskStore } from './fleet-task-store.js';
import { matchesTarget } from './placement.js';
import { invalid, timeOrderedId, type TaskQueue } from './task-queue.js';
import type { TaskTypeRegistry } from './task-types.js';
import { ExecPayloadShape } from './types/exec-task.js';

export interface FleetTasksDeps {
  store: FleetTaskStore;
  backend: CoordinationBackend;
  queue: TaskQueue;
  types: TaskTypeRegistry;
  selfId: string;
  clock: Clock;
  logger: Logger;
  members(): Member[];
  /** Calls a method on another member (its API). */
  callMember(memberId: string, params: { id: string; local: true }, caller: CallerContext): Promise<unknown>;
}

/** Tries of a batch whose idempotency keys are taken by concurrent resubmits while it is written. */
const BATCH_ROUNDS = 3;

const refuse = (path: Array<string | number>, field: string, message: string) =>
  new CodedError('invalid_request', message, [{ path: [...path, field].join('.'), message }]);

/** Where a fleet task is held now: its assignee until done, then the node that ended it. */
const holderOf = (record: FleetTaskRecord): string | null =>
  record.phase === 'done' ? (record.final?.node ?? null) : record.phase === 'pending' ? null : record.assignee;

/**
 * The front door for fleet tasks (a target other than `local` on a fleet backend): a submit is checked against the
 * members and written to the coordination backend before it is answered; get, cancel and retry work from any node,
 * through the record and the member holding the task.
 */
export class FleetTasks {
  constructor(private readonly deps: FleetTasksDeps) {}

  async submit(request: TaskSubmitRequest): Promise<{ id: string; deduplicated: boolean }> {
    return this.write(this.prepare(request, []));
  }

  /**
   * All or nothing: every task is checked, then the new records and their idempotency keys are written in one
   * atomic write. A key already taken answers with its task, as a single submit does (also a key given twice in
   * the batch); a concurrent resubmit that takes a key meanwhile makes the write conflict, and it is tried again.
   */
  async submitBatch(requests: readonly TaskSubmitRequest[]): Promise<{ ids: string[] }> {
    if (requests.length * 2 > maxAtomicWrites) {
      const message = `a batch of fleet tasks holds at most ${maxAtomicWrites / 2} tasks (one atomic write)`;
      throw refuse([], 'tasks', message);
    }
    const records = requests.map((request, index) => this.prepare(request, ['tasks', index]));
    for (let round = 0; round < BATCH_ROUNDS; round += 1) {
      const ids = new Map<string, string>();
      const existing = new Set<string>();
      for (const record of records) {
        const key = record.task.idempotencyKey;
        if (!key || ids.has(key)) continue;
        const taken = await this.existingId(key);
        if (taken) existing.add(key);
        ids.set(key, taken ?? record.id);
      }
      const fresh = records.filter(({ id, task }) => !task.idempotencyKey || ids.get(task.idempotencyKey) === id);
      // A key whose single submit died before its record was written: the record is written here, under its id.
      for (const [key, id] of ids) {
        const owner = records.find((record) => record.task.idempotencyKey === key)!;
        if (id !== owner.id && !(await this.deps.store.fetch(id))) fresh.push({ ...owner, id });
      }
      const keys = fresh.flatMap(({ id, task }) =>
        task.idempotencyKey && ids.get(task.idempotencyKey) === id && !existing.has(task.idempotencyKey)
          ? [{ key: fleetTaskKeys.idempotency(task.idempotencyKey), value: JSON.stringify(id), ifRevision: null }]
          : [],
      );
      try {
        if (fresh.length > 0) await this.deps.store.createAll(fresh, keys);
        return { ids: records.map(({ id, task }) => (task.idempotencyKey ? ids.get(task.idempotencyKey)! : id)) };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new CodedError('unavailable', "this batch's idempotency keys kept being taken meanwhile; try again");
  }

  /** The task an idempotency key already names, if any. */
  private async existingId(key: string): Promise<string | null> {
    const entry = await this.deps.backend.get(fleetTaskKeys.idempotency(key));
    return entry ? decodeValue(TaskId, entry.key, entry.value, this.deps.logger) : null;
  }

  /** The task from whichever node holds it; a view from its record while nobody does (or its holder is away). */
  async get(id: string, caller: CallerContext): Promise<Task> {
    const { queue, selfId } = this.deps;
    const here = queue.repository.isFleet(id);
    if (here === false) return queue.get(id);
    const stored = this.deps.store.get(id) ?? (await this.deps.store.fetch(id));
    if (!stored) return queue.get(id);
    const holder = holderOf(stored.record);
    if (holder === selfId && here) return queue.get(id);
    if (holder && holder !== selfId) {
      try {
        return Task.parse(await this.deps.callMember(holder, { id, local: true }, caller));
      } catch (error) {
        this.deps.logger.debug({ err: error, taskId: id, holder }, 'the holder of a fleet task did not answer');
      }
    }
    return this.view(stored.record);
  }

  /** A pending task is cancelled in its record; a placed one is flagged there and its holder aborts it. */
  async cancel(id: string, caller: CallerContext): Promise<{ id: string; state: TaskState }> {
    const { queue, selfId, clock } = this.deps;
    if (queue.repository.isFleet(id) === false) return this.cancelHere(id);
    let finished: TaskState | null = null;
    const updated = await this.deps.store.update(id, (record) => {
      if (record.phase === 'done') {
        finished = record.final?.state ?? 'cancelled';
        return null;
      }
      if (record.phase !== 'pending') return record.cancelRequested ? null : { ...record, cancelRequested: true };
      const final = { state: 'cancelled' as const, node: null, finishedAt: clock.now(), durationMs: null };
      return { ...record, cancelRequested: true, phase: 'done', final };
    });
    if (finished) throw new CodedError('conflict', `task ${id} is already ${finished as TaskState}`);
    if (!updated && !this.deps.store.get(id)) return this.cancelHere(id);
    if (updated?.record.assignee === selfId && queue.repository.isFleet(id)) {
      // This node's member may have acted on the flag already (its watch can be quicker than our write's answer).
      if (!finishedTaskStates.includes(queue.get(id).state)) queue.cancel(id);
      return { id, state: queue.get(id).state };
    }
    return { id, state: (await this.get(id, caller)).state };
  }

  /** A dead or cancelled fleet task goes back for placement with a fresh attempt budget. */
  async retry(id: string, caller: CallerContext): Promise<{ id: string; state: TaskState }> {
    const { queue, selfId } = this.deps;
    if (queue.repository.isFleet(id) === false) return this.retryHere(id);
    let current: FleetTaskRecord | null = null;
    const updated = await this.deps.store.update(id, (record) => {
      current = record;
      if (record.phase !== 'done' || record.final?.state === 'succeeded') return null;
      return { ...record, phase: 'pending', assignee: null, cancelRequested: false, final: null };
    });
    if (updated) return { id, state: 'queued' };
    const record = current as FleetTaskRecord | null;
    if (!record) return this.retryHere(id);
    // A retrying task held here runs now, as on a single node.
    if (holderOf(record) === selfId && queue.repository.isFleet(id) && record.phase !== 'done')
      return this.retryHere(id);
    const state = record.phase === 'done' ? record.final?.state : (await this.get(id, caller)).state;
    throw new CodedError('conflict', `only a dead, cancelled or retrying task can be retried; ${id} is ${state}`);
  }

  private cancelHere(id: string) {
    this.deps.queue.cancel(id);
    return { id, state: this.deps.queue.get(id).state };
  }

  private retryHere(id: string) {
    this.deps.queue.retry(id);
    return { id, state: this.deps.queue.get(id).state };
  }

  /** Checks a submit against the type registry and the members; refuses naming the field, writing nothing. */
  private prepare(request: TaskSubmitRequest, path: Array<string | number>): FleetTaskRecord {
    const { strategy, ...task } = request;
    const payload = this.checkPayload(task, path);
    const target = parseTaskTarget(task.target);
    if (!target.ok) throw refuse(path, 'target', target.error);
    const members = this.deps.members();
    const named = members.filter((member) => matchesTarget(member, target.target, this.deps.selfId));
    if (target.target.kind === 'node' && named.length === 0) {
      throw refuse(path, 'target', `unknown target node "${target.target.nodeId}"`);
    }
    const checked = { ...task, payload };
    if (named.length > 0 && !named.some((member) => canRun(member, checked))) {
      const command = execCommandOf(checked);
      if (command !== null) {
        throw refuse(path, 'payload.command', `command "${command}" is not defined on ${task.target}`);
      }
      throw refuse(path, 'type', `no member matching ${task.target} runs "${task.type}" tasks`);
    }
    if (named.length === 0) throw refuse(path, 'target', `no member matches ${task.target}`);
    const now = this.deps.clock.now();
    return {
      id: timeOrderedId(now),
      task: checked,
      strategy: strategy ?? null,
      submittedBy: this.deps.selfId,
      submittedAt: now,
      phase: 'pending',
      assignee: null,
      cancelRequested: false,
      handBacks: 0,
      final: null,
      updatedAt: now,
    };
  }

  /** The type's schema; for `exec` only its shape, since which commands exist is each member's own config. */
  private checkPayload(task: TaskSubmit, path: Array<string | number>) {
    const { types } = this.deps;
    if (task.type !== 'exec' || !types.get('exec')) return types.parsePayload(task.type, task.payload, path);
    const parsed = ExecPayloadShape.safeParse(task.payload);
    if (!parsed.success) throw invalid(parsed.error, [...path, 'payload']);
    return parsed.data;
  }

  /** Idempotency key first (create-only): the loser of a race answers with the winner's id. */
  private async write(record: FleetTaskRecord): Promise<{ id: string; deduplicated: boolean }> {
    const { backend, store, logger } = this.deps;
    const key = record.task.idempotencyKey;
    if (key) {
      const keyPath = fleetTaskKeys.idempotency(key);
      try {
        await backend.put(keyPath, JSON.stringify(record.id), { ifRevision: null });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        const entry = await backend.get(keyPath);
        const id = entry && decodeValue(TaskId, entry.key, entry.value, logger);
        if (!id) throw new CodedError('unavailable', 'the idempotency key is being written; try again', undefined);
        // Its submitter may have died between the key and the record: the record is written here, under its id.
        if (!(await store.fetch(id))) await this.createIgnoringRace({ ...record, id });
        return { id, deduplicated: true };
      }
    }
    await this.createIgnoringRace(record);
    return { id: record.id, deduplicated: false };
  }

  private async createIgnoringRace(record: FleetTaskRecord): Promise<void> {
    try {
      await this.deps.store.create(record);
    } catch (error) {
      // Only a resubmit with the same key writes the same id: the record it wrote is this one.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  /** A fleet task as its record tells it, while no member holds it. */
  private view(record: FleetTaskRecord): Task {
    const { task, final } = record;
    const now = this.deps.clock.now();
    const runAt = Math.max(record.submittedAt, task.notBefore ?? 0);
    return {
      id: record.id,
      type: task.type,
      payload: z.json().parse(task.payload),
      priority: task.priority,
      maxAttempts: task.maxAttempts,
      timeoutMs: task.timeoutMs,
      backoff: task.backoff,
      notBefore: task.notBefore ?? null,
      idempotencyKey: task.idempotencyKey ?? null,
      group: task.group,
      target: task.target,
      state: final?.state ?? (runAt > now ? 'scheduled' : 'queued'),
      attemptCount: 0,
      attempts: [],
      runAt,
      result: null,
      error: final?.state === 'cancelled' ? 'cancelled' : null,
      progress: final?.state === 'succeeded' ? 100 : 0,
      node: final?.node ?? record.assignee,
      logs: [],
      createdAt: record.submittedAt,
      updatedAt: record.updatedAt,
      finishedAt: final?.finishedAt ?? null,
    };
  }
}
