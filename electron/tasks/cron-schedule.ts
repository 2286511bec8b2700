import type { Database } from 'better-sqlite3';
import { Cron } from 'croner';
import type { RecurringTask, TaskSubmitInput } from '../../shared/tasks.js';
import type { Clock } from '../core/clock.js';
import { CodedError } from '../core/coded-error.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** A recurring definition with its expression parsed. */
export interface CompiledSchedule {
  definition: RecurringTask;
  cron: Cron;
}

/** Parses the definition's cron expression with croner; a bad one is refused naming `schedule` (or `timezone`). */
export function compileSchedule(definition: RecurringTask): CompiledSchedule {
  try {
    const cron = new Cron(definition.schedule, { paused: true, timezone: definition.timezone ?? 'UTC' });
    // croner checks the time zone only when it computes a run.
    cron.nextRun();
    return { definition, cron };
  } catch (error) {
    const field = /time ?zone/i.test(errorMessage(error)) ? 'timezone' : 'schedule';
    const message = `recurring task "${definition.id}": ${errorMessage(error)}`;
    throw new CodedError('invalid_request', message, [{ path: field, message: errorMessage(error) }]);
  }
}

/** The first tick strictly after `after`, or null when the schedule has no more. */
export const nextTickAfter = (schedule: CompiledSchedule, after: number): number | null =>
  schedule.cron.nextRun(new Date(after))?.getTime() ?? null;

/**
 * What to fire now: the latest tick in (lastFiredAt, now], if any — only that one, so downtime (or a failover)
 * catches up at most one missed tick. A schedule never fired before fires nothing for the past.
 */
export function dueTick(schedule: CompiledSchedule, lastFiredAt: number | null, now: number): number | null {
  if (lastFiredAt === null) return null;
  const latest = schedule.cron.previousRuns(1, new Date(now + 1))[0]?.getTime();
  return latest !== undefined && latest > lastFiredAt ? latest : null;
}

/**
 * The submit for one tick: its idempotency key names the definition and the tick, so a tick fired twice (two
 * leaders overlapping in a failover) makes one task.
 */
export const recurringSubmit = (definition: RecurringTask, tickAt: number): TaskSubmitInput => ({
  ...definition.task,
  idempotencyKey: `cron:${definition.id}:${tickAt}`,
});

/** Where the last fired tick of each definition is kept (this node's SQLite, or the fleet's store for a leader). */
export interface CronState {
  lastFired(id: string): number | null;
  setLastFired(id: string, at: number): void;
}

/** `CronState` in the node's database (`task_cron_state`). */
export class CronStateRepository implements CronState {
  private readonly getStmt;
  private readonly setStmt;

  constructor(db: Database) {
    this.getStmt = db.prepare<[string], { last_fired_at: number }>(
      'SELECT last_fired_at FROM task_cron_state WHERE id = ?',
    );
    this.setStmt = db.prepare<[string, number]>(
      `INSERT INTO task_cron_state (id, last_fired_at) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET last_fired_at = excluded.last_fired_at`,
    );
  }

  lastFired(id: string): number | null {
    return this.getStmt.get(id)?.last_fired_at ?? null;
  }

  setLastFired(id: string, at: number): void {
    this.setStmt.run(id, at);
  }
}

/** Long waits are cut into steps, so a wall-clock step or a suspended laptop delays a tick by at most this. */
const MAX_WAIT_MS = 60_000;

export interface CronSchedulerDeps {
  clock: Clock;
  state: CronState;
  logger: Logger;
  /** Submits the tick's task (see `recurringSubmit`); a throw is logged and the tick counts as fired. */
  fire(definition: RecurringTask, tickAt: number): void;
}

/**
 * Fires recurring tasks on their schedules while started (the leader starts it, and stops it on losing office).
 * A definition seen for the first time starts counting from now.
 */
export class CronScheduler {
  private schedules: CompiledSchedule[] = [];
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly deps: CronSchedulerDeps) {}

  /** Replaces the definitions (all compiled first: one bad expression refuses the set) and evaluates at once. */
  start(definitions: readonly RecurringTask[]): void {
    this.schedules = definitions.map(compileSchedule);
    this.stop();
    this.evaluate();
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private evaluate(): void {
    const { clock, state, logger } = this.deps;
    const now = clock.now();
    let nextAt = now + MAX_WAIT_MS;
    for (const schedule of this.schedules) {
      const { id } = schedule.definition;
      const lastFired = state.lastFired(id);
      const tick = dueTick(schedule, lastFired, now);
      if (lastFired === null) state.setLastFired(id, now);
      if (tick !== null) {
        try {
          this.deps.fire(schedule.definition, tick);
        } catch (error) {
          logger.error({ err: error, recurringId: id, tickAt: tick }, 'recurring task could not be submitted');
        }
        state.setLastFired(id, tick);
      }
      const next = nextTickAfter(schedule, now);
      if (next !== null) nextAt = Math.min(nextAt, next);
    }
    this.cancelTimer = clock.setTimer(() => this.evaluate(), Math.max(0, nextAt - now));
  }
}
