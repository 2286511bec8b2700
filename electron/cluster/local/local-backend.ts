import type { LeaderInfo, MemberRecord } from '../../../shared/node.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { decodeElection, decodeMember } from '../codecs.js';
import {
  checkAtomicWrites,
  ConflictError,
  type AtomicWrite,
  FencedError,
  type BackendStatus,
  type Campaign,
  type CoordinationBackend,
  type KvEntry,
  type KvEvent,
  type MemberEntry,
  type PutOptions,
  type Registration,
  type Unsubscribe,
} from '../coordination-backend.js';
import { fleetKeys, type FleetKeys } from '../fleet-keys.js';
import { Listeners } from '../../core/listeners.js';
import type { LocalCoordinator, StoredValue } from './local-coordinator.js';

export interface LocalBackendOptions {
  coordinator: LocalCoordinator;
  /** Whether close() also closes the coordinator (true when this backend created it). */
  ownsCoordinator: boolean;
  cluster: string;
  clock: Clock;
  logger: Logger;
}

/** The embedded backend: the whole CoordinationBackend contract over an in-process LocalCoordinator. */
export class LocalBackend implements CoordinationBackend {
  readonly kind = 'local' as const;
  private readonly keys: FleetKeys;
  private readonly coordinator: LocalCoordinator;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly statusListeners: Listeners<BackendStatus>;
  private readonly cleanups = new Set<() => void>();
  private state: BackendStatus['state'] = 'connecting';

  constructor(private readonly options: LocalBackendOptions) {
    this.keys = fleetKeys(options.cluster);
    this.coordinator = options.coordinator;
    this.clock = options.clock;
    this.logger = options.logger;
    this.statusListeners = this.listeners();
  }

  async connect(): Promise<void> {
    this.setState('connected');
  }

  /** Stops keepalives and watches. Leases are left to expire, as after a crash; revoke registrations first to leave cleanly. */
  async close(): Promise<void> {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups.clear();
    if (this.options.ownsCoordinator) this.coordinator.close();
    this.setState('closed');
  }

  status(): BackendStatus {
    return { kind: this.kind, state: this.state, lastError: null };
  }

  onStatus(listener: (status: BackendStatus) => void): Unsubscribe {
    return this.statusListeners.add(listener);
  }

  async register(record: MemberRecord, ttlSeconds: number): Promise<Registration> {
    const ttlMs = ttlSeconds * 1000;
    const lease = this.coordinator.grant(ttlMs);
    const key = this.keys.member(record.id);
    this.coordinator.put(key, JSON.stringify(record), lease);
    const lost = this.listeners<string>();
    let cancelTimer = () => {};
    const stop = () => {
      cancelTimer();
      this.cleanups.delete(stop);
    };
    const keepAlive = () => {
      if (this.coordinator.keepAlive(lease)) {
        cancelTimer = this.clock.setTimer(keepAlive, ttlMs / 3);
        return;
      }
      stop();
      lost.emit(`lease ${lease} expired`);
    };
    cancelTimer = this.clock.setTimer(keepAlive, ttlMs / 3);
    this.cleanups.add(stop);
    return {
      leaseId: String(lease),
      update: async (next) => {
        this.coordinator.put(key, JSON.stringify(next), lease);
      },
      onLost: (listener) => lost.add(listener),
      revoke: async () => {
        stop();
        this.coordinator.revoke(lease);
      },
    };
  }

  async listMembers(): Promise<MemberEntry[]> {
    return this.readMembers();
  }

  watchMembers(listener: (members: MemberEntry[]) => void): Unsubscribe {
    return this.watchPrefix(this.keys.members, () => listener(this.readMembers()));
  }

  campaign(memberId: string, registration: Registration): Campaign {
    const lease = Number(registration.leaseId);
    const key = `${this.keys.election}${registration.leaseId}`;
    const changes = this.listeners<LeaderInfo | null>();
    let since: number | null = null;
    this.coordinator.put(key, JSON.stringify({ id: memberId, since }), lease);

    // Leadership is re-derived from the key space on every call: the head of the queue, with a live lease.
    const current = (): LeaderInfo | null => {
      const head = this.electionHead();
      if (!head || head[0] !== key || since === null || !this.coordinator.leaseAlive(lease)) return null;
      return { id: memberId, leaseId: registration.leaseId, revision: String(head[1].createRevision), since };
    };
    let reported: LeaderInfo | null = null;
    const reevaluate = () => {
      const isHead = this.electionHead()?.[0] === key && this.coordinator.leaseAlive(lease);
      if (isHead && since === null) {
        since = this.clock.now();
        this.coordinator.put(key, JSON.stringify({ id: memberId, since }), lease);
      }
      if (!isHead) since = null;
      const next = current();
      if (JSON.stringify(next) === JSON.stringify(reported)) return;
      reported = next;
      changes.emit(next);
    };
    const unwatch = this.watchPrefix(this.keys.election, reevaluate);
    return {
      current,
      onChange: (listener) => changes.add(listener),
      resign: async () => {
        unwatch();
        this.coordinator.delete(key);
        since = null;
        if (reported) {
          reported = null;
          changes.emit(null);
        }
      },
    };
  }

