import { FleetFacts, type DownMember, type LeaderInfo, type Member } from '../../shared/node.js';
import { repeat, type Clock } from '../core/clock.js';
import { CodedError } from '../core/coded-error.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { SerialRunner } from '../core/serial-runner.js';
import { decodeValue } from './codecs.js';
import { FencedError, type CoordinationBackend } from './coordination-backend.js';
import { Departures } from './departures.js';

const FACTS_KEY = 'fleet/facts';
const REFRESH_MS = 5000;

export interface FleetFactsOptions {
  backend: CoordinationBackend;
  clock: Clock;
  logger: Logger;
  selfId: string;
  /** How long a member gone without a graceful leave stays listed as down, from when the leader found it gone. */
  downRetentionMs: number;
  leadership(): LeaderInfo | null;
  members(): Member[];
  onFacts(facts: FleetFacts): void;
}

/** What the facts say, without when they were computed: a write is due only when this changes. */
const content = ({ computedAt: _computedAt, ...rest }: FleetFacts): string => JSON.stringify(rest);

const downMember = ({ id, name, lastSeen, role, labels, version, summary }: Member, downSince: number): DownMember => ({
  id,
  name,
  lastSeen,
  downSince,
  role,
  labels,
  version,
  ...(summary ? { summary } : {}),
});

/**
 * Fleet-level facts (members up and down, unhealthy members): computed by the leader only, written fenced by
 * its leadership so a deposed leader's write is refused by the backend, and read by everyone. Written only
 * when they change: every member receives every write, so rewriting them on each summary change would make
 * the traffic grow with the square of the fleet.
 *
 * Members down are agents gone without a graceful leave, with their last record. The list lives in the facts, so it
 * outlasts a failover or a restart: a new leader carries on the list it finds in the backend.
 */
export class FleetFactsKeeper {
  private current: FleetFacts | null = null;
  /** The content of the last write that succeeded; null after a failed one. */
  private written: string | null = null;
  /** Members down as this leadership keeps them, taken over from the facts when it begins. */
  private down = new Map<string, DownMember>();
  /** The leadership (`leaseId@revision`) `down` belongs to. */
  private term: string | null = null;
  /** Settles true once the facts in the backend were read: a new leader must not start the list afresh. */
  private loaded: Promise<boolean> | null = null;
  private readonly departures: Departures;
  private readonly runner: SerialRunner;
  private readonly forgets: ForgetRequest[] = [];

  constructor(private readonly options: FleetFactsOptions) {
    this.departures = new Departures(options);
    this.runner = new SerialRunner(
      () => this.pass(),
      (error) => options.logger.warn({ err: errorMessage(error) }, 'computing the fleet facts failed'),
    );
  }

  /** Watches the facts key and refreshes them while leading; returns a stop function. */
  start(): () => void {
    const { backend, logger, clock } = this.options;
    const unwatch = backend.watch(FACTS_KEY, (event) => {
      if (event.type !== 'put') return;
      const facts = decodeValue(FleetFacts, event.entry.key, event.entry.value, logger);
      if (facts) this.accept(facts);
    });
    void this.load();
    const stopRefresh = repeat(clock, REFRESH_MS, () => this.runner.trigger());
    return () => {
      unwatch();
      stopRefresh();
      this.runner.stop();
      this.refuseForgets();
    };
  }

  latest(): FleetFacts | null {
    return this.current;
  }

  membersChanged(members: readonly Member[]): void {
    this.departures.observe(members);
    this.runner.trigger();
  }

  leadershipChanged(): void {
    this.runner.trigger();
  }

  /** Drops a member from the members down (true if it was listed); only while this node leads. */
  forget(id: string): Promise<boolean> {
    if (!this.options.leadership()) return Promise.reject(notLeading());
    return new Promise((resolve, reject) => {
      this.forgets.push({ id, resolve, reject });
      this.runner.trigger();
    });
  }

