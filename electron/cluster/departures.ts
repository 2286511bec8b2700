import type { Member } from '../../shared/node.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { CoordinationBackend } from './coordination-backend.js';
import { LeaveMarkers } from './leave-markers.js';
import { MemberWatch } from './member-watch.js';

export interface DeparturesDeps {
  backend: CoordinationBackend;
  clock: Clock;
  logger: Logger;
  selfId: string;
}

/**
 * Agents gone without a graceful leave: those the member watch saw go whose run left no leave marker. Each run's
 * marker is read once: a graceful leave is forgotten at once, a crash is kept until the agent returns or forget().
 */
export class Departures {
  private readonly watch: MemberWatch;
  private readonly markers: LeaveMarkers;
  /** Gone runs (`<id>@<startedAt>`) known to have left without a leave marker. */
  private crashed = new Set<string>();

  constructor(private readonly deps: DeparturesDeps) {
    this.watch = new MemberWatch(deps.selfId);
    this.markers = new LeaveMarkers(deps);
  }

  observe(members: readonly Member[]): void {
    this.watch.observe(members);
  }

  /** The agents gone without a leave marker, each as last seen. */
  async crashedAgents(): Promise<Member[]> {
    const crashed: Member[] = [];
    const known = new Set<string>();
    for (const gone of this.watch.goneAgents()) {
      const run = `${gone.id}@${gone.startedAt}`;
      if (!this.crashed.has(run) && (await this.markers.leftGracefully(gone.id, gone.startedAt))) {
        this.deps.logger.info({ member: gone.id }, 'member left gracefully');
        this.watch.forget(gone.id);
        continue;
      }
      known.add(run);
      crashed.push(gone);
    }
    this.crashed = known;
    return crashed;
  }

  /** An agent not to count as gone any more (forgotten by an operator, or past the retention), until it is back. */
  forget(id: string): void {
    this.watch.forget(id);
  }
}
