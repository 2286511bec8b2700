import type { AlertAck } from '../../shared/alert-lifecycle.js';
import type { FleetAlertRecord } from '../../shared/fleet-alerts.js';
import type { FleetRule } from '../../shared/fleet-rules.js';
import type { LeaderInfo, Member } from '../../shared/node.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { Departures } from '../cluster/departures.js';
import { repeat, type Clock } from '../core/clock.js';
import { CodedError } from '../core/coded-error.js';
import type { Logger } from '../core/logger.js';
import { SerialRunner } from '../core/serial-runner.js';
import { FleetAlertBook } from './fleet-alert-book.js';
import { fleetConditions, type FleetView } from './fleet-conditions.js';

export interface FleetRulesLeaderDeps {
  backend: CoordinationBackend;
  clock: Clock;
  logger: Logger;
  nodeId: string;
  /** The rules in force (defaults and saved ones). */
  rules(): FleetRule[];
  members(): Member[];
  /** Members claiming leadership now. */
  leaderClaims(): string[];
  /** This node's fencing token while it leads, else null. */
  leadership(): LeaderInfo | null;
}

/** Conditions are looked at this often, so a grace period or `forSeconds` ends on time. */
const TICK_MS = 1000;

/**
 * The fleet rules, evaluated by the leader only: each condition that holds long enough raises one fleet alert, and
 * the alert resolves once it stops holding. A new leadership starts from the fleet alerts in the backend, so an
 * alert open before a failover is carried on, never raised twice. Departures are watched on every node, so a new
 * leader also knows who vanished before it led.
 */
export class FleetRulesLeader {
  private readonly departures: Departures;
  private readonly runner: SerialRunner;
  private book: FleetAlertBook | null = null;
  private term: string | null = null;
  /** When each condition began to hold, on the monotonic clock (within this leadership). */
  private readonly holding = new Map<string, number>();
  /** Acknowledgements asked for, made by the next pass (which alone writes the fleet's alerts). */
  private readonly acks: AckRequest[] = [];

  constructor(private readonly deps: FleetRulesLeaderDeps) {
    this.departures = new Departures({ ...deps, selfId: deps.nodeId });
    this.runner = new SerialRunner(
      () => this.pass(),
      (error) => deps.logger.error({ err: error }, 'evaluating the fleet rules failed'),
    );
  }

  /** Members or leadership changed (on every node, leading or not). */
  changed(): void {
    this.departures.observe(this.deps.members());
    this.runner.trigger();
  }

  /** Evaluates on every tick while this node leads; returns the function that stops it. */
  lead(): () => void {
    const stopTicks = repeat(this.deps.clock, TICK_MS, () => this.runner.trigger());
    this.runner.trigger();
    return stopTicks;
  }

  stop(): void {
    this.runner.stop();
    this.refuseAcks();
  }

  /** Acknowledges (null: unacknowledges) an open fleet alert; only while this node leads. */
  acknowledge(localId: number, ack: AlertAck | null): Promise<FleetAlertRecord> {
    if (!this.deps.leadership()) return Promise.reject(notLeading());
    return new Promise((resolve, reject) => {
      this.acks.push({ localId, ack, resolve, reject });
      this.runner.trigger();
    });
  }

  private refuseAcks(): void {
    for (const request of this.acks.splice(0)) request.reject(notLeading());
  }

  private async pass(): Promise<void> {
    const { clock, logger } = this.deps;
    const token = this.deps.leadership();
    const term = token && `${token.leaseId}@${token.revision}`;
    if (term !== this.term) {
      this.term = term;
      this.book = null;
      this.holding.clear();
    }
    if (!token) return this.refuseAcks();
    this.book ??= await FleetAlertBook.load({ backend: this.deps.backend, logger, token });
    const book = this.book;
    for (const request of this.acks.splice(0)) {
      await book.acknowledge(request.localId, request.ack).then(request.resolve, request.reject);
    }
    const members = this.deps.members();
    this.departures.observe(members);
    const view: FleetView = {
      members,
      down: await this.downAgents(book, members),
      leaderClaims: this.deps.leaderClaims(),
    };
    const conditions = new Map(fleetConditions(this.deps.rules(), view).map((c) => [c.subject, c]));
    const now = clock.now();
    const monotonic = clock.monotonic();
    for (const subject of this.holding.keys()) if (!conditions.has(subject)) this.holding.delete(subject);
    try {
      for (const condition of conditions.values()) {
        const since = this.holding.get(condition.subject) ?? monotonic;
        this.holding.set(condition.subject, since);
        if (book.labelsOf(condition.subject) || monotonic - since < condition.holdForMs) continue;
        // Whole milliseconds: the monotonic clock has fractions, and a record holds epoch milliseconds.
        await book.raise(condition, Math.round(now - (monotonic - since)), now);
      }
      for (const subject of book.openSubjects()) if (!conditions.has(subject)) await book.resolve(subject, now);
      await book.lapseAcks(now);
    } catch (error) {
      // A write may have landed without its answer: the next pass reads the records again rather than guess.
      this.book = null;
      throw error;
    }
  }

  /** Agents gone without a graceful leave, and the members of open "member down" alerts not back yet. */
  private async downAgents(book: FleetAlertBook, members: Member[]): Promise<FleetView['down']> {
    const present = new Set(members.map((member) => member.id));
    const down = new Map((await this.departures.crashedAgents()).map((gone) => [gone.id, gone.name]));
    for (const subject of book.openSubjects()) {
      const member = book.labelsOf(subject)?.['member'];
      if (member !== undefined && !present.has(member) && !down.has(member)) down.set(member, member);
    }
    return [...down].map(([id, name]) => ({ id, name }));
  }
}

interface AckRequest {
  localId: number;
  ack: AlertAck | null;
  resolve(record: FleetAlertRecord): void;
  reject(error: unknown): void;
}

const notLeading = () =>
  new CodedError('conflict', 'only the leader acknowledges fleet alerts, and this node does not lead now');
