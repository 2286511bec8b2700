import type { LeaderInfo, Member } from '../../shared/node.js';
import { parseTaskTarget, type FleetTaskRecord, type TasksConfig } from '../../shared/tasks.js';
import { ConflictError, FencedError, type CoordinationBackend } from '../cluster/coordination-backend.js';
import { fleetTaskKeys } from '../cluster/fleet-keys.js';
import { repeat, type Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { canRun, fleetMemberOf, type AssignedLoad } from './fleet-members.js';
import type { FleetTaskStore, StoredRecord } from './fleet-task-store.js';
import { placeTask, updateEwma, type FleetMember } from './placement.js';
import { runInBatches } from './run-in-batches.js';
import { SerialRunner } from '../core/serial-runner.js';

export interface FleetTaskLeaderDeps {
  store: FleetTaskStore;
  backend: CoordinationBackend;
  clock: Clock;
  random: () => number;
  logger: Logger;
  selfId: string;
  /** This node's fencing token while it leads, else null; checked before every pass. */
  leadership(): LeaderInfo | null;
  members(): Member[];
  config: Pick<TasksConfig, 'strategy' | 'staleAfterMs' | 'fleetRetentionMs'>;
}

/** Placement also runs on this beat: a member's summary changing can make a waiting task placeable. */
const PASS_INTERVAL_MS = 1000;
/** Writes of one pass in flight at once. */
const WRITE_BATCH = 64;

const byPriorityThenAge = (a: StoredRecord, b: StoredRecord) =>
  b.record.task.priority - a.record.task.priority || (a.record.id < b.record.id ? -1 : 1);

/**
 * The leader's part of fleet tasks: places pending records on members (the placement strategies over the members'
 * summaries, its own count of what it assigned, and durations learned from finished records), hands a dead member's
 * tasks back for placement, and compacts finished records after their retention. Every write is fenced by its
 * leadership and conditioned on the revision it read, so a deposed leader or a stale view changes nothing; a new
 * leader resumes from the records alone.
 */
export class FleetTaskLeader {
  private cursor = 0;
  /** EWMA of durations per member and type, learned from finished records. */
  private readonly durations = new Map<string, Record<string, number>>();
  private readonly learned = new Set<string>();
  private readonly unplaceable = new Set<string>();
  private readonly runner: SerialRunner;

  constructor(private readonly deps: FleetTaskLeaderDeps) {
    this.runner = new SerialRunner(
      () => this.pass(),
      (error) => deps.logger.error({ err: error }, 'placing fleet tasks failed'),
    );
  }

  start(): () => void {
    const unsubscribe = this.deps.store.onChange(() => this.runner.trigger());
    const stopBeat = repeat(this.deps.clock, PASS_INTERVAL_MS, () => this.runner.trigger());
    this.runner.trigger();
    return () => {
      unsubscribe();
      stopBeat();
      this.runner.stop();
    };
  }

  /** Members or leadership changed. */
  changed(): void {
    this.runner.trigger();
  }

  /** Settles once no pass is running or due (tests). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  private async pass(): Promise<void> {
    const { store, clock, selfId, logger } = this.deps;
    const token = this.deps.leadership();
    if (!token || !store.ready) return;
    const members = this.deps.members();
    // Until this node sees itself, its view of the members is not loaded: nobody may be taken for dead.
    if (!members.some((member) => member.id === selfId)) return;
    const now = clock.now();
    const live = new Set(members.map((member) => member.id));
    const records = store.all().sort(byPriorityThenAge);
    const loads = new Map<string, AssignedLoad>(members.map((member) => [member.id, { running: 0, byType: {} }]));
    for (const { record } of records) {
      this.learn(record);
      const load = record.assignee && record.phase !== 'done' ? loads.get(record.assignee) : undefined;
      if (load) {
        load.running += 1;
        load.byType[record.task.type] = (load.byType[record.task.type] ?? 0) + 1;
      }
    }
    const snapshot = members.map((member) =>
      fleetMemberOf(member, now, loads.get(member.id)!, this.durations.get(member.id) ?? {}),
    );
    // Decided in order (placement counts what it assigned), written concurrently.
    const view = { token, now, live, members, snapshot, loads };
    const steps = records.flatMap((stored) => {
      const step = this.plan(stored, view);
      return step ? [step] : [];
    });
    await runInBatches(steps, WRITE_BATCH, (error) => {
      if (error instanceof FencedError) return false; // no longer the leader: the next one takes over
      // A conflict means the record moved on: the next pass sees the new one.
      if (!(error instanceof ConflictError)) logger.warn({ err: errorMessage(error) }, 'a fleet task step failed');
      return true;
    });
    this.forgetGone();
  }

  /** What to write for one record, if anything; placement is decided (and counted) here, in order. */
  private plan(
    stored: StoredRecord,
    view: {
      token: LeaderInfo;
      now: number;
      live: Set<string>;
      members: Member[];
      snapshot: FleetMember[];
      loads: Map<string, AssignedLoad>;
    },
  ): (() => Promise<unknown>) | null {
    const { store, logger } = this.deps;
    const { record } = stored;
    const { token, now } = view;
    const fence = { fence: token };
    if (record.phase === 'pending' && record.cancelRequested) {
      const final = { state: 'cancelled' as const, node: null, finishedAt: now, durationMs: null };
      return () => store.replace(stored, { ...record, phase: 'done', final, updatedAt: now }, fence);
    }
    if (record.phase === 'pending') {
      const memberId = this.place(record, view.members, view.snapshot);
      if (!memberId) return null;
      const load = view.loads.get(memberId)!;
      load.running += 1;
      load.byType[record.task.type] = (load.byType[record.task.type] ?? 0) + 1;
      const placed = view.snapshot.find((member) => member.id === memberId)!;
      placed.running = Math.max(placed.running, load.running);
      return () => store.replace(stored, { ...record, phase: 'assigned', assignee: memberId, updatedAt: now }, fence);
    }
    if (record.phase !== 'done' && record.assignee && !view.live.has(record.assignee)) {
      logger.warn({ taskId: record.id, member: record.assignee }, 'fleet task handed back: its member is gone');
      const handedBack = { ...record, phase: 'pending' as const, assignee: null, handBacks: record.handBacks + 1 };
      return () => store.replace(stored, { ...handedBack, updatedAt: now }, fence);
    }
    if (record.phase === 'done' && now - (record.final?.finishedAt ?? record.updatedAt) >= this.retentionMs) {
      return async () => {
        // The key first: a record without its key is compacted next time, a key without its record would stick.
        const key = record.task.idempotencyKey;
        if (key) await this.deps.backend.delete(fleetTaskKeys.idempotency(key));
        await store.remove(record.id);
      };
    }
    return null;
  }

  private get retentionMs(): number {
    return this.deps.config.fleetRetentionMs;
  }

  /** The member to run the task on, or null while none fits (it stays pending and is tried again). */
  private place(record: FleetTaskRecord, members: Member[], snapshot: FleetMember[]): string | null {
    const target = parseTaskTarget(record.task.target);
    if (!target.ok) return null;
    const runs = new Set(members.filter((member) => canRun(member, record.task)).map((member) => member.id));
    const placement = placeTask(
      snapshot.filter((member) => runs.has(member.id)),
      {
        target: target.target,
        type: record.task.type,
        strategy: record.strategy ?? this.deps.config.strategy,
        selfId: record.submittedBy,
        staleAfterMs: this.deps.config.staleAfterMs,
        random: this.deps.random,
        cursor: this.cursor,
      },
    );
    this.cursor = placement.cursor;
    if (placement.ok) {
      this.unplaceable.delete(record.id);
      return placement.memberId;
    }
    if (!this.unplaceable.has(record.id)) {
      this.unplaceable.add(record.id);
      this.deps.logger.info({ taskId: record.id, reason: placement.reason }, 'fleet task waits for a member');
    }
    return null;
  }

  private learn(record: FleetTaskRecord): void {
    const final = record.final;
    if (!final?.node || final.durationMs === null || final.state !== 'succeeded' || this.learned.has(record.id)) return;
    this.learned.add(record.id);
    const durations = this.durations.get(final.node) ?? {};
    durations[record.task.type] = updateEwma(durations[record.task.type], final.durationMs);
    this.durations.set(final.node, durations);
  }

  private forgetGone(): void {
    for (const id of this.learned) if (!this.deps.store.get(id)) this.learned.delete(id);
    for (const id of this.unplaceable) if (!this.deps.store.get(id)) this.unplaceable.delete(id);
  }
}
