import type { Etcd3, IKeyValue } from 'etcd3';
import type { LeaderInfo, MemberRecord } from '../../../shared/node.js';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { Listeners } from '../../core/listeners.js';
import type { Logger } from '../../core/logger.js';
import { coalesce } from '../../core/coalesce.js';
import { decodeMember } from '../codecs.js';
import {
  checkAtomicWrites,
  ConflictError,
  type AtomicWrite,
  FencedError,
  type BackendStatus,
  type Campaign,
  type ConnectOptions,
  type CoordinationBackend,
  type KvEntry,
  type KvEvent,
  type MemberEntry,
  type PutOptions,
  type Registration,
  type Unsubscribe,
} from '../coordination-backend.js';
import { fleetKeys, type FleetKeys } from '../fleet-keys.js';
import { ConnectionHealth } from './connection-health.js';
import { ElectionView, EtcdCampaign, fenceCompares } from './election.js';
import {
  createEtcdClient,
  DEFAULT_DIAL_TIMEOUT_MS,
  describeEtcdError,
  NoQuorumError,
  type EtcdConnectionOptions,
} from './etcd-client.js';
import { LeaseKeeper } from './lease-keeper.js';
import { QuorumCheck } from './quorum-check.js';
import { PrefixMirror, prefixEnd, type MirroredKey } from './prefix-mirror.js';

export { testEtcdConnection } from './test-etcd-connection.js';
export type { EtcdConnectionOptions } from './etcd-client.js';

export interface EtcdBackendOptions extends EtcdConnectionOptions {
  cluster: string;
  clock: Clock;
  logger: Logger;
}

/** How long register() waits for the revoke of a lease lost in an outage, so the new record is not revoked with it. */
const CLEANUP_WAIT_MS = 2000;

/** A lease granted by connect() for the next register() (see there). */
interface LeaseAhead {
  ttlSeconds: number;
  /** The lease once granted; null if the grant failed or the backend closed meanwhile. */
  ready: Promise<LeaseKeeper | null>;
  keeper: LeaseKeeper | null;
  /** `taken` by a registration, or `dropped` (lost, replaced, closed): either way nobody else may use it. */
  state: 'waiting' | 'taken' | 'dropped';
}

/**
 * The etcd adapter: membership on leases kept alive by etcd3, leader election with fencing (see election.ts),
 * and shared values under the fleet prefix.
 *
 * Member `lastSeen` is when this backend last saw the member's record: the last write of it that a watch
 * delivered, or the last successful list that contained it (listMembers() lists, so there it is "now").
 * A member whose lease expires disappears from the list, so a listed member is alive as of that moment.
 *
 * connect() resolves once etcd answers and rejects with the reason when it does not; the backend stays usable
 * either way and reconnects by itself: every request retries on the other endpoints, watches list again,
 * and the status goes `lost` and back to `connected` as etcd comes and goes.
 *
 * Told the lease TTL, connect() also grants the lease of the coming registration (and its keepalive starts),
 * so that register() is a single put into a live lease: what other members wait for is that one write.
 */
/** The least time between two member lists while records keep changing. */
const MEMBER_LIST_INTERVAL_MS = 200;

export class EtcdBackend implements CoordinationBackend {
  readonly kind = 'etcd' as const;
  private readonly keys: FleetKeys;
  private readonly client: Etcd3;
  private readonly quorum: QuorumCheck;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly health: ConnectionHealth;
  private readonly election: ElectionView;
  private readonly describe: (error: unknown) => string;
  private readonly registrations = new WeakMap<Registration, LeaseKeeper>();
  private readonly keepers = new Set<LeaseKeeper>();
  private readonly campaigns = new Set<EtcdCampaign>();
  private readonly cleanups = new Set<Promise<void>>();
  private readonly stoppers = new Set<() => void>();
  private readonly decodedMembers = new Map<string, { modRevision: string; record: MemberRecord | null }>();
  private membersMirror: PrefixMirror | null = null;
  /** The mirrored member keys in order, until a key comes or goes (a record rewritten keeps its place). */
  private memberOrder: string[] | null = null;
  private memberListRuns: { trigger(): void; cancel(): void } | null = null;
  private leaseAhead: LeaseAhead | null = null;
  private readonly memberListeners: Listeners<MemberEntry[]>;
  private closed = false;

