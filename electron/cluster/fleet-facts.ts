import { FleetFacts, type LeaderInfo, type Member } from '../../shared/node.js';
import { repeat, type Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { decodeValue } from './codecs.js';
import { FencedError, type CoordinationBackend } from './coordination-backend.js';

const FACTS_KEY = 'fleet/facts';
const REFRESH_MS = 5000;
/** A member that left is listed as down for this long. */
const DOWN_MEMORY_MS = 24 * 3_600_000;

export interface FleetFactsOptions {
  backend: CoordinationBackend;
  clock: Clock;
  logger: Logger;
  leadership(): LeaderInfo | null;
  members(): Member[];
  onFacts(facts: FleetFacts): void;
}

/** What the facts say, without when they were computed: a write is due only when this changes. */
const content = ({ computedAt: _computedAt, ...rest }: FleetFacts): string => JSON.stringify(rest);

/**
 * Fleet-level facts (members up and down, unhealthy members): computed by the leader only, written fenced by
 * its leadership so a deposed leader's write is refused by the backend, and read by everyone. Written only
 * when they change: every member receives every write, so rewriting them on each summary change would make
 * the traffic grow with the square of the fleet.
 */
export class FleetFactsKeeper {
  private current: FleetFacts | null = null;
  /** The content of the last write that succeeded or is under way; null after a failed one. */
  private written: string | null = null;
  private readonly seen = new Map<string, { name: string; lastSeen: number }>();

  constructor(private readonly options: FleetFactsOptions) {}

  /** Watches the facts key and refreshes them while leading; returns a stop function. */
  start(): () => void {
    const { backend, logger, clock } = this.options;
    const unwatch = backend.watch(FACTS_KEY, (event) => {
      if (event.type !== 'put') return;
      const facts = decodeValue(FleetFacts, event.entry.key, event.entry.value, logger);
      if (facts) this.accept(facts);
    });
    backend
      .get(FACTS_KEY)
      .then((entry) => {
        const facts = entry && decodeValue(FleetFacts, entry.key, entry.value, logger);
        if (facts && (!this.current || facts.computedAt > this.current.computedAt)) this.accept(facts);
      })
      .catch((error: unknown) => logger.debug({ err: errorMessage(error) }, 'reading fleet facts failed'));
    const stopRefresh = repeat(clock, REFRESH_MS, () => void this.compute());
    return () => {
      unwatch();
      stopRefresh();
    };
  }

  latest(): FleetFacts | null {
    return this.current;
  }

  membersChanged(): void {
    void this.compute();
  }

  leadershipChanged(): void {
    void this.compute();
  }

  private accept(facts: FleetFacts): void {
    this.current = facts;
    // Seed what a new leader knows about departed members from its predecessor's facts.
    for (const down of facts.membersDown) {
      if (!this.seen.has(down.id)) this.seen.set(down.id, { name: down.name, lastSeen: down.lastSeen });
    }
    this.options.onFacts(facts);
  }

  private async compute(): Promise<void> {
    const token = this.options.leadership();
    if (!token) return;
    const now = this.options.clock.now();
    const members = this.options.members();
    for (const member of members) this.seen.set(member.id, { name: member.name, lastSeen: member.lastSeen });
    const present = new Set(members.map((m) => m.id));
    const membersDown = [...this.seen.entries()]
      .filter(([id, info]) => !present.has(id) && now - info.lastSeen < DOWN_MEMORY_MS)
      .map(([id, info]) => ({ id, name: info.name, lastSeen: info.lastSeen }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const facts: FleetFacts = {
      computedAt: now,
      leaderId: token.id,
      membersUp: members.length,
      membersDown,
      unhealthy: members
        .filter((m) => m.summary?.health === 'critical' || m.summary?.health === 'flapping')
        .map((m) => m.id),
    };
    const next = content(facts);
    if (next === this.written || (this.current && next === content(this.current))) return;
    this.written = next;
    try {
      await this.options.backend.put(FACTS_KEY, JSON.stringify(facts), { fence: token });
    } catch (error) {
      if (this.written === next) this.written = null;
      const level = error instanceof FencedError ? 'info' : 'debug';
      this.options.logger[level]({ err: errorMessage(error) }, 'fleet facts not written');
    }
  }
}
