import type { LeaderInfo, Member, MemberRecord } from '../../shared/node.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';
import type { Campaign, CoordinationBackend, MemberEntry, Registration } from './coordination-backend.js';

export interface FleetMembershipOptions {
  backend: CoordinationBackend;
  record: MemberRecord;
  ttlSeconds: number;
  /** Whether this node stands for leader or only observes. */
  campaign: boolean;
  clock: Clock;
  logger: Logger;
  /** Delay before registering again after the lease was lost. */
  rejoinDelayMs?: number;
}

/**
 * This node's place in the fleet: keeps it registered (rejoining after a lost lease), campaigns if asked,
 * and keeps the fleet's member list and observed leader current.
 */
export class FleetMembership {
  private registration: Registration | null = null;
  private campaignHandle: Campaign | null = null;
  private entries: MemberEntry[] = [];
  private observedLeader: LeaderInfo | null = null;
  private readonly unsubscribes: Array<() => void> = [];
  private cancelRejoin: (() => void) | null = null;
  private leaving = false;
  private readonly memberChanges: Listeners<Member[]>;
  private readonly leadershipChanges: Listeners<LeaderInfo | null>;

  constructor(private readonly options: FleetMembershipOptions) {
    const onError = (error: unknown) => options.logger.error({ err: error }, 'a membership listener failed');
    this.memberChanges = new Listeners(onError);
    this.leadershipChanges = new Listeners(onError);
  }

  async join(): Promise<void> {
    const { backend } = this.options;
    await backend.connect();
    this.unsubscribes.push(
      backend.watchMembers((entries) => {
        this.entries = entries;
        this.memberChanges.emit(this.members());
      }),
      backend.observeLeader((leader) => {
        this.observedLeader = leader;
        this.memberChanges.emit(this.members());
      }),
    );
    await this.register();
  }

  async leave(): Promise<void> {
    this.leaving = true;
    this.cancelRejoin?.();
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await this.campaignHandle?.resign();
    await this.registration?.revoke();
    await this.options.backend.close();
  }

  /** Every member, with the observed leader marked. */
  members(): Member[] {
    return this.entries.map(({ record, lastSeen }) => ({
      ...record,
      leader: record.id === this.observedLeader?.id,
      lastSeen,
    }));
  }

  /** This node's fencing token while it leads, else null. */
  leadership(): LeaderInfo | null {
    return this.campaignHandle?.current() ?? null;
  }

  onMembers(listener: (members: Member[]) => void): () => void {
    return this.memberChanges.add(listener);
  }

  onLeadership(listener: (leadership: LeaderInfo | null) => void): () => void {
    return this.leadershipChanges.add(listener);
  }

  private async register(): Promise<void> {
    const { backend, record, ttlSeconds, logger } = this.options;
    const registration = await backend.register(record, ttlSeconds);
    this.registration = registration;
    registration.onLost((reason) => this.rejoin(reason));
    logger.info({ leaseId: registration.leaseId }, 'registered in the fleet');
    if (!this.options.campaign) return;
    this.campaignHandle = backend.campaign(record.id, registration);
    this.campaignHandle.onChange((leadership) => {
      logger.info({ leadership }, leadership ? 'became leader' : 'not leader');
      this.leadershipChanges.emit(leadership);
    });
  }

  private rejoin(reason: string): void {
    if (this.leaving) return;
    this.options.logger.warn({ reason }, 'lost fleet registration; rejoining');
    this.campaignHandle = null;
    this.registration = null;
    this.leadershipChanges.emit(null);
    const attempt = () => {
      this.cancelRejoin = null;
      if (this.leaving) return;
      this.register().catch((error: unknown) => {
        this.options.logger.warn({ err: errorMessage(error) }, 'rejoin failed; retrying');
        this.cancelRejoin = this.options.clock.setTimer(attempt, this.options.rejoinDelayMs ?? 1000);
      });
    };
    attempt();
  }
}