  constructor(private readonly options: EtcdBackendOptions) {
    this.keys = fleetKeys(options.cluster);
    this.clock = options.clock;
    this.logger = options.logger;
    this.describe = (error) => describeEtcdError(error, options.endpoints);
    this.client = createEtcdClient(options);
    this.quorum = new QuorumCheck(options);
    this.health = new ConnectionHealth({
      clock: this.clock,
      logger: this.logger,
      describe: this.describe,
      probe: () => this.probe(),
      probeIntervalMs: Math.min(1000, options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS),
    });
    this.election = new ElectionView({
      client: this.client,
      prefix: this.keys.election,
      clock: this.clock,
      logger: this.logger,
      health: this.health,
    });
    this.memberListeners = this.listeners();
  }

  /**
   * With `leaseTtlSeconds`, grants the lease for the next register() at the same time as the first contact and
   * waits for both. A failed grant does not fail connect(): register() then grants a lease itself.
   */
  async connect(options: ConnectOptions = {}): Promise<void> {
    const ahead = options.leaseTtlSeconds ? this.grantAhead(options.leaseTtlSeconds) : null;
    await this.health.connect();
    await ahead;
  }

  /** Stops keepalives and watches and closes the client. Leases are not revoked (as after a crash). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const campaign of [...this.campaigns]) campaign.stop();
    this.campaigns.clear();
    for (const stop of this.stoppers) stop();
    this.stoppers.clear();
    this.stopMembersMirror();
    this.election.stop();
    this.dropLeaseAhead();
    for (const keeper of this.keepers) keeper.release();
    this.keepers.clear();
    this.health.close();
    this.client.close();
    this.quorum.close();
  }

  status(): BackendStatus {
    return this.health.status();
  }

  onStatus(listener: (status: BackendStatus) => void): Unsubscribe {
    return this.health.onStatus(listener);
  }

  async register(record: MemberRecord, ttlSeconds: number): Promise<Registration> {
    this.assertOpen();
    await this.awaitCleanups();
    const key = this.keys.member(record.id);
    const value = JSON.stringify(record);
    // One put into the lease connect() granted ahead; a new lease when there is none, or it was lost before
    // the put could bind the record to it.
    let keeper = await this.takeLeaseAhead(ttlSeconds);
    if (keeper && !(await this.bindRecord(keeper, key, value, true))) keeper = null;
    if (!keeper) {
      keeper = await this.grantLease(ttlSeconds);
      await this.bindRecord(keeper, key, value, false);
    }
    this.keepers.add(keeper);
    keeper.onLost(() => {
      this.keepers.delete(keeper);
      this.cleanUpAfter(keeper);
    });
    const registration: Registration = {
      leaseId: keeper.id,
      update: (next) => keeper.put(key, JSON.stringify(next)),
      onLost: (listener) => keeper.onLost(listener),
      revoke: async () => {
        this.keepers.delete(keeper);
        await keeper.revoke();
      },
    };
    this.registrations.set(registration, keeper);
    return registration;
  }

  async listMembers(): Promise<MemberEntry[]> {
    const kvs = await this.range(this.keys.members);
    const now = this.clock.now();
    const entries = kvs.flatMap((kv) => {
      const record = this.decodeMember(kv.key.toString(), kv.value.toString(), kv.mod_revision, String(kv.lease));
      return record ? [{ record, lastSeen: now }] : [];
    });
    const listed = new Set(kvs.map((kv) => kv.key.toString()));
    this.keepDecoded((key) => listed.has(key) || this.membersMirror?.get(key) !== undefined);
    return entries;
  }

  watchMembers(listener: (members: MemberEntry[]) => void): Unsubscribe {
    this.assertOpen();
    const remove = this.memberListeners.add(listener);
    if (!this.membersMirror) {
      // A fleet of thousands writes its records hundreds of times a second: the list goes out at once after a quiet
      // spell, then at most once per MEMBER_LIST_INTERVAL_MS with every change meanwhile.
      const listRuns = coalesce(this.clock, MEMBER_LIST_INTERVAL_MS, () =>
        this.memberListeners.emit(this.mirroredMembers(mirror)),
      );
      const mirror = new PrefixMirror({
        client: this.client,
        prefix: this.keys.members,
        clock: this.clock,
        logger: this.logger,
        health: this.health,
        onChange: (changes, resynced) => {
          const keysChanged = changes.some(
            (change) => change.type === 'delete' || change.entry.createRevision === change.entry.modRevision,
          );
          if (resynced || keysChanged) this.memberOrder = null;
          listRuns.trigger();
        },
      });
      this.membersMirror = mirror;
      this.memberListRuns = listRuns;
      mirror.start();
    } else if (this.membersMirror.ready) {
      const mirror = this.membersMirror;
      queueMicrotask(() => listener(this.mirroredMembers(mirror)));
    }
    return () => {
      remove();
      if (this.memberListeners.size === 0) this.stopMembersMirror();
    };
  }

  campaign(memberId: string, registration: Registration): Campaign {
    this.assertOpen();
    const keeper = this.registrations.get(registration);
    if (!keeper) throw new Error('campaign() needs a registration made by this etcd backend');
    const campaign = new EtcdCampaign({
      client: this.client,
      view: this.election,
      electionPrefix: this.keys.election,
      memberId,
      keeper,
      clock: this.clock,
      logger: this.logger,
      health: this.health,
      onEnd: () => this.campaigns.delete(campaign),
    });
    this.campaigns.add(campaign);
    return campaign;
  }

  observeLeader(listener: (leader: LeaderInfo | null) => void): Unsubscribe {
    this.assertOpen();
    let last: string | undefined;
    const unsubscribe = this.election.subscribe(() => {
      const leader = this.election.leader();
      const serialized = JSON.stringify(leader);
      if (serialized === last) return;
      last = serialized;
      listener(leader);
    });
    return this.track(unsubscribe);
  }

  async put(key: string, value: string, options: PutOptions = {}): Promise<string> {
    const { fence, ifRevision } = options;
    const request = { key: Buffer.from(this.keys.kv + key), value: Buffer.from(value) };
    if (!fence && ifRevision === undefined) {
      const response = await this.call(`write ${key}`, () => this.client.kv.put(request));
      return response.header.revision;
    }
    // A revision of 0 is etcd's "no such key": a create compares the key's create revision with it.
    const revisionCompare =
      ifRevision === undefined
        ? []
        : [
            ifRevision === null
              ? { key: request.key, target: 'Create' as const, result: 'Equal' as const, create_revision: 0 }
              : { key: request.key, target: 'Mod' as const, result: 'Equal' as const, mod_revision: ifRevision },
          ];
    const response = await this.call(`write ${key}`, () =>
      this.client.kv.txn({
        compare: [...(fence ? fenceCompares(this.keys.election, fence) : []), ...revisionCompare],
        success: [{ request_put: request }],
        // What the key is now tells which compare failed when both were given.
        failure: fence && ifRevision !== undefined ? [{ request_range: { key: request.key } }] : [],
      }),
    );
    if (response.succeeded) return response.header.revision;
    if (!fence) throw new ConflictError(key, ifRevision ?? null);
    if (ifRevision === undefined) throw new FencedError(fence);
    const current = response.responses[0]?.response_range?.kvs[0];
    if ((current ? current.mod_revision : null) === ifRevision) throw new FencedError(fence);
    // The revision moved on; whether the fence failed as well takes one more (read-only) compare.
    const fenceHolds = await this.call(`check the fence for ${key}`, () =>
      this.client.kv.txn({ compare: fenceCompares(this.keys.election, fence), success: [], failure: [] }),
    );
    throw fenceHolds.succeeded ? new ConflictError(key, ifRevision) : new FencedError(fence);
  }

  async putAll(writes: readonly AtomicWrite[]): Promise<string> {
    checkAtomicWrites(writes);
    const compare = writes.flatMap(({ key, ifRevision }) => {
      if (ifRevision === undefined) return [];
      const full = Buffer.from(this.keys.kv + key);
      return [
        ifRevision === null
          ? { key: full, target: 'Create' as const, result: 'Equal' as const, create_revision: 0 }
          : { key: full, target: 'Mod' as const, result: 'Equal' as const, mod_revision: ifRevision },
      ];
    });
    const success = writes.map(({ key, value }) => ({
      request_put: { key: Buffer.from(this.keys.kv + key), value: Buffer.from(value) },
    }));
    const response = await this.call(`write ${writes.length} keys`, () =>
      this.client.kv.txn({ compare, success, failure: [] }),
    );
    if (!response.succeeded) {
      const first = writes.find((write) => write.ifRevision !== undefined)!;
      throw new ConflictError(first.key, first.ifRevision ?? null);
    }
    return response.header.revision;
  }

  async get(key: string): Promise<KvEntry | null> {
    const response = await this.call(`read ${key}`, () =>
      this.client.kv.range({ key: Buffer.from(this.keys.kv + key) }),
    );
    const kv = response.kvs[0];
    return kv ? this.toEntry(kv) : null;
  }

  async list(prefix: string): Promise<KvEntry[]> {
    return (await this.range(this.keys.kv + prefix)).map((kv) => this.toEntry(kv));
  }

  async delete(key: string): Promise<void> {
    await this.call(`delete ${key}`, () => this.client.kv.deleteRange({ key: Buffer.from(this.keys.kv + key) }));
  }

  /** Changes under `prefix` from now on; after a re-list (outage, compaction) only what changed meanwhile. */
  watch(prefix: string, listener: (event: KvEvent) => void, onResync?: () => void): Unsubscribe {
    this.assertOpen();
    const base = this.keys.kv.length;
    let baseline = true;
    // When the first list fails (etcd down), watching starts only with a later list: what changed in between is
    // not in the events, so the consumer is told to list again.
    let lateBaseline = false;
    const health = this.health;
    const mirror = new PrefixMirror({
      client: this.client,
      prefix: this.keys.kv + prefix,
      clock: this.clock,
      logger: this.logger,
      health: {
        succeeded: () => health.succeeded(),
        failed: (error) => {
          if (baseline) lateBaseline = true;
          health.failed(error);
        },
      },
      onChange: (changes) => {
        if (baseline) {
          baseline = false; // the first list is where watching starts, not a change
          if (lateBaseline) onResync?.();
          return;
        }
        for (const change of changes) {
          listener(
            change.type === 'put'
              ? { type: 'put', entry: this.mirroredEntry(change.entry) }
              : { type: 'delete', key: change.key.slice(base), revision: String(change.revision) },
          );
        }
      },
    });
    mirror.start();
    return this.track(() => mirror.stop());
  }

