import {
  CLOCK_SKEW_WARNING_MS,
  type ClusterStatus,
  type FleetFacts,
  type LeaderInfo,
  type Member,
  type MemberRecord,
  type NodeSummary,
} from '../../shared/node.js';
import { repeat, type Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';
import type {
  BackendStatus,
  Campaign,
  CoordinationBackend,
  MemberEntry,
  Registration,
} from './coordination-backend.js';
import { ClockSkewEstimator } from './clock-skew.js';
import { FleetFactsKeeper } from './fleet-facts.js';
import { LeaveMarkers } from './leave-markers.js';
import { RecordFreshness, STALE_AFTER_HEARTBEATS } from './record-freshness.js';

const SPLIT_BRAIN_GRACE_MS = 3000;
const HEARTBEAT_MS = 30_000;
const DOWN_RETENTION_MS = 7 * 24 * 3_600_000;
/** How often the heartbeat and the members' staleness are looked at. */
const TICK_MS = 1000;

const sameSummary = (a: NodeSummary | undefined, b: NodeSummary): boolean =>
  a !== undefined && JSON.stringify({ ...a, publishedAt: 0 }) === JSON.stringify({ ...b, publishedAt: 0 });

export interface FleetMembershipOptions {
  backend: CoordinationBackend;
  record: MemberRecord;
  ttlSeconds: number;
  /** Whether this node stands for leader or only observes. */
  campaign: boolean;
  clock: Clock;
  logger: Logger;
  /** Delay before registering again after the lease was lost or the backend was unreachable. */
  rejoinDelayMs?: number;
  /** Least time between two published summaries (the summary rides on the member record). */
  summaryIntervalMs?: number;
  /**
   * Longest time without a write of this node's record (an unchanged summary is written only then); another member's
   * record unwritten for STALE_AFTER_HEARTBEATS of these marks it stale. The same on every member. Default 30 s.
   */
  heartbeatMs?: number;
  /** How long a member gone without a graceful leave stays in the facts as down (default 7 days). */
  downRetentionMs?: number;
}

/**
 * This node's place in the fleet: keeps it registered (rejoining after a lost lease or an outage), campaigns
 * if asked, publishes its summary at a bounded rate, and keeps the fleet's members, leader and facts current.
 * Coordination trouble never stops the agent: it reports "lost" and keeps trying.
 */
export class FleetMembership {
  private registration: Registration | null = null;
  private campaignHandle: Campaign | null = null;
  private entries: MemberEntry[] = [];
  private observedLeader: LeaderInfo | null = null;
  private record: MemberRecord;
  private readonly unsubscribes: Array<() => void> = [];
  private cancelRejoin: (() => void) | null = null;
  private cancelSummary: (() => void) | null = null;
  /** On the monotonic clock. */
  private lastPublishedAt = -Infinity;
  private leaving = false;
  private splitBrainReported = false;
  private cancelSplitBrainCheck: (() => void) | null = null;
  private readonly splitBrains: Listeners<string[]>;
  private readonly facts: FleetFactsKeeper;
  private readonly markers: LeaveMarkers;
  private readonly freshness: RecordFreshness;
  private connected = false;
  /** The stale members last told to the member listeners, to tell them when only staleness changed. */
  private staleTold = '';
  /**
   * The member list as last built, until something it shows changes (null: build it again), and each member as last
   * built with the record it came from: an unchanged member stays the same object, so the list is cheap to build, to
   * diff and to check again in a fleet of thousands.
   */
  private memberList: Member[] | null = null;
  private builtMembers = new Map<string, { record: MemberRecord; member: Member }>();
  private readonly skew = new ClockSkewEstimator();
  /** Members whose clock skew is over the warning threshold (warned about once). */
  private readonly skewedMembers = new Set<string>();
  private readonly memberChanges: Listeners<Member[]>;
  private readonly leadershipChanges: Listeners<LeaderInfo | null>;
  private readonly statusChanges: Listeners<ClusterStatus>;

  constructor(private readonly options: FleetMembershipOptions) {
    const onError = (error: unknown) => options.logger.error({ err: error }, 'a membership listener failed');
    this.memberChanges = new Listeners(onError);
    this.leadershipChanges = new Listeners(onError);
    this.statusChanges = new Listeners(onError);
    this.splitBrains = new Listeners(onError);
    this.record = options.record;
    this.markers = new LeaveMarkers(options);
    this.freshness = new RecordFreshness(STALE_AFTER_HEARTBEATS * this.heartbeatMs());
    this.facts = new FleetFactsKeeper({
      backend: options.backend,
      clock: options.clock,
      logger: options.logger,
      selfId: options.record.id,
      downRetentionMs: options.downRetentionMs ?? DOWN_RETENTION_MS,
      leadership: () => this.leadership(),
      members: () => this.members(),
      onFacts: () => this.emitStatus(),
    });
  }

  /** Connects and registers; if the backend is unreachable, keeps retrying in the background and returns. */
  async join(): Promise<void> {
    const { backend, clock } = this.options;
    this.unsubscribes.push(
      backend.onStatus(({ state }) => {
        if (state === 'connected' && !this.connected) this.freshness.restart(clock.monotonic());
        if (this.connected !== (state === 'connected')) this.memberList = null;
        this.connected = state === 'connected';
        this.emitStatus();
      }),
    );
    try {
      // With the TTL known, the backend can have the lease ready by the time register() runs (one write).
      await backend.connect({ leaseTtlSeconds: this.options.ttlSeconds });
    } catch (error) {
      this.options.logger.warn({ err: errorMessage(error) }, 'coordination backend unreachable; working locally');
    }
    this.connected = backend.status().state === 'connected';
    // An earlier run's marker must not pass a crash of this one for a graceful leave.
    void this.markers.clear(this.record.id);
    this.unsubscribes.push(
      backend.watchMembers((entries) => {
        this.entries = entries;
        this.memberList = null;
        this.freshness.observe(entries, clock.monotonic());
        this.estimateSkew(entries);
        const members = this.members();
        this.memberChanges.emit(members);
        this.facts.membersChanged(members);
        this.checkLeaderClaims();
      }),
      backend.observeLeader((leader) => {
        this.observedLeader = leader;
        this.leaderViewChanged();
      }),
      this.facts.start(),
      repeat(clock, TICK_MS, () => this.tick()),
    );
    await this.register().catch((error: unknown) => this.rejoin(`registration failed: ${errorMessage(error)}`));
  }

  async leave(): Promise<void> {
    this.leaving = true;
    this.cancelRejoin?.();
    this.cancelSummary?.();
    this.cancelSplitBrainCheck?.();
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    try {
      // Before the lease goes: the leader then takes this for a graceful leave, not a member down.
      if (this.registration) await this.markers.write(this.record.id, this.record.startedAt);
      await this.campaignHandle?.resign();
      await this.registration?.revoke();
    } finally {
      await this.options.backend.close();
    }
  }

  /**
   * Every member, with the leader (see leader()) marked, the clock skew of the others where known, and those whose
   * record is overdue marked stale (only while connected: cut off, this node cannot tell).
   */
  members(): Member[] {
    this.memberList ??= this.buildMembers();
    return this.memberList;
  }

  private buildMembers(): Member[] {
    const leaderId = this.leader()?.id;
    const now = this.options.clock.monotonic();
    const built = new Map<string, { record: MemberRecord; member: Member }>();
    const members = this.entries.map(({ record, lastSeen }) => {
      const self = record.id === this.record.id;
      const clockSkewMs = self ? undefined : this.skew.skewMs(record.id);
      const stale = !self && this.isStale(record.id, now);
      const leader = record.id === leaderId;
      const known = this.builtMembers.get(record.id);
      const member =
        known?.record === record &&
        known.member.leader === leader &&
        known.member.lastSeen === lastSeen &&
        known.member.clockSkewMs === clockSkewMs &&
        (known.member.stale ?? false) === stale
          ? known.member
          : Object.freeze({
              ...record,
              leader,
              lastSeen,
              ...(clockSkewMs === undefined ? {} : { clockSkewMs }),
              ...(stale ? { stale } : {}),
            });
      built.set(record.id, { record, member });
      return member;
    });
    this.builtMembers = built;
    // Shared by every caller until it changes (and checked once by the dispatcher): nobody may edit it.
    return Object.freeze(members) as Member[];
  }

  /** Only while connected: cut off, this node cannot tell. */
  private isStale(id: string, now: number): boolean {
    return this.connected && this.freshness.isStale(id, now);
  }

  /** Drops a member from the fleet facts' members down; only on the leader (conflict elsewhere). */
  forget(id: string): Promise<boolean> {
    return this.facts.forget(id);
  }

  /**
   * The leader as the backend shows it, while this node holds a registration. Its lease confirmed within the TTL
   * is what tells that the backend serves (reachable, with a quorum); past that the copy of the election may be
   * stale — the old leader steps down by itself, and nobody may go on naming it.
   */
  leader(): LeaderInfo | null {
    return this.registration ? this.observedLeader : null;
  }

  /** This node's fencing token while it leads, else null. */
  leadership(): LeaderInfo | null {
    return this.campaignHandle?.current() ?? null;
  }

  status(): ClusterStatus {
    const backend: BackendStatus = this.options.backend.status();
    return {
      backend: backend.kind,
      state: backend.state,
      lastError: backend.lastError,
      leader: this.leader(),
      facts: this.facts.latest(),
      leaderClaims: this.leaderClaims(),
    };
  }

  /** The last summary write failed: the next summary is written even if unchanged. */
  private summaryWriteFailed = false;

  /**
   * Publishes this node's summary on its member record, at most once per `summaryIntervalMs`; `urgent`
   * (a leadership change) publishes at once, so other members never see a stale leader claim for long.
   */
  publishSummary(summary: NodeSummary, urgent = false): void {
    // After a failed write the record out there is stale, even if this summary equals the last one we sent.
    const unchanged = !this.summaryWriteFailed && sameSummary(this.record.summary, summary);
    this.record = { ...this.record, summary };
    // An unchanged summary is written only as a heartbeat, so a quiet fleet does not churn every watcher.
    if (unchanged && !urgent && !this.heartbeatDue()) return;
    this.scheduleWrite(urgent);
  }

  private heartbeatMs(): number {
    return this.options.heartbeatMs ?? HEARTBEAT_MS;
  }

  private heartbeatDue(): boolean {
    return this.options.clock.monotonic() - this.lastPublishedAt >= this.heartbeatMs();
  }

  /** The heartbeat, even when no summary comes (a long resource interval), and staleness told as it changes. */
  private tick(): void {
    if (this.registration && !this.cancelSummary && this.heartbeatDue()) this.scheduleWrite(false);
    const now = this.options.clock.monotonic();
    const stale = this.entries
      .filter(({ record }) => record.id !== this.record.id && this.isStale(record.id, now))
      .map(({ record }) => record.id)
      .join();
    if (stale === this.staleTold) return;
    this.staleTold = stale;
    this.memberList = null;
    this.memberChanges.emit(this.members());
  }

  private scheduleWrite(urgent: boolean): void {
    if (urgent) {
      this.cancelSummary?.();
      this.cancelSummary = null;
      this.lastPublishedAt = -Infinity;
    }
    if (this.cancelSummary) return; // a publish is already scheduled; it will carry this summary
    const wait = this.lastPublishedAt + (this.options.summaryIntervalMs ?? 2000) - this.options.clock.monotonic();
    this.cancelSummary = this.options.clock.setTimer(
      () => {
        this.cancelSummary = null;
        this.lastPublishedAt = this.options.clock.monotonic();
        this.record = { ...this.record, publishedAt: this.options.clock.now() };
        this.registration?.update(this.record).then(
          () => (this.summaryWriteFailed = false),
          (error: unknown) => {
            this.summaryWriteFailed = true;
            this.options.logger.debug(
              { err: errorMessage(error) },
              'publishing the summary failed; the next one retries',
            );
          },
        );
      },
      Math.max(0, wait),
    );
  }

  onMembers(listener: (members: Member[]) => void): () => void {
    return this.memberChanges.add(listener);
  }

  onLeadership(listener: (leadership: LeaderInfo | null) => void): () => void {
    return this.leadershipChanges.add(listener);
  }

  onStatus(listener: (status: ClusterStatus) => void): () => void {
    return this.statusChanges.add(listener);
  }

  /** Told the ids of the members claiming leadership when split brain is confirmed. */
  onSplitBrain(listener: (claims: string[]) => void): () => void {
    return this.splitBrains.add(listener);
  }

  factsNow(): FleetFacts | null {
    return this.facts.latest();
  }

  private async register(): Promise<void> {
    const { backend, ttlSeconds, logger } = this.options;
    this.record = { ...this.record, publishedAt: this.options.clock.now() };
    const registration = await backend.register(this.record, ttlSeconds);
    this.registration = registration;
    registration.onLost((reason) => this.rejoin(reason));
    logger.info({ leaseId: registration.leaseId }, 'registered in the fleet');
    this.leaderViewChanged();
    if (!this.options.campaign) return;
    this.campaignHandle = backend.campaign(this.record.id, registration);
    this.campaignHandle.onChange((leadership) => {
      logger.info({ leadership }, leadership ? 'became leader' : 'not leader');
      this.leadershipChanges.emit(leadership);
      this.facts.leadershipChanged();
    });
  }

  private rejoin(reason: string): void {
    if (this.leaving || this.cancelRejoin) return;
    this.options.logger.warn({ reason }, 'not registered in the fleet; retrying');
    const hadLeadership = this.campaignHandle?.current() != null;
    this.campaignHandle = null;
    this.registration = null;
    if (hadLeadership) this.leadershipChanges.emit(null);
    this.leaderViewChanged();
    const attempt = () => {
      this.cancelRejoin = null;
      if (this.leaving) return;
      this.register().catch((error: unknown) => {
        this.options.logger.debug({ err: errorMessage(error) }, 'rejoin failed; retrying');
        this.cancelRejoin = this.options.clock.setTimer(attempt, this.options.rejoinDelayMs ?? 1000);
      });
    };
    this.cancelRejoin = this.options.clock.setTimer(attempt, 0);
  }

  private leaderClaims(): string[] {
    return this.entries.filter((entry) => entry.record.summary?.leaderClaim).map((entry) => entry.record.id);
  }

  /**
   * Two members acting as leader at once is split brain: say so loudly, once per episode. A hand-over shows
   * two claims for the moment the old leader's summary takes to update, so the claim must outlast that.
   */
  private checkLeaderClaims(): void {
    this.emitStatus();
    if (this.leaderClaims().length <= 1) {
      this.splitBrainReported = false;
      return;
    }
    if (this.splitBrainReported || this.cancelSplitBrainCheck) return;
    this.cancelSplitBrainCheck = this.options.clock.setTimer(() => {
      this.cancelSplitBrainCheck = null;
      const claims = this.leaderClaims();
      if (claims.length <= 1) return;
      this.splitBrainReported = true;
      this.options.logger.error({ claims }, 'split brain: more than one member claims leadership');
      this.splitBrains.emit(claims);
    }, SPLIT_BRAIN_GRACE_MS);
  }

  /** The watch delivers a member's record as it is written: its `publishedAt` against our clock now. */
  private estimateSkew(entries: MemberEntry[]): void {
    const receivedAt = this.options.clock.now();
    for (const { record } of entries) {
      if (record.id === this.record.id || record.publishedAt === undefined) continue;
      this.skew.observe(record.id, record.publishedAt, receivedAt);
      const skewMs = this.skew.skewMs(record.id);
      const skewed = skewMs !== undefined && Math.abs(skewMs) > CLOCK_SKEW_WARNING_MS;
      // Once per episode, in the log of a headless agent too.
      if (skewed && !this.skewedMembers.has(record.id)) {
        this.skewedMembers.add(record.id);
        this.options.logger.warn({ memberId: record.id, skewMs }, "a member's clock is off from ours");
      } else if (!skewed && this.skewedMembers.delete(record.id)) {
        this.options.logger.info({ memberId: record.id, skewMs }, "a member's clock agrees with ours again");
      }
    }
    const listed = new Set(entries.map((entry) => entry.record.id));
    this.skew.retain(listed);
    for (const id of this.skewedMembers) if (!listed.has(id)) this.skewedMembers.delete(id);
  }

  private leaderViewChanged(): void {
    this.memberList = null;
    this.memberChanges.emit(this.members());
    this.emitStatus();
  }

  private emitStatus(): void {
    this.statusChanges.emit(this.status());
  }
}
