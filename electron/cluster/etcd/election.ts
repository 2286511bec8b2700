/*
 * Leader election over the plain KV API, the etcd election recipe done by hand.
 *
 * Why not etcd3's `Election`: its campaign waits for the deletion of the one key just before ours and then
 * declares victory without looking again, so when a candidate in the middle of the queue leaves, the next one
 * "wins" while the real leader still holds the head (microsoft/etcd3#176: two leaders). It does not tie
 * leadership to the lease's keepalive, so a leader cut off from etcd keeps acting, and after an outage its
 * session lease and the election disagree (microsoft/etcd3#158: two leaders, or none, after an etcd restart).
 * And etcd's own Observe reports the first PUT it sees after an empty read, which may be a candidate that is
 * not the head, or already gone (etcd-io/etcd#18163). So:
 *
 * - A candidate key `<election prefix><lease id>` is created bound to the registration's lease, with a txn
 *   `createRevision == 0` (re-campaigning on the same lease keeps the existing key and its place).
 * - Every decision is made from a live copy of the whole election prefix (list, then watch from the list's
 *   revision + 1, re-listed after any watch trouble): the leader is the key with the lowest create revision.
 *   Create revisions only grow, so once our key is the head it stays the head until it is deleted, and a
 *   deletion anywhere is seen in that copy: no single-key wait that a middle candidate's exit can fool.
 * - Winning, the candidate writes `since` into its value (txn: still our key, same create revision); only
 *   then does `current()` return the fencing token. The token also requires that the lease's keepalive was
 *   confirmed within the TTL minus a margin (see LeaseKeeper): a leader cut off from etcd stops acting
 *   before its lease can have expired on the server, i.e. before anybody else can have been elected.
 * - Observers report the head only once it has written `since`, and null when the prefix is empty.
 * - Fenced writes (`put(..., { fence })`) compare, atomically with the write, that the leader's key still
 *   exists with the token's create revision and lease, and that no key under the prefix is older.
 */
import type { Etcd3 } from 'etcd3';
import type { LeaderInfo } from '../../../shared/node.js';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { Listeners } from '../../core/listeners.js';
import type { Logger } from '../../core/logger.js';
import { decodeElection, type ElectionValue } from '../codecs.js';
import type { Campaign, Unsubscribe } from '../coordination-backend.js';
import type { ConnectionHealth } from './connection-health.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { PrefixMirror, prefixEnd, type MirroredKey } from './prefix-mirror.js';

export interface ElectionViewOptions {
  client: Etcd3;
  prefix: string;
  clock: Clock;
  logger: Logger;
  health: ConnectionHealth;
}

/** The live copy of the election prefix, shared by a backend's campaigns and leader observers. */
export class ElectionView {
  private mirror: PrefixMirror | null = null;
  private readonly listeners: Listeners<void>;
  private readonly decoded = new Map<string, { modRevision: bigint; value: ElectionValue | null }>();

  constructor(private readonly options: ElectionViewOptions) {
    this.listeners = new Listeners((error) => options.logger.error({ err: error }, 'an election listener failed'));
  }