  /**
   * One cheap linearizable request that only succeeds when etcd serves us (reachable, TLS and auth fine, and a
   * quorum). Failing, it finds out whether a lost quorum is the reason, which the request's own error never says.
   */
  private async probe(): Promise<void> {
    try {
      await this.client.kv.range({
        key: Buffer.from(this.keys.root),
        range_end: prefixEnd(this.keys.root),
        count_only: true,
      });
    } catch (error) {
      const noQuorum = this.closed ? null : await this.quorum.diagnose();
      throw noQuorum ? new NoQuorumError(noQuorum, { cause: error }) : error;
    }
  }

  private async range(prefix: string): Promise<IKeyValue[]> {
    const response = await this.call(`list ${prefix}`, () =>
      this.client.kv.range({ key: Buffer.from(prefix), range_end: prefixEnd(prefix) }),
    );
    return response.kvs;
  }

  /** Runs one request, feeding the connection state and turning failures into a clear message. */
  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      const result = await request();
      this.health.succeeded();
      return result;
    } catch (error) {
      this.health.failed(error);
      throw new Error(`cannot ${what}: ${this.describe(error)}`, { cause: error });
    }
  }

  private mirroredMembers(mirror: PrefixMirror): MemberEntry[] {
    const now = this.clock.now();
    if (!this.memberOrder) {
      this.memberOrder = mirror
        .entries()
        .map((entry) => entry.key)
        .sort();
      this.keepDecoded((key) => mirror.get(key) !== undefined);
    }
    return this.memberOrder.flatMap((key) => {
      const entry = mirror.get(key);
      const record = entry && this.decodeMember(key, entry.value, String(entry.modRevision), entry.lease);
      return record ? [{ record, lastSeen: mirror.lastSeen(key) ?? now }] : [];
    });
  }

  private stopMembersMirror(): void {
    this.memberListRuns?.cancel();
    this.memberListRuns = null;
    this.membersMirror?.stop();
    this.membersMirror = null;
    this.memberOrder = null;
  }

  /** The decoded records stay as many as the keys there are, however large the fleet and however it churns. */
  private keepDecoded(present: (key: string) => boolean): void {
    for (const key of this.decodedMembers.keys()) if (!present(key)) this.decodedMembers.delete(key);
  }

  /**
   * Decodes once per version of a key, so a malformed record is warned about once, not on every change, and a
   * large fleet is not parsed again whenever one member writes. A record counts only bound to a lease (lease "0"
   * is none): one written by another tool without a lease would outlive its writer and be listed for ever. (A key
   * bound to a lease is gone from etcd when the lease ends.)
   */
  private decodeMember(key: string, value: string, modRevision: string, lease: string): MemberRecord | null {
    const cached = this.decodedMembers.get(key);
    if (cached?.modRevision === modRevision) return cached.record;
    let record: MemberRecord | null = null;
    if (lease === '0') this.logger.warn({ key }, 'skipping a member record not bound to a lease');
    else record = decodeMember(key, value, this.logger);
    this.decodedMembers.set(key, { modRevision, record });
    return record;
  }

  private toEntry(kv: IKeyValue): KvEntry {
    return { key: kv.key.toString().slice(this.keys.kv.length), value: kv.value.toString(), revision: kv.mod_revision };
  }

  private mirroredEntry(entry: MirroredKey): KvEntry {
    return { key: entry.key.slice(this.keys.kv.length), value: entry.value, revision: String(entry.modRevision) };
  }

  private grantLease(ttlSeconds: number): Promise<LeaseKeeper> {
    return LeaseKeeper.grant({
      client: this.client,
      ttlSeconds,
      clock: this.clock,
      logger: this.logger,
      health: this.health,
      describe: this.describe,
    });
  }

  /**
   * Writes the member record bound to the lease. When that fails the lease is given up, and register() fails —
   * unless `lostIsRetryable` and the failure was the lease itself being gone: then false, register on another.
   */
  private async bindRecord(keeper: LeaseKeeper, key: string, value: string, lostIsRetryable: boolean) {
    if (this.closed) {
      keeper.release();
      this.cleanUpAfter(keeper);
      throw new Error('the etcd backend was closed while registering');
    }
    try {
      await keeper.put(key, value);
      return true;
    } catch (error) {
      const lost = !keeper.held;
      keeper.release();
      this.cleanUpAfter(keeper);
      if (!lost || !lostIsRetryable || this.closed) throw error;
      this.logger.info({ leaseId: keeper.id }, 'the lease granted ahead is gone; registering on a new one');
      return false;
    }
  }

  /** Starts granting the lease the next register() with this TTL will use, unless one is granted or underway. */
  private grantAhead(ttlSeconds: number): Promise<LeaseKeeper | null> {
    if (this.closed) return Promise.resolve(null);
    if (this.leaseAhead?.ttlSeconds === ttlSeconds) return this.leaseAhead.ready;
    this.dropLeaseAhead();
    const ahead: LeaseAhead = { ttlSeconds, ready: Promise.resolve(null), keeper: null, state: 'waiting' };
    ahead.ready = this.grantLease(ttlSeconds).then(
      (keeper) => {
        if (this.closed || ahead.state === 'dropped') {
          this.discardUnused(keeper);
          return null;
        }
        ahead.keeper = keeper;
        keeper.onLost(() => {
          if (ahead.state !== 'waiting') return; // a registration has it and handles the loss
          this.logger.debug({ leaseId: keeper.id }, 'the lease granted ahead was lost; register() grants another');
          this.dropLeaseAhead();
        });
        return keeper;
      },
      (error: unknown) => {
        this.logger.debug({ err: errorMessage(error) }, 'could not grant a lease ahead; register() grants one');
        if (this.leaseAhead === ahead) this.leaseAhead = null;
        return null;
      },
    );
    this.leaseAhead = ahead;
    return ahead.ready;
  }

  /** The lease granted ahead, if there is one with this TTL and it still holds; a registration now owns it. */
  private async takeLeaseAhead(ttlSeconds: number): Promise<LeaseKeeper | null> {
    const ahead = this.leaseAhead;
    if (!ahead) return null;
    this.leaseAhead = null;
    ahead.state = 'taken';
    const keeper = await ahead.ready;
    if (!keeper) return null;
    if (keeper.held && ahead.ttlSeconds === ttlSeconds) return keeper;
    this.discardUnused(keeper);
    return null;
  }

  private dropLeaseAhead(): void {
    const ahead = this.leaseAhead;
    this.leaseAhead = null;
    if (!ahead) return;
    ahead.state = 'dropped';
    if (ahead.keeper) this.discardUnused(ahead.keeper);
  }

  /** Gives up a lease no key is bound to: revoked when etcd answers (nobody waits for that), else it expires. */
  private discardUnused(keeper: LeaseKeeper): void {
    keeper.release();
    if (!this.closed) void keeper.revokeAbandoned(keeper.ttlMs * 2 + 10_000, () => this.closed);
  }

  /** After a lease was lost (or a registration failed half-way): revoke it in case etcd still holds it. */
  private cleanUpAfter(keeper: LeaseKeeper): void {
    const cleanup = keeper
      .revokeAbandoned(keeper.ttlMs * 2 + 10_000, () => this.closed)
      .finally(() => this.cleanups.delete(cleanup));
    this.cleanups.add(cleanup);
  }

  private async awaitCleanups(): Promise<void> {
    if (this.cleanups.size === 0) return;
    await Promise.race([
      Promise.allSettled([...this.cleanups]),
      new Promise<void>((resolve) => this.clock.setTimer(resolve, CLEANUP_WAIT_MS)),
    ]);
  }

  private track(stop: () => void): Unsubscribe {
    this.stoppers.add(stop);
    return () => {
      this.stoppers.delete(stop);
      stop();
    };
  }

  private listeners<T>(): Listeners<T> {
    return new Listeners<T>((error) => this.logger.error({ err: error }, 'a cluster listener failed'));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the etcd backend is closed');
  }
}
