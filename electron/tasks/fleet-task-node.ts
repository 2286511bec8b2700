import type { LeaderInfo, Member } from '../../shared/node.js';
import type { CallerContext } from '../../shared/rpc.js';
import type { TasksConfig } from '../../shared/tasks.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { FleetCronState } from './fleet-cron-state.js';
import { FleetTaskLeader } from './fleet-task-leader.js';
import { FleetTaskMember } from './fleet-task-member.js';
import { FleetTaskStore } from './fleet-task-store.js';
import { FleetTasks } from './fleet-tasks.js';
import type { TaskQueue } from './task-queue.js';
import type { TaskTypeRegistry } from './task-types.js';

export interface FleetTaskNodeDeps {
  backend: CoordinationBackend;
  queue: TaskQueue;
  types: TaskTypeRegistry;
  selfId: string;
  clock: Clock;
  random: () => number;
  logger: Logger;
  config: TasksConfig;
  leadership(): LeaderInfo | null;
  members(): Member[];
  callMember(memberId: string, params: { id: string; local: true }, caller: CallerContext): Promise<unknown>;
}

/** How long start() waits for the records before the worker starts anyway (reconciling once they arrive). */
const READY_WAIT_MS = 5000;

/** One node's share of fleet tasks on a fleet backend: the records, the front door, the member and leader roles. */
export class FleetTaskNode {
  readonly store: FleetTaskStore;
  readonly tasks: FleetTasks;
  readonly member: FleetTaskMember;
  readonly leader: FleetTaskLeader;
  readonly cronState: FleetCronState;
  /** Settles once the recurring state is listed: a leader fires nothing before. */
  cronReady: Promise<void> = Promise.resolve();
  private readonly stops: Array<() => void> = [];

  constructor(private readonly deps: FleetTaskNodeDeps) {
    const { backend, clock, logger, selfId } = deps;
    this.store = new FleetTaskStore({ backend, clock, logger });
    this.tasks = new FleetTasks({ ...deps, store: this.store });
    this.member = new FleetTaskMember({ store: this.store, queue: deps.queue, selfId, clock, logger });
    this.leader = new FleetTaskLeader({ ...deps, store: this.store });
    this.cronState = new FleetCronState(deps);
  }

  /** Lists the records and cancels what this node holds but no longer owns, before its worker starts. */
  async start(): Promise<void> {
    const records = this.store.start();
    const cron = this.cronState.start();
    this.cronReady = cron.ready;
    this.stops.push(records.stop, cron.stop);
    let cancelWait = () => {};
    const waited = new Promise<void>((resolve) => (cancelWait = this.deps.clock.setTimer(resolve, READY_WAIT_MS)));
    await Promise.race([records.ready, waited]);
    cancelWait();
    if (!this.store.ready) this.deps.logger.warn('fleet tasks not listed yet; the worker starts and reconciles later');
    this.member.reconcile();
    this.stops.push(this.member.start(), this.leader.start());
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}