  /** Starts the copy with the first subscriber, stops it with the last. `listener` runs after every change. */
  subscribe(listener: () => void): Unsubscribe {
    const remove = this.listeners.add(listener);
    if (!this.mirror) {
      this.mirror = new PrefixMirror({ ...this.options, onChange: () => this.listeners.emit() });
      this.mirror.start();
    } else if (this.mirror.ready) {
      queueMicrotask(listener);
    }
    return () => {
      remove();
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    this.mirror?.stop();
    this.mirror = null;
  }

  get ready(): boolean {
    return this.mirror?.ready ?? false;
  }

  get revision(): bigint {
    return this.mirror?.revision ?? 0n;
  }

  get(key: string): MirroredKey | undefined {
    return this.mirror?.get(key);
  }

  /** The oldest candidacy: the leader, if it has claimed. */
  head(): MirroredKey | undefined {
    let head: MirroredKey | undefined;
    for (const entry of this.mirror?.entries() ?? []) {
      if (!head || entry.createRevision < head.createRevision) head = entry;
    }
    return head;
  }

  /** The leader as observers see it: the head, once it has written `since`; null when there is none. */
  leader(): LeaderInfo | null {
    const head = this.head();
    if (!head) return null;
    const value = this.decode(head);
    if (!value || value.since === null) return null;
    return { id: value.id, leaseId: head.lease, revision: String(head.createRevision), since: value.since };
  }

  /** Decodes once per version, so a malformed value is warned about once, not on every change. */
  private decode(entry: MirroredKey): ElectionValue | null {
    const cached = this.decoded.get(entry.key);
    if (cached?.modRevision === entry.modRevision) return cached.value;
    const value = decodeElection(entry.key, entry.value, this.options.logger);
    this.decoded.set(entry.key, { modRevision: entry.modRevision, value });
    if (this.decoded.size > 1000) this.decoded.clear();
    return value;
  }
}

export interface CampaignOptions {
  client: Etcd3;
  view: ElectionView;
  electionPrefix: string;
  memberId: string;
  keeper: LeaseKeeper;
  clock: Clock;
  logger: Logger;
  health: ConnectionHealth;
  /** Called once when the campaign ends (resigned, lease gone, stopped). */
  onEnd?(): void;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2000;

/** A standing candidacy (see the top of this file). */
export class EtcdCampaign implements Campaign {
  private readonly key: string;
  private createRevision: bigint | null = null;
  private since: number | null = null;
  private head = false;
  private ended = false;
  private joining = false;
  private claiming = false;
  private reported: LeaderInfo | null = null;
  private retryMs = RETRY_MIN_MS;
  private retryPending = false;
  private cancelFenceTimer: () => void = () => {};
  private cancelRetryTimer: () => void = () => {};
  private readonly unsubscribes: Unsubscribe[] = [];
  private readonly changes: Listeners<LeaderInfo | null>;

  constructor(private readonly options: CampaignOptions) {
    this.key = `${options.electionPrefix}${options.keeper.id}`;
    this.changes = new Listeners((error) => options.logger.error({ err: error }, 'a leadership listener failed'));
    if (!options.keeper.held) {
      this.ended = true;
      return;
    }
    this.unsubscribes.push(
      options.view.subscribe(() => this.reevaluate()),
      options.keeper.onChange(() => this.reevaluate()),
      options.keeper.onLost(() => this.end()),
    );
    void this.join();
  }

  current(): LeaderInfo | null {
    if (this.ended || !this.head || this.since === null || this.createRevision === null) return null;
    if (this.options.clock.monotonic() >= this.options.keeper.fencedUntil()) return null;
    return {
      id: this.options.memberId,
      leaseId: this.options.keeper.id,
      revision: String(this.createRevision),
      since: this.since,
    };
  }

  onChange(listener: (leadership: LeaderInfo | null) => void): Unsubscribe {
    return this.changes.add(listener);
  }

  async resign(): Promise<void> {
    if (this.ended) return;
    const createRevision = this.createRevision;
    this.end();
    if (createRevision === null) return;
    const { client, health, logger } = this.options;
    try {
      // Only our own incarnation of the key: never a newer one created on the same lease.
      await client.kv.txn({
        compare: [
          { key: Buffer.from(this.key), target: 'Create', result: 'Equal', create_revision: String(createRevision) },
        ],
        success: [{ request_delete_range: { key: Buffer.from(this.key) } }],
        failure: [],
      });
      health.succeeded();
    } catch (error) {
      health.failed(error);
      logger.warn({ err: errorMessage(error) }, 'could not withdraw the candidacy; it ends with the lease');
    }
  }

  /** Puts our candidate key at the back of the queue, or finds it there. Retries until it works or we end. */
  private async join(): Promise<void> {
    if (this.ended || this.joining) return;
    this.joining = true;
    const { client, keeper, memberId, health } = this.options;
    const key = Buffer.from(this.key);
    try {
      const response = await client.kv.txn({
        compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [
          {
            request_put: {
              key,
              value: Buffer.from(JSON.stringify({ id: memberId, since: null } satisfies ElectionValue)),
              lease: keeper.id,
            },
          },
        ],
        failure: [{ request_range: { key } }],
      });
      health.succeeded();
      this.retryMs = RETRY_MIN_MS;
      const existing = response.succeeded ? undefined : response.responses[0]?.response_range?.kvs[0];
      this.createRevision = BigInt(existing ? existing.create_revision : response.header.revision);
      this.options.logger.debug({ key: this.key, revision: String(this.createRevision) }, 'campaigning');
    } catch (error) {
      keeper.noteRequestError(error);
      this.retryLater();
    } finally {
      this.joining = false;
    }
    this.reevaluate();
  }