  private load(): Promise<boolean> {
    this.loaded ??= this.options.backend.get(FACTS_KEY).then(
      (entry) => {
        const facts = entry && decodeValue(FleetFacts, entry.key, entry.value, this.options.logger);
        if (facts && (!this.current || facts.computedAt > this.current.computedAt)) this.accept(facts);
        return true;
      },
      (error: unknown) => {
        this.options.logger.debug({ err: errorMessage(error) }, 'reading fleet facts failed');
        this.loaded = null;
        return false;
      },
    );
    return this.loaded;
  }

  private accept(facts: FleetFacts): void {
    const before = this.current;
    this.current = facts;
    if (!this.options.leadership()) {
      // A member the leader stopped listing was forgotten or retired (or is back): forget it here too, or this node
      // would list it again once it leads.
      const listed = new Set(facts.membersDown.map((member) => member.id));
      for (const { id } of before?.membersDown ?? []) if (!listed.has(id)) this.departures.forget(id);
    }
    this.options.onFacts(facts);
  }

  private async pass(): Promise<void> {
    const token = this.options.leadership();
    if (!token) {
      this.term = null;
      return this.refuseForgets();
    }
    if (!(await this.load())) return; // the next refresh reads again
    const term = `${token.leaseId}@${token.revision}`;
    if (term !== this.term) {
      this.term = term;
      this.written = null;
      this.down = new Map((this.current?.membersDown ?? []).map((member) => [member.id, member]));
    }
    const now = this.options.clock.now();
    const members = this.options.members();
    this.departures.observe(members);
    const crashed = await this.departures.crashedAgents();
    const present = new Set(members.map((m) => m.id));
    for (const id of this.down.keys()) if (present.has(id)) this.down.delete(id);
    for (const member of crashed) {
      if (!this.down.has(member.id) && !present.has(member.id)) this.down.set(member.id, downMember(member, now));
    }
    // Against the wall clock: `downSince` is an epoch stamp, carried from leader to leader.
    for (const [id, member] of this.down) {
      if (now - (member.downSince ?? member.lastSeen) < this.options.downRetentionMs) continue;
      this.down.delete(id);
      this.departures.forget(id);
    }
    const forgets = this.forgets.splice(0);
    const forgotten = forgets.map(({ id }) => {
      this.departures.forget(id);
      return this.down.delete(id);
    });
    const facts: FleetFacts = {
      computedAt: now,
      leaderId: token.id,
      membersUp: members.length,
      membersDown: [...this.down.values()].sort((a, b) => a.id.localeCompare(b.id)),
      unhealthy: members
        .filter((m) => m.summary?.health === 'critical' || m.summary?.health === 'flapping')
        .map((m) => m.id),
    };
    try {
      await this.write(facts, token);
    } catch (error) {
      const fenced = error instanceof FencedError;
      this.options.logger[fenced ? 'info' : 'debug']({ err: errorMessage(error) }, 'fleet facts not written');
      const refusal = fenced
        ? notLeading()
        : new CodedError('unavailable', `the fleet facts could not be written: ${errorMessage(error)}`);
      for (const request of forgets) request.reject(refusal);
      return;
    }
    forgets.forEach((request, index) => request.resolve(forgotten[index]!));
  }

  private async write(facts: FleetFacts, token: LeaderInfo): Promise<void> {
    const next = content(facts);
    if (next === this.written || (this.current && next === content(this.current))) return;
    try {
      await this.options.backend.put(FACTS_KEY, JSON.stringify(facts), { fence: token });
      this.written = next;
    } catch (error) {
      this.written = null;
      throw error;
    }
  }

  private refuseForgets(): void {
    for (const request of this.forgets.splice(0)) request.reject(notLeading());
  }
}

interface ForgetRequest {
  id: string;
  resolve(forgotten: boolean): void;
  reject(error: unknown): void;
}

const notLeading = () => new CodedError('conflict', 'only the leader forgets members, and this node does not lead now');
