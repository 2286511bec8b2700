import { finishedTaskStates, type TaskChanged } from '../../shared/tasks.js';
import { ConflictError } from '../cluster/coordination-backend.js';
import { repeat, type Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { FleetTaskStore, StoredRecord } from './fleet-task-store.js';
import { runInBatches } from './run-in-batches.js';
import { SerialRunner } from '../core/serial-runner.js';
import type { TaskQueue } from './task-queue.js';

export interface FleetTaskMemberDeps {
  store: FleetTaskStore;
  queue: TaskQueue;
  selfId: string;
  clock: Clock;
  logger: Logger;
}

/** Also on this beat, so a report that failed (the backend was away) is sent again. */
const PASS_INTERVAL_MS = 2000;
/** Writes of one pass in flight at once. */
const WRITE_BATCH = 64;

/**
 * A member's part of fleet tasks: takes the records the leader assigned to it into its own queue under the same id
 * (then marks them `taken`), tells each record how its task ended, passes a cancel on to its queue, and reconciles:
 * an unfinished fleet task here whose record is gone or held by another member is cancelled ("handed to …"), so a
 * member that comes back after being taken for dead does not run it a second time.
 */
export class FleetTaskMember {
  private readonly runner: SerialRunner;
  private readonly cancelling = new Set<string>();
  /** Local tasks that finished since the last pass; every taken record is looked at on the beat anyway. */
  private finished = new Set<string>();
  private fullPassDue = true;

  constructor(private readonly deps: FleetTaskMemberDeps) {
    this.runner = new SerialRunner(
      () => this.pass(),
      (error) => deps.logger.error({ err: error }, 'following fleet tasks failed'),
    );
  }

  start(): () => void {
    const unsubscribe = this.deps.store.onChange(() => this.runner.trigger());
    const stopBeat = repeat(this.deps.clock, PASS_INTERVAL_MS, () => {
      this.fullPassDue = true;
      this.runner.trigger();
    });
    this.runner.trigger();
    return () => {
      unsubscribe();
      stopBeat();
      this.runner.stop();
    };
  }

  /** A task of this node changed: if it finished, its record (if it has one) is told at the next pass. */
  localChanged(change: Pick<TaskChanged, 'id' | 'state'>): void {
    if (!finishedTaskStates.includes(change.state)) return;
    this.finished.add(change.id);
    this.runner.trigger();
  }

  /** Settles once no pass is running or due (tests). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /** Cancels the fleet tasks this node holds but no longer owns; needs the records listed (a no-op before). */
  reconcile(): void {
    const { store, queue, selfId, logger } = this.deps;
    if (!store.ready) return;
    for (const id of queue.repository.fleetUnfinished()) {
      const record = store.get(id)?.record;
      if (record && record.assignee === selfId && (record.phase === 'assigned' || record.phase === 'taken')) continue;
      const reason = !record
        ? 'handed back: its fleet record is gone'
        : record.phase === 'pending' || !record.assignee
          ? 'handed back to the leader for placement'
          : `handed to ${record.assignee}`;
      logger.warn({ taskId: id, reason }, 'a fleet task is no longer held by this node: cancelled here');
      this.cancelLocally(id, reason);
    }
  }

  private async pass(): Promise<void> {
    const { store, selfId, logger } = this.deps;
    if (!store.ready) return;
    this.reconcile();
    const [full, finished] = [this.fullPassDue, this.finished];
    this.fullPassDue = false;
    this.finished = new Set();
    // A taken record needs a look when its task finished here or its cancel is new; all of them on the beat.
    const needsLook = ({ record }: StoredRecord) =>
      full || finished.has(record.id) || (record.cancelRequested && !this.cancelling.has(record.id));
    const steps = store.all().flatMap((stored) => {
      if (stored.record.assignee !== selfId) return [];
      if (stored.record.phase === 'assigned') return [() => this.take(stored)];
      return stored.record.phase === 'taken' && needsLook(stored) ? [() => this.follow(stored)] : [];
    });
    await runInBatches(steps, WRITE_BATCH, (error) => {
      // A conflict means the record moved on: the next pass sees the new one.
      if (!(error instanceof ConflictError)) logger.warn({ err: errorMessage(error) }, 'a fleet task step failed');
      return true;
    });
  }

  /** Durable here first, then `taken`: a crash between the two takes it again under the same id, which is a no-op. */
  private async take(stored: StoredRecord): Promise<void> {
    const { store, queue, selfId, clock } = this.deps;
    const { record } = stored;
    const now = clock.now();
    if (record.cancelRequested) {
      const final = { state: 'cancelled' as const, node: selfId, finishedAt: now, durationMs: null };
      await store.replace(stored, { ...record, phase: 'done', final, updatedAt: now });
      return;
    }
    queue.adopt(record.id, record.task);
    this.cancelling.delete(record.id);
    await store.replace(stored, { ...record, phase: 'taken', updatedAt: now });
  }

  private async follow(stored: StoredRecord): Promise<void> {
    const { store, queue, clock } = this.deps;
    const { record } = stored;
    if (queue.repository.isFleet(record.id) === null) {
      // Taken, but this node's store lost it (a new data directory): run it again.
      queue.adopt(record.id, record.task);
      return;
    }
    const outcome = queue.repository.outcome(record.id);
    if (outcome) {
      const now = clock.now();
      await store.replace(stored, { ...record, phase: 'done', final: outcome, updatedAt: now });
      this.cancelling.delete(record.id);
    } else if (record.cancelRequested) {
      this.cancelLocally(record.id, 'cancelled');
    }
  }

  private cancelLocally(id: string, reason: string): void {
    if (this.cancelling.has(id)) return;
    this.cancelling.add(id);
    try {
      this.deps.queue.cancel(id, reason);
    } catch (error) {
      this.deps.logger.debug({ err: errorMessage(error), taskId: id }, 'cancelling a fleet task here failed');
    }
  }
}