  /** Writes `since` into our value once we are the head; leadership starts when etcd has it. */
  private async claim(): Promise<void> {
    if (this.claiming || this.createRevision === null) return;
    this.claiming = true;
    const { client, keeper, memberId, health, clock } = this.options;
    const createRevision = this.createRevision;
    const since = clock.now();
    const key = Buffer.from(this.key);
    try {
      const response = await client.kv.txn({
        compare: [{ key, target: 'Create', result: 'Equal', create_revision: String(createRevision) }],
        success: [
          {
            request_put: {
              key,
              value: Buffer.from(JSON.stringify({ id: memberId, since } satisfies ElectionValue)),
              lease: keeper.id,
            },
          },
        ],
        failure: [],
      });
      health.succeeded();
      // Failing the compare means our key is gone; the view will show it and we join again.
      if (response.succeeded && this.createRevision === createRevision) this.since = since;
    } catch (error) {
      keeper.noteRequestError(error);
      this.retryLater();
    } finally {
      this.claiming = false;
    }
    this.reevaluate();
  }

  /** Stops without withdrawing (the backend closes): the key goes with the lease. */
  stop(): void {
    this.end();
  }

  private reevaluate(): void {
    if (this.ended) return;
    const { view, keeper, clock, logger } = this.options;
    if (!keeper.held) return this.end();
    const createRevision = this.createRevision;
    if (createRevision === null || !view.ready) return this.report();
    const entry = view.get(this.key);
    if (!entry || entry.createRevision !== createRevision) {
      if (view.revision >= createRevision) {
        // Our key was deleted (by hand: the lease still holds) while we stood: queue up again.
        logger.info({ key: this.key }, 'our candidate key disappeared; campaigning again');
        this.createRevision = null;
        this.since = null;
        this.head = false;
        void this.join();
      }
      return this.report();
    }
    this.head = view.head()?.key === this.key;
    if (!this.head) this.since = null;
    else if (this.since === null && !this.retryPending) void this.claim();
    this.report();
    // Step down by ourselves when the keepalive confirmation runs out; a later confirmation re-evaluates.
    this.cancelFenceTimer();
    if (this.current()) {
      const untilFence = keeper.fencedUntil() - clock.monotonic();
      this.cancelFenceTimer = clock.setTimer(() => this.reevaluate(), Math.max(0, untilFence));
    }
  }

  private report(): void {
    const next = this.current();
    if (JSON.stringify(next) === JSON.stringify(this.reported)) return;
    this.reported = next;
    this.changes.emit(next);
  }

  private retryLater(): void {
    if (this.ended) return;
    this.cancelRetryTimer();
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryPending = true;
    this.cancelRetryTimer = this.options.clock.setTimer(() => {
      this.retryPending = false;
      if (this.createRevision === null) void this.join();
      else this.reevaluate();
    }, delay);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.head = false;
    this.cancelFenceTimer();
    this.cancelRetryTimer();
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.report();
    this.options.onEnd?.();
  }
}

/**
 * The compare part of a fenced write: the leader's key still exists with the token's create revision and
 * lease, and no key under the election prefix is older (it is still the head). etcd checks it atomically
 * with the write.
 */
export function fenceCompares(electionPrefix: string, fence: LeaderInfo) {
  const key = Buffer.from(`${electionPrefix}${fence.leaseId}`);
  return [
    { key, target: 'Create' as const, result: 'Equal' as const, create_revision: fence.revision },
    { key, target: 'Lease' as const, result: 'Equal' as const, lease: fence.leaseId },
    {
      key: Buffer.from(electionPrefix),
      range_end: prefixEnd(electionPrefix),
      target: 'Create' as const,
      result: 'Greater' as const,
      create_revision: String(BigInt(fence.revision) - 1n),
    },
  ];
}