  observeLeader(listener: (leader: LeaderInfo | null) => void): Unsubscribe {
    let last = '';
    return this.watchPrefix(this.keys.election, () => {
      const leader = this.readLeader();
      const serialized = JSON.stringify(leader);
      if (serialized === last) return;
      last = serialized;
      listener(leader);
    });
  }

  async put(key: string, value: string, options: PutOptions = {}): Promise<string> {
    const { fence, ifRevision } = options;
    // Single-threaded: checking the election key and writing cannot interleave with another writer.
    if (fence) {
      const holder = this.coordinator.get(`${this.keys.election}${fence.leaseId}`);
      const alive = holder?.lease != null && this.coordinator.leaseAlive(holder.lease);
      if (!alive || String(holder.createRevision) !== fence.revision || this.electionHead()?.[1] !== holder) {
        throw new FencedError(fence);
      }
    }
    if (ifRevision !== undefined) {
      const current = this.coordinator.get(this.keys.kv + key);
      if ((current ? String(current.modRevision) : null) !== ifRevision) throw new ConflictError(key, ifRevision);
    }
    return String(this.coordinator.put(this.keys.kv + key, value));
  }

  async putAll(writes: readonly AtomicWrite[]): Promise<string> {
    checkAtomicWrites(writes);
    // Single-threaded: every compare is checked before the first write, and nothing can interleave.
    for (const { key, ifRevision } of writes) {
      if (ifRevision === undefined) continue;
      const current = this.coordinator.get(this.keys.kv + key);
      if ((current ? String(current.modRevision) : null) !== ifRevision) throw new ConflictError(key, ifRevision);
    }
    let revision = '';
    for (const { key, value } of writes) revision = String(this.coordinator.put(this.keys.kv + key, value));
    return revision;
  }

  async get(key: string): Promise<KvEntry | null> {
    const stored = this.coordinator.get(this.keys.kv + key);
    return stored ? this.toEntry(this.keys.kv + key, stored) : null;
  }

  async list(prefix: string): Promise<KvEntry[]> {
    return this.coordinator.range(this.keys.kv + prefix).map(([key, stored]) => this.toEntry(key, stored));
  }

  async delete(key: string): Promise<void> {
    this.coordinator.delete(this.keys.kv + key);
  }

  watch(prefix: string, listener: (event: KvEvent) => void): Unsubscribe {
    const unwatch = this.coordinator.watch(this.keys.kv + prefix, (event) =>
      listener(
        event.type === 'put'
          ? { type: 'put', entry: this.toEntry(event.key, event.stored) }
          : { type: 'delete', key: event.key.slice(this.keys.kv.length), revision: String(event.revision) },
      ),
    );
    return this.track(unwatch);
  }

  private listeners<T>(): Listeners<T> {
    return new Listeners<T>((error) => this.logger.error({ err: error }, 'a cluster listener failed'));
  }

  private setState(state: BackendStatus['state']): void {
    this.state = state;
    this.statusListeners.emit(this.status());
  }

  /** Calls `onChange` once now (asynchronously, like a remote initial read) and after every change under `prefix`. */
  private watchPrefix(prefix: string, onChange: () => void): Unsubscribe {
    const unwatch = this.coordinator.watch(prefix, onChange);
    queueMicrotask(onChange);
    return this.track(unwatch);
  }

  private track(unwatch: () => void): Unsubscribe {
    this.cleanups.add(unwatch);
    return () => {
      unwatch();
      this.cleanups.delete(unwatch);
    };
  }

  /** Records bound to a lease only, as with etcd: one written without a lease would outlive its writer. */
  private readMembers(): MemberEntry[] {
    return this.coordinator.range(this.keys.members).flatMap(([key, stored]) => {
      if (stored.lease === null) {
        this.logger.warn({ key }, 'skipping a member record not bound to a lease');
        return [];
      }
      const record = decodeMember(key, stored.value, this.logger);
      if (!record) return [];
      return [{ record, lastSeen: this.coordinator.leaseRefreshedAt(stored.lease) ?? stored.modifiedAt }];
    });
  }

  /** The oldest live candidacy: the etcd election recipe's rule (lowest create revision wins). */
  private electionHead(): [string, StoredValue] | undefined {
    return this.coordinator
      .range(this.keys.election)
      .filter(([, stored]) => stored.lease !== null && this.coordinator.leaseAlive(stored.lease))
      .sort(([, a], [, b]) => a.createRevision - b.createRevision)[0];
  }

  private readLeader(): LeaderInfo | null {
    const head = this.electionHead();
    if (!head) return null;
    const [key, stored] = head;
    const value = decodeElection(key, stored.value, this.logger);
    if (!value) return null;
    return {
      id: value.id,
      leaseId: String(stored.lease),
      revision: String(stored.createRevision),
      since: value.since ?? stored.modifiedAt,
    };
  }

  private toEntry(key: string, stored: StoredValue): KvEntry {
    return { key: key.slice(this.keys.kv.length), value: stored.value, revision: String(stored.modRevision) };
  }
}
